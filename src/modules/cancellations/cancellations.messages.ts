import { registerMessages } from '../../platform/i18n';

/**
 * The messages of SVC-2 (a session cancelled or moved to remote by the service, a meeting
 * cancelled): the staff page, the learners' emails and SMS. French is the reference.
 */
const fr = {
  'cancel.title': 'Annuler la session ou la passer à distance',
  'cancel.back': 'Retour à l’accueil du personnel',
  'cancel.link': 'Annuler ou passer à distance',
  'cancel.intro': 'Session {code} : « {title} », {school}, du {from} au {to}.',
  'cancel.counts': 'Personnes concernées aujourd’hui : {told} (inscrites, acceptées, convoquées, sur liste d’attente ou en attente de décision). Frais déjà payés : {paid}.',
  'cancel.kind': 'Que fait le service ?',
  'cancel.kind.cancelled': 'Annuler la session : les candidatures sont clôturées, les frais payés remboursés',
  'cancel.kind.remote': 'Passer la session à distance : les candidatures et les inscriptions restent',
  'cancel.reason': 'Pourquoi ?',
  'cancel.reason.too_few_learners': 'Pas assez d’inscrits',
  'cancel.reason.other': 'Autre raison (expliquée dans le message)',
  'cancel.message': 'Message aux personnes concernées',
  'cancel.messageHint': 'Écrivez simplement. Il est envoyé tel quel par courriel ; le SMS dit seulement que la session change et renvoie au courriel.',
  'cancel.method': 'Comment les frais payés sont remboursés',
  'cancel.method.hint': 'Pour une session annulée : tout ce qui a été payé est enregistré comme remboursement accordé, à verser par la régie ; le remboursement fait s’enregistre ensuite sur la page des remboursements.',
  'cancel.next': 'Vérifier avant d’envoyer',
  'cancel.check.title': 'Vérifiez avant d’envoyer',
  'cancel.check.cancelled': 'La session sera annulée. {told} personne(s) recevront un courriel et un SMS, {closed} candidature(s) seront clôturées, {refunds} remboursement(s) seront enregistrés ({amount}).',
  'cancel.check.remote': 'La session passera à distance. {told} personne(s) recevront un courriel et un SMS. Les candidatures restent.',
  'cancel.check.message': 'Message envoyé :',
  'cancel.confirm': 'Confirmer et prévenir les personnes',
  'cancel.edit': 'Modifier',
  'cancel.done.cancelled': 'La session est annulée : {told} personne(s) prévenue(s), {closed} candidature(s) clôturée(s), {refunded} remboursement(s) enregistré(s).',
  'cancel.done.remote': 'La session passe à distance : {told} personne(s) prévenue(s).',
  'cancel.history': 'Changements déjà faits',
  'cancel.history.cancelled': 'Annulée le {date} : {told} personne(s) prévenue(s), {closed} candidature(s) clôturée(s), {refunded} remboursement(s).',
  'cancel.history.remote': 'Passée à distance le {date} : {told} personne(s) prévenue(s).',
  'cancel.error.alreadyCancelled': 'Cette session est déjà annulée : personne n’a été prévenu une deuxième fois.',
  'cancel.error.alreadyRemote': 'Cette session a déjà lieu à distance.',
  'cancel.error.ended': 'Cette session est terminée : on ne peut plus l’annuler ni la changer.',
  'cancel.error.started': 'Cette session a commencé (sa première séance a eu lieu) : on ne peut plus l’annuler. Vous pouvez la passer à distance, ou annuler une séance dans la liste des séances.',
  'cancel.error.message': 'Écrivez le message aux personnes concernées (2 000 caractères au plus).',

  'cancel.email.cancelled.subject': 'Le cours « {title} » est annulé',
  'cancel.email.cancelled.body':
    'Bonjour,\n\nLe service des cours municipaux d’adultes annule la session du cours « {title} » ({school}, {slots}).\n\nMessage du service :\n{message}\n\n{money}Votre candidature est clôturée avec le statut « Session annulée par le service ». Vous pouvez choisir un autre cours dans le catalogue.\n\nVos candidatures : {link}',
  'cancel.email.preselected.body':
    'Bonjour,\n\nLe service des cours municipaux d’adultes annule la session du cours « {title} » ({school}, {slots}), que vous aviez présélectionnée.\n\nMessage du service :\n{message}\n\nVotre présélection n’a pas été envoyée : elle ne compte pas comme une candidature. Vous pouvez la supprimer de vos candidatures et choisir une autre session dans le catalogue.\n\nVos candidatures : {link}',
  'cancel.email.refunded': 'Le remboursement des frais que vous avez payés ({amount}) vous est accordé. La régie du service va vous rembourser ; vous recevrez un message quand ce sera fait.\n\n',
  'cancel.email.dueCancelled': 'Vous n’avez plus rien à payer pour ce cours.\n\n',
  'cancel.email.remote.subject': 'Le cours « {title} » a lieu à distance',
  'cancel.email.remote.body':
    'Bonjour,\n\nLe service des cours municipaux d’adultes change la session du cours « {title} » ({school}, {slots}) : elle a lieu à distance, aux mêmes jours et heures.\n\nMessage du service :\n{message}\n\nVotre candidature ne change pas. Si vous ne pouvez pas suivre le cours à distance, écrivez-nous par le formulaire de contact.\n\nVos candidatures : {link}',
  'sms.session.cancelled': 'Cours municipaux : la session "{title}" ({school}) est annulée. Les frais payés vous seront remboursés. {details}',
  'sms.session.remote': 'Cours municipaux : la session "{title}" ({school}) a lieu à distance. {details}',


  'doc.reason.sessionCancelled': 'La session a été annulée par le service.',
};

const en: typeof fr = {
  'cancel.title': 'Cancel the session or move it to remote',
  'cancel.back': 'Back to the staff home',
  'cancel.link': 'Cancel or move to remote',
  'cancel.intro': 'Session {code}: “{title}”, {school}, from {from} to {to}.',
  'cancel.counts': 'People concerned today: {told} (enrolled, accepted, called, on the waiting list or waiting for a decision). Fees already paid: {paid}.',
  'cancel.kind': 'What does the service do?',
  'cancel.kind.cancelled': 'Cancel the session: applications close, fees paid are refunded',
  'cancel.kind.remote': 'Move the session to remote: applications and enrolments stay',
  'cancel.reason': 'Why?',
  'cancel.reason.too_few_learners': 'Too few learners',
  'cancel.reason.other': 'Another reason (explained in the message)',
  'cancel.message': 'Message to the people concerned',
  'cancel.messageHint': 'Write simply. It is sent as written by email; the SMS only says the session changes and points to the email.',
  'cancel.method': 'How fees paid are refunded',
  'cancel.method.hint': 'For a cancelled session: everything paid is recorded as a refund granted, to be paid by the cash office; the refund made is then recorded on the refunds page.',
  'cancel.next': 'Check before sending',
  'cancel.check.title': 'Check before sending',
  'cancel.check.cancelled': 'The session will be cancelled. {told} person(s) will get an email and an SMS, {closed} application(s) will close, {refunds} refund(s) will be recorded ({amount}).',
  'cancel.check.remote': 'The session will move to remote. {told} person(s) will get an email and an SMS. Applications stay.',
  'cancel.check.message': 'Message sent:',
  'cancel.confirm': 'Confirm and tell the people',
  'cancel.edit': 'Change',
  'cancel.done.cancelled': 'The session is cancelled: {told} person(s) told, {closed} application(s) closed, {refunded} refund(s) recorded.',
  'cancel.done.remote': 'The session moves to remote: {told} person(s) told.',
  'cancel.history': 'Changes already made',
  'cancel.history.cancelled': 'Cancelled on {date}: {told} person(s) told, {closed} application(s) closed, {refunded} refund(s).',
  'cancel.history.remote': 'Moved to remote on {date}: {told} person(s) told.',
  'cancel.error.alreadyCancelled': 'This session is already cancelled: nobody was told a second time.',
  'cancel.error.alreadyRemote': 'This session already takes place remotely.',
  'cancel.error.ended': 'This session has ended: it can no longer be cancelled or changed.',
  'cancel.error.started': 'This session has started (its first meeting took place): it can no longer be cancelled. You may move it to remote, or cancel a single meeting in the list of meetings.',
  'cancel.error.message': 'Write the message to the people concerned (2,000 characters at most).',

  'cancel.email.cancelled.subject': 'The course “{title}” is cancelled',
  'cancel.email.cancelled.body':
    'Hello,\n\nThe municipal adult courses service cancels the session of the course “{title}” ({school}, {slots}).\n\nMessage from the service:\n{message}\n\n{money}Your application is closed with the status “Session cancelled by the service”. You may choose another course in the catalogue.\n\nYour applications: {link}',
  'cancel.email.preselected.body':
    'Hello,\n\nThe municipal adult courses service cancels the session of the course “{title}” ({school}, {slots}), which you had preselected.\n\nMessage from the service:\n{message}\n\nYour preselection was not sent: it does not count as an application. You may delete it from your applications and choose another session in the catalogue.\n\nYour applications: {link}',
  'cancel.email.refunded': 'A refund of the fees you paid ({amount}) is granted to you. The service’s cash office will refund you; you will get a message once it is done.\n\n',
  'cancel.email.dueCancelled': 'You have nothing left to pay for this course.\n\n',
  'cancel.email.remote.subject': 'The course “{title}” takes place remotely',
  'cancel.email.remote.body':
    'Hello,\n\nThe municipal adult courses service changes the session of the course “{title}” ({school}, {slots}): it takes place remotely, on the same days and times.\n\nMessage from the service:\n{message}\n\nYour application does not change. If you cannot follow the course remotely, write to us through the contact form.\n\nYour applications: {link}',
  'sms.session.cancelled': 'Municipal adult courses: the session "{title}" ({school}) is cancelled. Fees paid will be refunded to you. {details}',
  'sms.session.remote': 'Municipal adult courses: the session "{title}" ({school}) takes place remotely. {details}',


  'doc.reason.sessionCancelled': 'The session was cancelled by the service.',
};

type CancellationMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CancellationMessages {}
}

registerMessages('cancellations', { fr, en });
