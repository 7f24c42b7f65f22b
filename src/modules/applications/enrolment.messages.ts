import { registerMessages } from '../../platform/i18n';

/**
 * The applications module's messages of enrolment and payment (PAY-1 to PAY-9): the lifecycle's
 * refusals, the status, the emails of its transitions. French is the reference.
 */
const fr = {
  'apps.status.awaiting_payment': 'Inscription validée : à régler',
  'apps.payment.pay': 'Régler',
  'apps.payment.see': 'Paiement et documents',
  'apps.payment.due': '{amount} à régler avant le {date}.',
  'apps.reason.unpaid': 'place libérée : inscription non réglée après le rappel',
  'apps.reason.refund': 'remboursement accordé',

  'pay.error.trainerRemoteOnly': 'Seul le chef d’établissement valide cette inscription : le formateur valide les inscriptions des cours à distance.',
  'pay.error.notAttended': 'L’inscription se valide quand la personne est venue à sa convocation ou à la première séance.',
  'pay.error.notOverdue': 'La date limite de paiement n’est pas encore passée.',
  'pay.error.notReminded': 'La personne n’a pas encore reçu de rappel : la place ne peut pas encore être libérée.',
  'pay.error.notPaid': 'Aucun paiement n’a été reçu pour cette inscription.',
  'pay.error.offline': 'Le paiement en ligne n’est pas proposé : réglez à l’établissement, par chèque ou en espèces.',

  'email.enrolmentValidated.subject': 'Votre inscription est validée, à régler avant le {due} : {title}',
  'email.enrolmentValidated.body':
    'Bonjour,\n\nL’établissement a validé votre inscription au cours « {title} » ({school}, {slots}).\nMontant à régler : {amount} ({rate}), en une fois, avant le {due} (la deuxième séance).\n\nVous pouvez payer par carte bancaire en ligne, depuis votre compte, ou à l’établissement par chèque ou en espèces (300 € au plus, avec l’appoint). Une autre personne ou un organisme peut aussi payer pour vous.\n\nRégler : {link}',
  'email.paymentReceived.subject': 'Paiement reçu : vous êtes inscrit·e au cours « {title} »',
  'email.paymentReceived.body':
    'Bonjour,\n\nNous avons bien reçu le paiement de {amount} pour le cours « {title} » ({school}, {slots}). Vous êtes inscrit·e.\n\nVotre carte d’inscrit·e et l’attestation de paiement sont dans votre compte. La carte est demandée pour suivre le cours : gardez-la sur vous.\n\nVos candidatures et paiements : {link}',
  'email.paymentReminder.subject': 'Rappel : votre inscription n’est pas encore réglée : {title}',
  'email.paymentReminder.body':
    'Bonjour,\n\nLe paiement de votre inscription au cours « {title} » ({school}, {slots}) était attendu avant le {due}. Sans paiement, l’établissement peut libérer votre place pour une personne de la liste d’attente.\n\nMontant : {amount}. Régler : {link}\n\nSi vous avez déjà payé par chèque ou en espèces à l’établissement, vous n’avez rien à faire.',
  'email.unpaidReleased.subject': 'Votre place a été libérée : {title}',
  'email.unpaidReleased.body':
    'Bonjour,\n\nVotre inscription au cours « {title} » ({school}, {slots}) n’a pas été réglée après le rappel : l’établissement a libéré votre place, qui a été proposée à la liste d’attente.\n\nSi c’est une erreur, contactez l’établissement.\n\nVos candidatures : {link}',
};

const en: Record<keyof typeof fr, string> = {
  'apps.status.awaiting_payment': 'Enrolment validated: to pay',
  'apps.payment.pay': 'Pay',
  'apps.payment.see': 'Payment and documents',
  'apps.payment.due': '{amount} to pay by {date}.',
  'apps.reason.unpaid': 'place released: enrolment not paid after the reminder',
  'apps.reason.refund': 'refund granted',

  'pay.error.trainerRemoteOnly': 'Only the school head validates this enrolment: trainers validate the enrolments of remote courses.',
  'pay.error.notAttended': 'An enrolment is validated once the person came to their invitation or to the first meeting.',
  'pay.error.notOverdue': 'The payment deadline has not passed yet.',
  'pay.error.notReminded': 'The person has not been reminded yet: the place cannot be released yet.',
  'pay.error.notPaid': 'No payment has been received for this enrolment.',
  'pay.error.offline': 'Online payment is not offered: pay at the school, by cheque or in cash.',

  'email.enrolmentValidated.subject': 'Your enrolment is validated, to pay by {due}: {title}',
  'email.enrolmentValidated.body':
    'Hello,\n\nThe school has validated your enrolment in the course “{title}” ({school}, {slots}).\nAmount to pay: {amount} ({rate}), in one go, by {due} (the second meeting).\n\nYou can pay by card online, from your account, or at the school by cheque or in cash (at most €300, exact change). Another person or an organisation may also pay for you.\n\nPay: {link}',
  'email.paymentReceived.subject': 'Payment received: you are enrolled in “{title}”',
  'email.paymentReceived.body':
    'Hello,\n\nWe have received the payment of {amount} for the course “{title}” ({school}, {slots}). You are enrolled.\n\nYour enrollee card and the payment attestation are in your account. The card is asked for to attend the course: keep it with you.\n\nYour applications and payments: {link}',
  'email.paymentReminder.subject': 'Reminder: your enrolment is not paid yet: {title}',
  'email.paymentReminder.body':
    'Hello,\n\nThe payment of your enrolment in the course “{title}” ({school}, {slots}) was due by {due}. Without payment, the school may release your place for someone on the waiting list.\n\nAmount: {amount}. Pay: {link}\n\nIf you have already paid by cheque or in cash at the school, there is nothing to do.',
  'email.unpaidReleased.subject': 'Your place has been released: {title}',
  'email.unpaidReleased.body':
    'Hello,\n\nYour enrolment in the course “{title}” ({school}, {slots}) was not paid after the reminder: the school released your place, which was offered to the waiting list.\n\nIf this is a mistake, contact the school.\n\nYour applications: {link}',
};

type EnrolmentMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends EnrolmentMessages {}
}

registerMessages('applications.enrolment', { fr, en });
