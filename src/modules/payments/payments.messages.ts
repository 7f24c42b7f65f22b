import { registerMessages } from '../../platform/i18n';

/**
 * The payments module's messages (PAY-1 to PAY-8): the learner's payment page, the third party's
 * page, the return from the provider, and the refusals. French is the reference.
 */
const fr = {
  'pay.rate.full': 'plein tarif',
  'pay.rate.half': 'demi-tarif',

  'pay.error.notDue': 'Il n’y a rien à régler pour cette inscription en ce moment.',
  'pay.error.attemptInProgress': 'Un paiement est en cours de préparation : patientez quelques secondes, puis rechargez la page.',
  'pay.error.providerDown':
    'Le service de paiement en ligne ne répond pas en ce moment. Rien n’a été payé. Réessayez dans quelques minutes, ou réglez à l’établissement par chèque ou en espèces.',
  'pay.error.cashOverLimit': 'Le paiement en espèces est limité à {limit}. Pour ce montant, réglez par chèque à l’ordre de « {payee} » ou par carte en ligne.',
  'pay.error.cashNotExact': 'Les espèces se règlent avec l’appoint : le montant remis doit être exactement celui dû.',

  'pay.page.title': 'Paiement : {title}',
  'pay.page.back': 'Retour à mes candidatures',
  'pay.page.session': '{school} — {slots}',
  'pay.page.accepted':
    'Votre candidature est acceptée. L’établissement validera votre inscription quand vous serez venu·e à la convocation ou à la première séance ; vous pourrez alors régler.',
  'pay.page.amount': 'Montant à régler',
  'pay.page.amountPaid': 'Montant payé',
  'pay.page.amountValue': '{amount} ({rate})',
  'pay.page.due': 'À régler avant le',
  'pay.page.reference': 'Référence du paiement',
  'pay.page.pay': 'Régler {amount} par carte bancaire',
  'pay.page.payHint': 'Vous allez sur le site de paiement sécurisé des finances publiques (PayFiP). Revenez ensuite sur cette page : elle indiquera le résultat.',
  'pay.page.atSchool': 'Vous pouvez aussi régler à l’établissement : par chèque à l’ordre de « {payee} », ou en espèces jusqu’à {limit}, avec l’appoint.',
  'pay.page.paid': 'Payé le {date} : vous êtes inscrit·e.',
  'pay.page.paidBy': 'Payé par : {payer}',
  'pay.page.cancelled': 'Ce paiement n’est plus attendu : la candidature est close.',
  'pay.page.attempts': 'Vos essais de paiement en ligne',
  'pay.page.attempt': '{date} : {outcome}',
  'pay.page.noAttempt': 'Aucun essai pour l’instant.',
  'pay.attempt.creating': 'en préparation',
  'pay.attempt.pending': 'en cours : le résultat n’est pas encore connu',
  'pay.attempt.paid': 'paiement accepté',
  'pay.attempt.abandoned': 'paiement abandonné, rien n’a été payé',
  'pay.attempt.refused': 'carte refusée, rien n’a été payé',
  'pay.attempt.expired': 'paiement non terminé dans le temps imparti, rien n’a été payé',
  'pay.attempt.failed': 'le service de paiement n’a pas répondu, rien n’a été payé',
  'pay.attempt.flagged': 'paiement reçu : le service le vérifie et vous recontacte',
  'pay.page.documents': 'Vos documents',
  'pay.page.costAttestation': 'Attestation de coût de la formation (PDF)',
  'pay.page.paymentAttestation': 'Attestation de paiement (PDF)',
  'pay.page.card': 'Carte d’inscrit·e (PDF)',
  'pay.page.noQuote': 'Le service ne fait ni devis ni facture.',
  'pay.page.thirdParty': 'Une autre personne ou un organisme paie pour vous ?',
  'pay.page.thirdPartyHint':
    'Une assistante sociale, un comité d’entreprise ou une association peut payer à votre place : envoyez-lui un lien de paiement. Il sert une seule fois, pendant {days} jours ; en faire un nouveau annule l’ancien. Ils peuvent aussi remettre un chèque à l’établissement.',
  'pay.page.makeLink': 'Créer un lien de paiement',
  'pay.page.link': 'Lien à envoyer (valable jusqu’au {date}) :',
  'pay.page.linkCopy': 'Copiez ce lien maintenant : pour votre sécurité, il ne sera plus affiché.',

  'pay.return.title': 'Résultat du paiement',
  'pay.return.paid': 'Paiement accepté : vous êtes inscrit·e. Un courriel de confirmation vous a été envoyé.',
  'pay.return.paidThirdParty': 'Paiement accepté. Merci : l’inscription est réglée, la personne en est informée par courriel.',
  'pay.return.pending': 'Le résultat du paiement n’est pas encore connu. Rechargez cette page dans une minute ; s’il a été accepté, vous recevrez aussi un courriel.',
  'pay.return.notPaid': 'Le paiement n’a pas abouti : {outcome}. Vous pouvez réessayer.',
  'pay.return.unavailable': 'Le service de paiement ne répond pas en ce moment : nous vérifierons le résultat dès qu’il répondra. Rien ne sera payé deux fois.',
  'pay.return.continue': 'Voir le paiement',

  'pay.link.title': 'Payer une inscription pour quelqu’un',
  'pay.link.intro': 'Vous réglez l’inscription de {holder} au cours « {title} » ({school}).',
  'pay.link.invalid': 'Ce lien de paiement n’est plus valable (il a expiré ou a été remplacé). Demandez-en un nouveau à la personne inscrite.',
  'pay.link.paid': 'Cette inscription est déjà réglée. Merci.',
  'pay.link.payerName': 'Nom du payeur (personne ou organisme)',
  'pay.link.payerNameHint': 'Il figure sur l’attestation de paiement.',
  'pay.link.payerEmail': 'Adresse électronique du payeur',
  'pay.link.payerEmailHint': 'Le service de paiement y envoie son reçu.',
  'pay.link.submit': 'Payer {amount} par carte bancaire',
};

const en: Record<keyof typeof fr, string> = {
  'pay.rate.full': 'full rate',
  'pay.rate.half': 'half rate',

  'pay.error.notDue': 'There is nothing to pay for this enrolment at the moment.',
  'pay.error.attemptInProgress': 'A payment is being prepared: wait a few seconds, then reload the page.',
  'pay.error.providerDown': 'The online payment service is not answering at the moment. Nothing was paid. Try again in a few minutes, or pay at the school by cheque or in cash.',
  'pay.error.cashOverLimit': 'Cash payments are limited to {limit}. For this amount, pay by cheque payable to “{payee}” or by card online.',
  'pay.error.cashNotExact': 'Cash is paid with exact change: the amount handed over must be exactly the amount due.',

  'pay.page.title': 'Payment: {title}',
  'pay.page.back': 'Back to my applications',
  'pay.page.session': '{school} — {slots}',
  'pay.page.accepted': 'Your application is accepted. The school will validate your enrolment once you have come to the invitation or the first meeting; you can then pay.',
  'pay.page.amount': 'Amount to pay',
  'pay.page.amountPaid': 'Amount paid',
  'pay.page.amountValue': '{amount} ({rate})',
  'pay.page.due': 'To pay by',
  'pay.page.reference': 'Payment reference',
  'pay.page.pay': 'Pay {amount} by card',
  'pay.page.payHint': 'You will go to the public finances’ secure payment site (PayFiP). Then come back to this page: it will show the result.',
  'pay.page.atSchool': 'You can also pay at the school: by cheque payable to “{payee}”, or in cash up to {limit}, with exact change.',
  'pay.page.paid': 'Paid on {date}: you are enrolled.',
  'pay.page.paidBy': 'Paid by: {payer}',
  'pay.page.cancelled': 'This payment is no longer expected: the application is closed.',
  'pay.page.attempts': 'Your online payment attempts',
  'pay.page.attempt': '{date}: {outcome}',
  'pay.page.noAttempt': 'No attempt yet.',
  'pay.attempt.creating': 'being prepared',
  'pay.attempt.pending': 'in progress: the result is not known yet',
  'pay.attempt.paid': 'payment accepted',
  'pay.attempt.abandoned': 'payment abandoned, nothing was paid',
  'pay.attempt.refused': 'card refused, nothing was paid',
  'pay.attempt.expired': 'payment not completed in time, nothing was paid',
  'pay.attempt.failed': 'the payment service did not answer, nothing was paid',
  'pay.attempt.flagged': 'payment received: the service is checking it and will contact you',
  'pay.page.documents': 'Your documents',
  'pay.page.costAttestation': 'Attestation of training cost (PDF)',
  'pay.page.paymentAttestation': 'Attestation of payment (PDF)',
  'pay.page.card': 'Enrollee card (PDF)',
  'pay.page.noQuote': 'The service issues neither quotes nor invoices.',
  'pay.page.thirdParty': 'Someone else or an organisation is paying for you?',
  'pay.page.thirdPartyHint':
    'A social worker, a works council or an association can pay in your place: send them a payment link. It works once, for {days} days; making a new one cancels the old one. They can also hand a cheque to the school.',
  'pay.page.makeLink': 'Make a payment link',
  'pay.page.link': 'Link to send (valid until {date}):',
  'pay.page.linkCopy': 'Copy this link now: for your safety, it will not be shown again.',

  'pay.return.title': 'Payment result',
  'pay.return.paid': 'Payment accepted: you are enrolled. A confirmation email has been sent to you.',
  'pay.return.paidThirdParty': 'Payment accepted. Thank you: the enrolment is paid, and the person is told by email.',
  'pay.return.pending': 'The result of the payment is not known yet. Reload this page in a minute; if it was accepted, you will also get an email.',
  'pay.return.notPaid': 'The payment did not go through: {outcome}. You can try again.',
  'pay.return.unavailable': 'The payment service is not answering at the moment: we will check the result as soon as it does. Nothing will be paid twice.',
  'pay.return.continue': 'See the payment',

  'pay.link.title': 'Pay an enrolment for someone',
  'pay.link.intro': 'You are paying the enrolment of {holder} in the course “{title}” ({school}).',
  'pay.link.invalid': 'This payment link is no longer valid (it expired or was replaced). Ask the enrolled person for a new one.',
  'pay.link.paid': 'This enrolment is already paid. Thank you.',
  'pay.link.payerName': 'Payer’s name (person or organisation)',
  'pay.link.payerNameHint': 'It appears on the payment attestation.',
  'pay.link.payerEmail': 'Payer’s email address',
  'pay.link.payerEmailHint': 'The payment service sends its receipt there.',
  'pay.link.submit': 'Pay {amount} by card',
};

type PaymentsMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends PaymentsMessages {}
}

registerMessages('payments', { fr, en });
