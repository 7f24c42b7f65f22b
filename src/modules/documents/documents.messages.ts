import { registerMessages } from '../../platform/i18n';

/**
 * The documents module's messages (PAY-10: the public verification pages), registered when this
 * file is loaded (src/messages.ts loads every module's). French is the reference; English has
 * the same keys and placeholders.
 */
const fr = {
  'doc.verify.title': 'Vérifier un document',
  'doc.verify.intro':
    'Les convocations, cartes d’auditeur, attestations, reçus et certificats délivrés par le service portent un code QR et un code court. Scannez le code QR, ou tapez le code ci-dessous : cette page dit si le document est authentique et toujours valable, sans rien montrer de plus que nécessaire.',
  'doc.verify.codeLabel': 'Code du document',
  'doc.verify.codeHint': '12 caractères, imprimés sous le code QR, par exemple K7QM-4XTR-9PZA. Majuscules ou minuscules, avec ou sans tirets ni espaces.',
  'doc.verify.submit': 'Vérifier',
  'doc.verify.again': 'Vérifier un autre document',
  'doc.verify.official': 'L’adresse officielle de ce service est {host}. Vérifiez que la barre d’adresse de votre navigateur l’affiche : une page semblable à une autre adresse ne prouve rien.',
  'doc.verify.error.shape': 'Ce code n’a pas la forme d’un code de document : 12 lettres et chiffres, sans O, I, L, 0 ni 1. Vérifiez ce que vous avez tapé.',
  'doc.verify.error.checksum': 'Un des caractères de ce code est erroné : vérifiez-le sur le document.',

  'doc.notFound.title': 'Aucun document ne porte ce code',
  'doc.notFound.message': 'Le service n’a délivré aucun document portant ce code. Vérifiez le code imprimé sous le code QR : un document dont le code est inconnu ici n’a pas été délivré par le service.',

  'doc.status.valid.title': 'Document authentique et valable',
  'doc.status.valid.message': 'Ce document a bien été délivré par le service, et il est valable.',
  'doc.status.replaced.title': 'Document remplacé',
  'doc.status.replaced.message': 'Ce document a bien été délivré par le service, mais il a été remplacé par un autre : il n’est plus valable.',
  'doc.status.replaced.diploma': 'Ce diplôme a bien été délivré par le service, mais il a été remplacé par un duplicata (l’original déclaré perdu, détruit ou volé) : seul le duplicata est valable.',
  'doc.status.replaced.transcript': 'Ce relevé a bien été délivré par le service, mais un relevé plus récent le remplace : demandez le dernier relevé à son titulaire.',
  'doc.status.revoked.title': 'Document annulé',
  'doc.status.revoked.message': 'Ce document a bien été délivré par le service, mais il a été annulé : il n’est plus valable.',
  'doc.status.expired.title': 'Document expiré',
  'doc.status.expired.message': 'Ce document a bien été délivré par le service, mais sa validité a pris fin le {date}.',

  'doc.statusName.valid': 'Valable',
  'doc.statusName.replaced': 'Remplacé',
  'doc.statusName.revoked': 'Annulé',
  'doc.statusName.expired': 'Expiré',

  'doc.signature.valid': 'La signature du code QR est authentique : le service l’a faite pour ce document.',
  'doc.signature.invalid':
    'La signature portée par ce lien ne correspond pas à ce document : le lien a pu être modifié. Ce qui suit est ce que le registre du service indique pour ce code.',

  'doc.field.kind': 'Type de document',
  'doc.field.code': 'Code',
  'doc.field.status': 'État',
  'doc.field.holder': 'Titulaire (initiales)',
  'doc.field.title': 'Intitulé',
  'doc.field.issuer': 'Délivré par',
  'doc.field.issuedAt': 'Délivré le',
  'doc.field.validFrom': 'Valable à partir du',
  'doc.field.validUntil': 'Valable jusqu’au',

  'doc.kind.convocation': 'Convocation',
  'doc.kind.enrollee_card': 'Carte d’auditeur',
  'doc.kind.cost_attestation': 'Attestation de coût de formation',
  'doc.kind.payment_attestation': 'Attestation de paiement',
  'doc.kind.receipt': 'Reçu',
  'doc.kind.attendance_certificate': 'Attestation d’assiduité',
  'doc.kind.certificate': 'Certificat de compétences',
  'doc.kind.unit_attestation': 'Attestation de réussite d’une unité d’enseignement',
  'doc.kind.transcript': 'Relevé de notes et de crédits',
  'doc.kind.diploma': 'Diplôme, certificat ou titre',

  'doc.staff.title': 'Pour le personnel',
  'doc.staff.intro': 'Vous voyez aussi ce qui suit parce que ce document relève de votre périmètre.',
  'doc.staff.holder': 'Titulaire',
  'doc.staff.reason': 'Motif de l’annulation',
  'doc.staff.changedAt': 'État changé le',
  'doc.staff.open': 'Ouvrir la fiche',

  'doc.detail.session': 'Groupe',
  'doc.detail.when': 'Date et heure',
  'doc.detail.place': 'Lieu',
  'doc.reason.withdrawn': 'La candidature a été abandonnée (désistement ou absence à la convocation).',
  'doc.reason.refunded': 'L’inscription a été remboursée.',
  'doc.reason.ended': 'L’inscription a pris fin.',
};

const en: Record<keyof typeof fr, string> = {
  'doc.verify.title': 'Check a document',
  'doc.verify.intro':
    'The invitations, learner cards, attestations, receipts and certificates the service issues carry a QR code and a short code. Scan the QR code, or type the code below: this page says whether the document is genuine and still valid, and shows nothing more than needed.',
  'doc.verify.codeLabel': 'Document code',
  'doc.verify.codeHint': '12 characters, printed under the QR code, for example K7QM-4XTR-9PZA. Upper or lower case, with or without dashes or spaces.',
  'doc.verify.submit': 'Check',
  'doc.verify.again': 'Check another document',
  'doc.verify.official': 'The official address of this service is {host}. Check that your browser’s address bar shows it: a similar page at another address proves nothing.',
  'doc.verify.error.shape': 'This is not the shape of a document code: 12 letters and digits, without O, I, L, 0 or 1. Check what you typed.',
  'doc.verify.error.checksum': 'One of the characters of this code is wrong: check it on the document.',

  'doc.notFound.title': 'No document has this code',
  'doc.notFound.message': 'The service has issued no document with this code. Check the code printed under the QR code: a document whose code is unknown here was not issued by the service.',

  'doc.status.valid.title': 'Genuine and valid document',
  'doc.status.valid.message': 'This document was issued by the service, and it is valid.',
  'doc.status.replaced.title': 'Replaced document',
  'doc.status.replaced.message': 'This document was issued by the service, but another one has replaced it: it is no longer valid.',
  'doc.status.replaced.diploma': 'This diploma was issued by the service, but a duplicate has replaced it (the original declared lost, destroyed or stolen): only the duplicate is valid.',
  'doc.status.replaced.transcript': 'This transcript was issued by the service, but a more recent one replaces it: ask its holder for the latest transcript.',
  'doc.status.revoked.title': 'Cancelled document',
  'doc.status.revoked.message': 'This document was issued by the service, but it has been cancelled: it is no longer valid.',
  'doc.status.expired.title': 'Expired document',
  'doc.status.expired.message': 'This document was issued by the service, but its validity ended on {date}.',

  'doc.statusName.valid': 'Valid',
  'doc.statusName.replaced': 'Replaced',
  'doc.statusName.revoked': 'Cancelled',
  'doc.statusName.expired': 'Expired',

  'doc.signature.valid': 'The QR code’s signature is genuine: the service made it for this document.',
  'doc.signature.invalid': 'The signature this link carries does not match this document: the link may have been altered. What follows is what the service’s register says of this code.',

  'doc.field.kind': 'Kind of document',
  'doc.field.code': 'Code',
  'doc.field.status': 'Status',
  'doc.field.holder': 'Holder (initials)',
  'doc.field.title': 'Title',
  'doc.field.issuer': 'Issued by',
  'doc.field.issuedAt': 'Issued on',
  'doc.field.validFrom': 'Valid from',
  'doc.field.validUntil': 'Valid until',

  'doc.kind.convocation': 'Invitation',
  'doc.kind.enrollee_card': 'Learner card',
  'doc.kind.cost_attestation': 'Attestation of training cost',
  'doc.kind.payment_attestation': 'Attestation of payment',
  'doc.kind.receipt': 'Receipt',
  'doc.kind.attendance_certificate': 'Attendance certificate',
  'doc.kind.certificate': 'Certificate of skills',
  'doc.kind.unit_attestation': 'Attestation of success in a teaching unit',
  'doc.kind.transcript': 'Transcript of marks and credits',
  'doc.kind.diploma': 'Diploma, certificate or title',

  'doc.staff.title': 'For staff',
  'doc.staff.intro': 'You also see what follows because this document is in your scope.',
  'doc.staff.holder': 'Holder',
  'doc.staff.reason': 'Reason for the cancellation',
  'doc.staff.changedAt': 'Status changed on',
  'doc.staff.open': 'Open the record',

  'doc.detail.session': 'Group',
  'doc.detail.when': 'Date and time',
  'doc.detail.place': 'Place',
  'doc.reason.withdrawn': 'The application was given up (withdrawal, or absence at the invitation).',
  'doc.reason.refunded': 'The enrolment was refunded.',
  'doc.reason.ended': 'The enrolment ended.',
};

type DocumentsMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends DocumentsMessages {}
}

registerMessages('documents', { fr, en });
