import { registerMessages } from '../../platform/i18n';

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
};

type HomeMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends HomeMessages {}
}

registerMessages('home', { fr, en });
