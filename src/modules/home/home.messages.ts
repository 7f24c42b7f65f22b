import { registerMessages, registerProfileWording } from '../../platform/i18n';

/**
 * The home module's messages, registered when this file is loaded (src/messages.ts loads every
 * module's). French is the reference; English has the same keys and placeholders.
 */
const fr = {
  'home.title': 'Inscriptions aux cours municipaux d’adultes',
  'home.intro': 'Des cours du soir et de journée pour les adultes : langues, informatique, métiers d’art, enseignement général… Créez votre compte, complétez votre fiche, puis choisissez vos formations.',
  'home.steps': 'Comment s’inscrire',
  'home.step1': 'Créez votre compte avec votre adresse électronique.',
  'home.step2': 'Activez-le grâce au lien reçu par courriel.',
  'home.step3': 'Complétez votre fiche d’auditeur ou d’auditrice.',
  'home.step4': 'Choisissez vos formations pendant la période d’inscription.',
  'home.ctaSignup': 'Créer mon compte',
  'home.ctaLogin': 'J’ai déjà un compte',
  'home.searchLabel': 'Rechercher une formation',
  'home.searchSubmit': 'Rechercher',
  'home.calendar': 'Calendrier des inscriptions',
  'home.calendarPeriod': 'Période',
  'home.calendarApplications': 'Dépôt des candidatures',
  'home.calendarAnswers': 'Envoi des réponses',
  'home.calendarState': 'État',
  'home.range': 'du {from} au {to}',
  'home.priorityFrom': '(dès le {date} pour qui a réussi le niveau précédent)',
  'home.domains': 'Rechercher par domaine',
  'home.periods': 'Rechercher par période d’inscription',
  // Issue 18, CRED-1, CRED-2: the credits profile's home page (seed 004).
  'home.credits.title': 'Unités d’enseignement et crédits ECTS',
  'home.credits.allYear': 'Vous pouvez vous inscrire à tout moment de l’année. Les unités se suivent en deux semestres : le premier de mi-octobre à mi-janvier, le second de mi-février à fin mai.',
  'home.credits.ects': 'Chaque unité d’enseignement (UE) vaut 4, 6, 8 ou 12 crédits ECTS, environ 10 heures de formation par crédit. Une UE validée vous est acquise à vie : vous capitalisez les UE à votre rythme jusqu’au certificat ou au diplôme.',
  'home.credits.remote': 'La plupart des unités se suivent à distance ; quelques-unes ouvrent en cours du soir, en présentiel.',
  'home.credits.advice': 'Nous vous conseillons de ne pas dépasser 2 à 3 UE par semestre, selon votre disponibilité.',
  'home.credits.programmes': 'Voir mes cursus et mes crédits',
} as const;

const en: Record<keyof typeof fr, string> = {
  'home.title': 'Registration for municipal adult courses',
  'home.intro': 'Evening and daytime courses for adults: languages, computing, crafts, general education… Create your account, complete your record, then choose your courses.',
  'home.steps': 'How to register',
  'home.step1': 'Create your account with your email address.',
  'home.step2': 'Activate it with the link you receive by email.',
  'home.step3': 'Complete your learner record.',
  'home.step4': 'Choose your courses during the registration period.',
  'home.ctaSignup': 'Create my account',
  'home.ctaLogin': 'I already have an account',
  'home.searchLabel': 'Find a course',
  'home.searchSubmit': 'Search',
  'home.calendar': 'Registration calendar',
  'home.calendarPeriod': 'Period',
  'home.calendarApplications': 'Applications',
  'home.calendarAnswers': 'Answers sent',
  'home.calendarState': 'Status',
  'home.range': 'from {from} to {to}',
  'home.priorityFrom': '(from {date} for those who passed the level below)',
  'home.domains': 'Search by subject area',
  'home.periods': 'Search by registration period',
  'home.credits.title': 'Teaching units and ECTS credits',
  'home.credits.allYear': 'You may enrol at any time of the year. Units run in two semesters: the first from mid-October to mid-January, the second from mid-February to the end of May.',
  'home.credits.ects': 'Each teaching unit is worth 4, 6, 8 or 12 ECTS credits, about 10 hours of training a credit. A unit passed is yours for life: you build up units at your own pace toward a certificate or a diploma.',
  'home.credits.remote': 'Most units are taught remotely; a few open as evening classes, in person.',
  'home.credits.advice': 'We advise taking no more than 2 to 3 units a semester, depending on your time.',
  'home.credits.programmes': 'See my programmes and my credits',
};

type HomeMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends HomeMessages {}
}

registerMessages('home', { fr, en });

// Issue 18: the home page's words in the credits profile (the municipal texts are the keys' own).
registerProfileWording('credits', {
  fr: {
    'home.title': 'Inscriptions aux unités d’enseignement',
    'home.intro': 'Des unités d’enseignement pour les adultes, à distance ou en cours du soir, qui se capitalisent en crédits ECTS vers un certificat, un titre ou un diplôme. Créez votre compte, complétez votre fiche, puis choisissez vos unités.',
    'home.step4': 'Choisissez vos unités d’enseignement, à tout moment de l’année.',
    'home.searchLabel': 'Rechercher une unité d’enseignement',
    'home.periods': 'Rechercher par semestre',
  },
  en: {
    'home.title': 'Enrolment in teaching units',
    'home.intro': 'Teaching units for adults, remote or in evening classes, which add up in ECTS credits toward a certificate, a title or a diploma. Create your account, complete your record, then choose your units.',
    'home.step4': 'Choose your teaching units, at any time of the year.',
    'home.searchLabel': 'Find a teaching unit',
    'home.periods': 'Search by semester',
  },
});
