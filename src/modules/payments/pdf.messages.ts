import { registerMessages } from '../../platform/i18n';

/**
 * The payments module's messages of its PDF documents, registered when this file is loaded (src/messages.ts loads every
 * module's). French is the reference; English has the same keys and placeholders.
 */
const fr = {
  // The PDF documents (documents.pdf.ts): enrollee card, attestations, receipt.
  'pay.pdf.code': 'Code de vérification',
  'pay.pdf.verify': 'Vérifiez ce document sur {site} avec ce code ou le QR code.',
  'pay.pdf.verifyShort': 'À vérifier sur {site}',
  'pay.pdf.issued': 'Fait le {date}.',
  'pay.pdf.holder': 'Auditeur ou auditrice : {name}',
  'pay.pdf.session': 'Cours : {title} (groupe {code})',
  'pay.pdf.school': 'Établissement : {school}',
  'pay.pdf.notInvoice': 'Ce document n’est ni un devis ni une facture : le service n’en établit pas.',

  'pay.pdf.card.title': 'Carte d’auditeur',
  'pay.pdf.card.year': 'Année {year}',
  'pay.pdf.card.group': 'Groupe {code}',
  'pay.pdf.card.number': 'Carte n° {number}',
  'pay.pdf.card.issued': 'Délivrée le {date}',
  'pay.pdf.card.access': 'Cette carte seule permet l’accès aux cours.',
  'pay.pdf.card.stampAttendance': 'Assiduité',
  'pay.pdf.card.stampSkills': 'Compétences acquises',
  'pay.pdf.card.cut': 'Découpez la carte en suivant les pointillés et pliez-la en deux au milieu.',
  'pay.pdf.card.help':
    'Présentez-la à l’entrée de l’établissement : l’accès peut vous être refusé sans elle. En cas de perte, adressez-vous au chef d’établissement, qui vous en délivrera une nouvelle ; celle-ci ne sera alors plus valable.',

  'pay.pdf.cost.title': 'Attestation de coût de formation',
  'pay.pdf.cost.intro': '{service} atteste que la personne ci-dessous est retenue pour le cours suivant, dont le coût est indiqué ci-après.',
  'pay.pdf.dates': 'Dates : du {from} au {to}',
  'pay.pdf.hours.one': 'Volume horaire : {hours} heure',
  'pay.pdf.hours.other': 'Volume horaire : {hours} heures',
  'pay.pdf.rate': 'Tarif : {rate}',
  'pay.pdf.rate.full': 'plein tarif',
  'pay.pdf.rate.half': 'demi-tarif',
  'pay.pdf.cost.amount': 'Coût de la formation : {amount}',
  'pay.pdf.cost.unpaid': 'Cette somme n’a pas encore été réglée.',

  'pay.pdf.paid.title': 'Attestation de paiement',
  'pay.pdf.paid.intro': '{service} atteste avoir reçu le paiement des droits d’inscription au cours suivant.',
  'pay.pdf.paid.amount': 'Montant payé : {amount}',
  'pay.pdf.paid.when': 'Payé le {date}, {method}.',
  'pay.pdf.paid.byHolder': 'Réglé par l’auditeur ou l’auditrice.',
  'pay.pdf.paid.byThirdParty': 'Réglé par {payer} pour le compte de {name}.',
  'pay.pdf.method.online': 'en ligne par carte bancaire',
  'pay.pdf.method.cheque': 'par chèque',
  'pay.pdf.method.cash': 'en espèces',

  'pay.pdf.receipt.title': 'Reçu de paiement',
  'pay.pdf.receipt.cheque': 'Paiement par chèque',
  'pay.pdf.receipt.cash': 'Paiement en espèces',
  'pay.pdf.receipt.payer': 'Reçu de : {payer}',
  'pay.pdf.receipt.for': 'Pour l’inscription de : {name}',
  'pay.pdf.receipt.amount': 'Montant : {amount}',
  'pay.pdf.receipt.chequeLine': 'Chèque n° {number}, {bank}, à l’ordre de : {payee}',
  'pay.pdf.receipt.cashLine': 'Espèces remises : {amount}, l’appoint exact (aucune monnaie rendue).',
  'pay.pdf.receipt.recorded': 'Enregistré par {name} le {date}.',
  'pay.pdf.receipt.keep': 'Conservez ce reçu : il prouve le paiement jusqu’à la remise de la carte d’auditeur.',
};

const en: Record<keyof typeof fr, string> = {
  'pay.pdf.code': 'Verification code',
  'pay.pdf.verify': 'Check this document at {site} with this code or the QR code.',
  'pay.pdf.verifyShort': 'Check it at {site}',
  'pay.pdf.issued': 'Issued on {date}.',
  'pay.pdf.holder': 'Learner: {name}',
  'pay.pdf.session': 'Course: {title} (group {code})',
  'pay.pdf.school': 'School: {school}',
  'pay.pdf.notInvoice': 'This document is neither a quote nor an invoice: the service issues neither.',

  'pay.pdf.card.title': 'Enrollee card',
  'pay.pdf.card.year': 'Year {year}',
  'pay.pdf.card.group': 'Group {code}',
  'pay.pdf.card.number': 'Card no. {number}',
  'pay.pdf.card.issued': 'Issued on {date}',
  'pay.pdf.card.access': 'This card alone gives access to the course.',
  'pay.pdf.card.stampAttendance': 'Attendance',
  'pay.pdf.card.stampSkills': 'Acquired skills',
  'pay.pdf.card.cut': 'Cut the card out along the dotted line and fold it in two in the middle.',
  'pay.pdf.card.help':
    'Show it at the school’s entrance: you may be refused entry without it. If you lose it, ask the school head, who will give you a new one; this one will then no longer be valid.',

  'pay.pdf.cost.title': 'Attestation of training cost',
  'pay.pdf.cost.intro': '{service} certifies that the person below has been accepted for the following course, whose cost is given below.',
  'pay.pdf.dates': 'Dates: from {from} to {to}',
  'pay.pdf.hours.one': 'Teaching time: {hours} hour',
  'pay.pdf.hours.other': 'Teaching time: {hours} hours',
  'pay.pdf.rate': 'Rate: {rate}',
  'pay.pdf.rate.full': 'full rate',
  'pay.pdf.rate.half': 'half rate',
  'pay.pdf.cost.amount': 'Cost of the training: {amount}',
  'pay.pdf.cost.unpaid': 'This amount has not been paid yet.',

  'pay.pdf.paid.title': 'Attestation of payment',
  'pay.pdf.paid.intro': '{service} certifies that the enrolment fees for the following course have been paid.',
  'pay.pdf.paid.amount': 'Amount paid: {amount}',
  'pay.pdf.paid.when': 'Paid on {date}, {method}.',
  'pay.pdf.paid.byHolder': 'Paid by the learner.',
  'pay.pdf.paid.byThirdParty': 'Paid by {payer} on behalf of {name}.',
  'pay.pdf.method.online': 'online by bank card',
  'pay.pdf.method.cheque': 'by cheque',
  'pay.pdf.method.cash': 'in cash',

  'pay.pdf.receipt.title': 'Payment receipt',
  'pay.pdf.receipt.cheque': 'Payment by cheque',
  'pay.pdf.receipt.cash': 'Payment in cash',
  'pay.pdf.receipt.payer': 'Received from: {payer}',
  'pay.pdf.receipt.for': 'For the enrolment of: {name}',
  'pay.pdf.receipt.amount': 'Amount: {amount}',
  'pay.pdf.receipt.chequeLine': 'Cheque no. {number}, {bank}, payable to: {payee}',
  'pay.pdf.receipt.cashLine': 'Cash handed over: {amount}, the exact amount (no change given).',
  'pay.pdf.receipt.recorded': 'Recorded by {name} on {date}.',
  'pay.pdf.receipt.keep': 'Keep this receipt: it proves the payment until you are given your enrollee card.',
};

type PaymentPdfMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends PaymentPdfMessages {}
}

registerMessages('payments.pdf', { fr, en });
