import { registerMessages } from '../../platform/i18n';

/**
 * The applications module's messages of enrolment all year in a unit (CRED-2, CRED-5): the
 * lifecycle's refusals and the email of `enrolUnit`. French is the reference.
 */
const fr = {
  'cred.enrol.error.profile': 'L’inscription directe dans une unité est réservée aux centres de formation continue : ici, on candidate pendant la période d’inscription.',
  'cred.enrol.error.notUnit': 'Ce cours n’est pas une unité d’enseignement : on y candidate pendant la période d’inscription.',
  'cred.enrol.error.ended': 'Ce cours est terminé : choisissez un cours de la même unité qui n’est pas fini, ou celui du prochain semestre.',
  'cred.enrol.error.full': 'Il n’y a plus de place dans ce cours : choisissez un autre cours de la même unité.',
  'apps.reason.enrolUnit': 'inscription directe dans l’unité',
  'email.unitEnrolled.subject': 'Votre inscription à l’unité « {title} » est enregistrée',
  'email.unitEnrolled.body':
    'Bonjour,\n\nVotre inscription à l’unité « {title} » ({school}, {slots}) est enregistrée.\n{next}\n\nVos inscriptions : {link}',
};

const en: Record<keyof typeof fr, string> = {
  'cred.enrol.error.profile': 'Direct enrolment in a unit is for continuing-education centres: here, one applies during the registration period.',
  'cred.enrol.error.notUnit': 'This course is not a teaching unit: one applies to it during the registration period.',
  'cred.enrol.error.ended': 'This course has ended: choose a course of the same unit that has not, or next semester’s.',
  'cred.enrol.error.full': 'This course has no place left: choose another course of the same unit.',
  'apps.reason.enrolUnit': 'direct enrolment in the unit',
  'email.unitEnrolled.subject': 'Your enrolment in the unit “{title}” is recorded',
  'email.unitEnrolled.body': 'Hello,\n\nYour enrolment in the unit “{title}” ({school}, {slots}) is recorded.\n{next}\n\nYour enrolments: {link}',
};

type UnitMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends UnitMessages {}
}

registerMessages('applications.units', { fr, en });
