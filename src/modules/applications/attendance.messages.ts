import { registerMessages } from '../../platform/i18n';

/**
 * The applications module's messages of attendance and certification (ATT, CERT): the
 * lifecycle's refusals, the status, the emails of its transitions. French is the reference.
 */
const fr = {
  'apps.status.excluded': 'Exclu·e',
  'apps.reason.absences': 'radiation après des absences consécutives sans motif',
  'apps.reason.excludedAbsences': 'exclusion par le formateur après des absences consécutives',
  'apps.reason.conduct': 'exclusion pour la conduite',
  'apps.reason.absentFromStart': 'place libérée : absences dès les premières séances après l’avertissement',

  'att.error.notRemovable': 'La radiation par le service vient après des absences consécutives sans motif valable : le nombre n’est pas atteint.',
  'att.error.notExcludable': 'Le formateur peut exclure au-delà des absences consécutives prévues : le nombre n’est pas dépassé.',
  'att.error.notReleasable': 'La place se libère quand la personne, avertie de ses absences dès les premières séances, est toujours absente.',
  'cert.error.repeatLimit':
    'Vous avez déjà suivi ce cours et redoublé une fois : un seul redoublement est possible. Pour une autre formation, consultez le catalogue ou écrivez au service.',
  'cert.error.noTestYet': 'Les résultats se saisissent pour un cours avec un test d’évaluation, une fois sa date passée.',
  'cert.error.noMarks': 'Les notes se demandent une fois les résultats du test d’évaluation connus.',
  'cert.error.marksPending': 'Votre demande de notes est en cours : le service vous répond dans votre compte.',
  'cert.error.noMarksRequest': 'Aucune demande de notes n’attend de réponse.',
  'cert.error.notDiploma': 'La dispense des épreuves générales concerne les formations diplômantes.',
  'cert.error.exemptionDecided': 'La demande de dispense a déjà reçu une réponse.',
  'cert.error.noExemption': 'Aucune demande de dispense n’a été faite.',

  'email.removedAbsences.subject': 'Vous êtes radié·e du cours « {title} »',
  'email.removedAbsences.body':
    'Bonjour,\n\nVous avez été absent·e sans motif valable à {count} séances consécutives du cours « {title} » ({school}, {slots}) : {dates}.\nComme le prévoit le règlement, le Service des Cours d’Adultes vous a radié·e de ce cours. Cette radiation ne donne pas lieu à un remboursement. Votre place est proposée à une personne de la liste d’attente.\n\nSi c’est une erreur, écrivez au service depuis le formulaire de contact.\n\nVos candidatures : {link}',
  'email.excludedAbsences.subject': 'Vous êtes exclu·e du cours « {title} »',
  'email.excludedAbsences.body':
    'Bonjour,\n\nAu-delà de {count} absences consécutives, pour des raisons de progression pédagogique, votre formateur ou formatrice vous a exclu·e du cours « {title} » ({school}, {slots}). Dernières absences : {dates}.\nCette exclusion ne donne pas lieu à un remboursement.\n\nVos candidatures : {link}',
  'email.excludedConduct.subject': 'Vous êtes exclu·e du cours « {title} »',
  'email.excludedConduct.body':
    'Bonjour,\n\nLe chef d’établissement vous a exclu·e du cours « {title} » ({school}, {slots}) parce que votre conduite compromettait le bon fonctionnement du cours.\nMotif : {reason}\n\nCette exclusion ne donne pas lieu à un remboursement. Vous pouvez écrire au service depuis le formulaire de contact.\n\nVos candidatures : {link}',
  'email.absentReleased.subject': 'Votre place au cours « {title} » a été libérée',
  'email.absentReleased.body':
    'Bonjour,\n\nVous avez été absent·e sans motif dès les premières séances du cours « {title} » ({school}, {slots}) : {dates}. Après notre avertissement, vous ne vous êtes pas présenté·e : votre place a été proposée à une personne de la liste d’attente.\n\nSi c’est une erreur, contactez l’établissement.\n\nVos candidatures : {link}',
};

const en: typeof fr = {
  'apps.status.excluded': 'Excluded',
  'apps.reason.absences': 'removed after consecutive unjustified absences',
  'apps.reason.excludedAbsences': 'excluded by the trainer after consecutive absences',
  'apps.reason.conduct': 'excluded for conduct',
  'apps.reason.absentFromStart': 'place released: absent from the first meetings after the warning',

  'att.error.notRemovable': 'The service removes a learner after consecutive absences without a valid reason: that number is not reached.',
  'att.error.notExcludable': 'The trainer may exclude beyond the number of consecutive absences: it is not exceeded.',
  'att.error.notReleasable': 'The place is released when the person, warned of their absences from the first meetings, is still absent.',
  'cert.error.repeatLimit': 'You have already taken this course and repeated it once: only one repeat is possible. For another course, see the catalogue or write to the service.',
  'cert.error.noTestYet': 'Results are entered for a course with an evaluation test, once its date has passed.',
  'cert.error.noMarks': 'Marks can be asked for once the evaluation test’s results are known.',
  'cert.error.marksPending': 'Your request for marks is being handled: the service answers in your account.',
  'cert.error.noMarksRequest': 'No request for marks waits for an answer.',
  'cert.error.notDiploma': 'The exemption from general tests concerns diploma courses.',
  'cert.error.exemptionDecided': 'The request for an exemption has already been answered.',
  'cert.error.noExemption': 'No exemption has been asked for.',

  'email.removedAbsences.subject': 'You have been removed from the course “{title}”',
  'email.removedAbsences.body':
    'Hello,\n\nYou were absent without a valid reason from {count} consecutive meetings of the course “{title}” ({school}, {slots}): {dates}.\nAs the rules provide, the adult-courses service has removed you from this course. There is no refund. Your place is offered to someone on the waiting list.\n\nIf this is a mistake, write to the service through the contact form.\n\nYour applications: {link}',
  'email.excludedAbsences.subject': 'You have been excluded from the course “{title}”',
  'email.excludedAbsences.body':
    'Hello,\n\nBeyond {count} consecutive absences, for the progress of the class, your trainer has excluded you from the course “{title}” ({school}, {slots}). Last absences: {dates}.\nThere is no refund.\n\nYour applications: {link}',
  'email.excludedConduct.subject': 'You have been excluded from the course “{title}”',
  'email.excludedConduct.body':
    'Hello,\n\nThe school head has excluded you from the course “{title}” ({school}, {slots}) because your conduct compromised the course.\nReason: {reason}\n\nThere is no refund. You may write to the service through the contact form.\n\nYour applications: {link}',
  'email.absentReleased.subject': 'Your place in the course “{title}” has been released',
  'email.absentReleased.body':
    'Hello,\n\nYou were absent without a reason from the first meetings of the course “{title}” ({school}, {slots}): {dates}. After our warning you did not come: your place has been offered to someone on the waiting list.\n\nIf this is a mistake, contact the school.\n\nYour applications: {link}',
};

type AttendanceMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends AttendanceMessages {}
}

registerMessages('applications.attendance', { fr, en });
