import { registerMessages } from '../../platform/i18n';

/**
 * ACC-11, ACC-14: the texts of the personal-data sets of selection, payments, attendance and
 * certification (their purposes, what starts their periods, the reasons they stop a closure, the
 * sections of the download, what falls due), read by the registry, the download, the closure and
 * the retention job. The sets name these keys; they live here, with the privacy module that shows
 * them. French is the reference; English has the same keys.
 */
const fr = {
  // What starts a period.
  'privacy.from.payments.settled': 'le règlement du paiement (ou la dernière décision sur son remboursement)',

  // Purposes: payments.
  'privacy.purpose.payments.learner': 'Savoir quels frais d’inscription vous avez payés (comptabilité publique)',
  'privacy.purpose.payments.rate': 'Justifier le tarif appliqué (plein ou demi-tarif)',
  'privacy.purpose.payments.payer': 'Savoir qui a payé pour vous (un tiers : assistante sociale, comité d’entreprise…)',
  'privacy.purpose.payments.cheque': 'Retrouver un paiement par chèque (numéro et banque)',
  'privacy.purpose.payments.payerEmail': 'Envoyer le reçu du paiement en ligne à la personne qui paie',
  'privacy.purpose.payments.result': 'Garder la réponse du service de paiement (PayFiP) sur chaque tentative',
  'privacy.purpose.payments.flagNote': 'Expliquer la vérification d’un paiement en ligne inhabituel',
  'privacy.purpose.payments.refundReason': 'Justifier un remboursement (le motif prévu par le règlement et sa date)',
  'privacy.purpose.payments.refundExplanation': 'Instruire votre demande de remboursement (vos explications)',
  'privacy.purpose.payments.refundProof': 'Instruire votre demande de remboursement (le justificatif envoyé)',
  'privacy.purpose.payments.refundDecision': 'Vous dire pourquoi le remboursement est accordé ou refusé',

  // Purposes: selection.
  'privacy.purpose.selection.evaluation': 'Classer les candidatures (la note du test ou de l’entretien)',
  'privacy.purpose.selection.adjustment': 'Classer les candidatures (un ajustement du classement et sa raison)',
  'privacy.purpose.selection.convocation': 'Vous convoquer au test ou à l’entretien',
  'privacy.purpose.selection.convocationToken': 'Permettre de vérifier la convocation imprimée (son code QR)',
  'privacy.purpose.selection.convocationAttendance': 'Savoir si vous êtes venu au test ou à l’entretien',
  'privacy.purpose.selection.offer': 'Vous proposer une place libérée (liste d’attente)',
  'privacy.purpose.selection.changeRequest': 'Traiter votre demande de changement de jour',
  'privacy.purpose.selection.prerequisites': 'Vérifier les prérequis du cours (la décision et sa raison)',
  'privacy.purpose.selection.decision': 'Vous expliquer la décision de sélection (ce qui a compté ce jour-là)',

  // Purposes: attendance.
  'privacy.purpose.attendance.register': 'Suivre votre présence aux séances (registres d’appel)',
  'privacy.purpose.attendance.incident': 'Vous prévenir de vos absences et suivre leurs suites',
  'privacy.purpose.attendance.calendar': 'Vous donner votre calendrier des cours (lien secret)',
  'privacy.purpose.attendance.connections': 'Suivre votre assiduité aux unités à distance (heures de connexion à l’environnement numérique)',

  // Purposes: certification.
  'privacy.purpose.certification.result': 'Évaluer le cours (les résultats du test de fin de cours)',
  'privacy.purpose.certification.outcome': 'Établir vos attestations et votre historique (ce que chaque cours vous a donné)',
  'privacy.purpose.certification.exemption': 'Traiter votre demande de dispense (le diplôme déclaré)',
  'privacy.purpose.certification.marksRequest': 'Répondre à votre demande de notes',

  // Why the account cannot be closed now.
  'privacy.block.payments.unpaid': 'Des frais d’inscription restent à payer : réglez-les, ou annulez l’inscription, avant de fermer votre compte.',
  'privacy.block.payments.refund': 'Une demande de remboursement est en cours d’examen : attendez la décision avant de fermer votre compte.',
  'privacy.block.payments.attempt': 'Un paiement en ligne est en cours : attendez son résultat (quelques minutes) avant de fermer votre compte.',
  'privacy.block.selection.offer': 'Une place vous est proposée : acceptez-la ou refusez-la avant de fermer votre compte.',
  'privacy.block.selection.changeRequest': 'Votre demande de changement de jour est en cours d’examen : attendez la décision avant de fermer votre compte.',
  'privacy.block.certification.exemption': 'Votre demande de dispense est en cours d’examen : attendez la décision avant de fermer votre compte.',
  'privacy.block.certification.marksRequest': 'Votre demande de notes attend sa réponse : attendez-la avant de fermer votre compte.',

  // Sections of the download.
  'privacy.section.payments.payments': 'Paiements',
  'privacy.section.payments.attempts': 'Paiements en ligne (tentatives)',
  'privacy.section.payments.links': 'Liens de paiement envoyés à un tiers',
  'privacy.section.payments.refunds': 'Remboursements',
  'privacy.section.selection.evaluations': 'Notes des tests et entretiens',
  'privacy.section.selection.adjustments': 'Ajustements du classement',
  'privacy.section.selection.convocations': 'Convocations',
  'privacy.section.selection.offers': 'Places proposées (listes d’attente)',
  'privacy.section.selection.changeRequests': 'Demandes de changement de jour',
  'privacy.section.selection.prerequisites': 'Décisions sur les prérequis',
  'privacy.section.selection.decisions': 'Décisions de sélection et ce qui a compté',
  'privacy.section.attendance.entries': 'Présences aux séances',
  'privacy.section.attendance.incidents': 'Absences signalées et leurs suites',
  'privacy.section.attendance.calendar': 'Calendrier des cours',
  'privacy.section.attendance.connections': 'Connexions à l’environnement numérique de formation',
  'privacy.section.certification.results': 'Résultats des tests de fin de cours',
  'privacy.section.certification.outcomes': 'Bilans de fin de cours',
  'privacy.section.certification.exemptions': 'Demandes de dispense',
  'privacy.section.certification.marksRequests': 'Demandes de notes',

  // What falls due.
  'privacy.due.payments': 'vos paiements et remboursements de plus de dix ans (la durée de conservation comptable)',
};

const en: typeof fr = {
  'privacy.from.payments.settled': 'the payment’s settlement (or the last decision on its refund)',

  'privacy.purpose.payments.learner': 'Knowing which enrolment fees you paid (public accounting)',
  'privacy.purpose.payments.rate': 'Justifying the rate applied (full or half rate)',
  'privacy.purpose.payments.payer': 'Knowing who paid for you (a third party: a social worker, a works council…)',
  'privacy.purpose.payments.cheque': 'Tracing a payment by cheque (its number and bank)',
  'privacy.purpose.payments.payerEmail': 'Sending the online payment’s receipt to the person who pays',
  'privacy.purpose.payments.result': 'Keeping the payment service’s (PayFiP) answer to each attempt',
  'privacy.purpose.payments.flagNote': 'Explaining the check of an unusual online payment',
  'privacy.purpose.payments.refundReason': 'Justifying a refund (the reason the rules provide for, and its date)',
  'privacy.purpose.payments.refundExplanation': 'Examining your refund request (your explanations)',
  'privacy.purpose.payments.refundProof': 'Examining your refund request (the proof you sent)',
  'privacy.purpose.payments.refundDecision': 'Telling you why the refund is granted or refused',

  'privacy.purpose.selection.evaluation': 'Ranking the applications (the mark of the test or interview)',
  'privacy.purpose.selection.adjustment': 'Ranking the applications (an adjustment of the ranking and its reason)',
  'privacy.purpose.selection.convocation': 'Inviting you to the test or interview',
  'privacy.purpose.selection.convocationToken': 'Letting anyone check the printed convocation (its QR code)',
  'privacy.purpose.selection.convocationAttendance': 'Knowing whether you came to the test or interview',
  'privacy.purpose.selection.offer': 'Offering you a place that became free (waiting list)',
  'privacy.purpose.selection.changeRequest': 'Handling your request to change day',
  'privacy.purpose.selection.prerequisites': 'Checking the course’s prerequisites (the decision and its reason)',
  'privacy.purpose.selection.decision': 'Explaining the selection decision to you (what counted that day)',

  'privacy.purpose.attendance.register': 'Following your attendance at the meetings (registers)',
  'privacy.purpose.attendance.incident': 'Warning you about your absences and following them up',
  'privacy.purpose.attendance.calendar': 'Giving you your course calendar (secret link)',
  'privacy.purpose.attendance.connections': 'Following your attendance at remote units (hours connected to the learning environment)',

  'privacy.purpose.certification.result': 'Assessing the course (the end-of-course test’s results)',
  'privacy.purpose.certification.outcome': 'Issuing your certificates and your history (what each course gave you)',
  'privacy.purpose.certification.exemption': 'Handling your request for an exemption (the diploma declared)',
  'privacy.purpose.certification.marksRequest': 'Answering your request for marks',

  'privacy.block.payments.unpaid': 'Enrolment fees are still to be paid: pay them, or cancel the enrolment, before closing your account.',
  'privacy.block.payments.refund': 'A refund request is being examined: wait for the decision before closing your account.',
  'privacy.block.payments.attempt': 'An online payment is in progress: wait for its result (a few minutes) before closing your account.',
  'privacy.block.selection.offer': 'A place is offered to you: accept or decline it before closing your account.',
  'privacy.block.selection.changeRequest': 'Your request to change day is being examined: wait for the decision before closing your account.',
  'privacy.block.certification.exemption': 'Your request for an exemption is being examined: wait for the decision before closing your account.',
  'privacy.block.certification.marksRequest': 'Your request for marks awaits its answer: wait for it before closing your account.',

  'privacy.section.payments.payments': 'Payments',
  'privacy.section.payments.attempts': 'Online payments (attempts)',
  'privacy.section.payments.links': 'Payment links sent to a third party',
  'privacy.section.payments.refunds': 'Refunds',
  'privacy.section.selection.evaluations': 'Marks of tests and interviews',
  'privacy.section.selection.adjustments': 'Adjustments of the ranking',
  'privacy.section.selection.convocations': 'Convocations',
  'privacy.section.selection.offers': 'Places offered (waiting lists)',
  'privacy.section.selection.changeRequests': 'Requests to change day',
  'privacy.section.selection.prerequisites': 'Decisions on prerequisites',
  'privacy.section.selection.decisions': 'Selection decisions and what counted',
  'privacy.section.attendance.entries': 'Attendance at the meetings',
  'privacy.section.attendance.incidents': 'Absences reported and what followed',
  'privacy.section.attendance.calendar': 'Course calendar',
  'privacy.section.attendance.connections': 'Connections to the learning environment',
  'privacy.section.certification.results': 'End-of-course test results',
  'privacy.section.certification.outcomes': 'End-of-course outcomes',
  'privacy.section.certification.exemptions': 'Requests for an exemption',
  'privacy.section.certification.marksRequests': 'Requests for marks',

  'privacy.due.payments': 'your payments and refunds older than ten years (the accounting retention period)',
};

type RegistryBMessages = typeof fr;

declare module '../../platform/i18n' {
  interface Messages extends RegistryBMessages {}
}

registerMessages('privacy.registry-b', { fr, en });
