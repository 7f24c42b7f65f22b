import { registerMessages, registerProfileWording } from '../../platform/i18n';

/**
 * The catalogue's messages of teaching units (CRED-1, CRED-2), and the catalogue's wording in the
 * credits profile (issue 18: « cours » is a unit, a registration period a semester). French is
 * the reference; English has the same keys and placeholders.
 */
const fr = {
  'cred.err.creditsValue': '4, 6, 8 ou 12 crédits ECTS, ou vide pour un cours qui n’est pas une unité d’enseignement',
  'cred.err.hoursForCredits': '{hours} heures pour {credits} crédits : une unité compte environ 10 heures par crédit, de {min} à {max} heures pour {credits} crédits',
  'cred.err.semester': 'le semestre de l’unité : 1 (mi-octobre à mi-janvier) ou 2 (mi-février à fin mai)',
  'cred.err.semesterWithoutCredits': 'un semestre ne se donne qu’à une unité d’enseignement : indiquez aussi ses crédits ECTS, ou laissez le semestre vide',
  'cred.sheet.unit': 'Unité d’enseignement',
  'cred.sheet.credits': 'Crédits ECTS',
  'cred.sheet.creditsValue': '{credits} crédits ECTS, acquis à vie une fois l’unité validée',
  'cred.sheet.semester': 'Semestre',
  'cred.semester.1': '1er semestre (mi-octobre à mi-janvier)',
  'cred.semester.2': '2e semestre (mi-février à fin mai)',
};

const en: Record<keyof typeof fr, string> = {
  'cred.err.creditsValue': '4, 6, 8 or 12 ECTS credits, or empty for a course that is not a teaching unit',
  'cred.err.hoursForCredits': '{hours} hours for {credits} credits: a unit has about 10 hours a credit, {min} to {max} hours for {credits} credits',
  'cred.err.semester': 'the unit’s semester: 1 (mid-October to mid-January) or 2 (mid-February to the end of May)',
  'cred.err.semesterWithoutCredits': 'only a teaching unit has a semester: give its ECTS credits too, or leave the semester empty',
  'cred.sheet.unit': 'Teaching unit',
  'cred.sheet.credits': 'ECTS credits',
  'cred.sheet.creditsValue': '{credits} ECTS credits, kept for life once the unit is passed',
  'cred.sheet.semester': 'Semester',
  'cred.semester.1': 'First semester (mid-October to mid-January)',
  'cred.semester.2': 'Second semester (mid-February to the end of May)',
};

type CreditsMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CreditsMessages {}
}

registerMessages('catalogue.credits', { fr, en });

// Issue 18: the catalogue's words in the credits profile (the municipal texts are the keys' own).
registerProfileWording('credits', {
  fr: {
    'home.searchHint': 'Un mot du titre ou le code de l’unité suffit, par exemple « programmation » ou « NFA031 ».',
    'search.title': 'Rechercher une unité d’enseignement',
    'search.onlyOpen': 'Uniquement les unités ouvertes aux inscriptions',
    'search.period': 'Semestre',
    'search.mode': 'Modalité',
    'search.countNone': 'Aucune unité trouvée',
    'search.none': 'Aucune unité d’enseignement ne correspond. Essayez avec moins de mots ou moins de filtres.',
    'sheet.period': 'Semestre',
    'sheet.mode': 'Modalité',
    'period.open': 'Inscriptions ouvertes',
    'period.closed': 'Inscriptions fermées',
  },
  en: {
    'home.searchHint': 'A word of the title or the unit’s code is enough, for example “programming” or “NFA031”.',
    'search.title': 'Find a teaching unit',
    'search.onlyOpen': 'Only units open for enrolment',
    'search.period': 'Semester',
    'search.mode': 'Mode',
    'search.countNone': 'No unit found',
    'search.none': 'No teaching unit matches. Try fewer words or fewer filters.',
    'sheet.period': 'Semester',
    'sheet.mode': 'Mode',
    'period.open': 'Enrolment open',
    'period.closed': 'Enrolment closed',
  },
});
