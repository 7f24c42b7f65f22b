import { registerMessages } from '../../platform/i18n';

/**
 * The payments module's messages of funding (CRED-5) and enrolment all year (CRED-2): the
 * confirmation page, the enrolment's page, the funder's attestation, the price list. French is
 * the reference.
 */
const fr = {
  'doc.kind.funding_attestation': 'Attestation d’inscription pour l’organisme financeur',
  'cred.enrol.title': 'S’inscrire à l’unité {code}',
  'cred.enrol.unit': 'Unité d’enseignement',
  'cred.enrol.session': 'Cours',
  'cred.enrol.fee': 'Tarif',
  'cred.enrol.sourceHint': 'Qui paie votre inscription : vous-même, ou un organisme. Avec un organisme, vous ne payez rien : nous lui transmettons l’attestation et la facture.',
  'cred.enrol.confirm': 'Confirmer mon inscription',
  'cred.enrol.back': 'Retour à la fiche de l’unité',
  'cred.enrol.error.source': 'Choisissez un financement parmi ceux de la liste : personnel, CPF, Région, AIF ou employeur.',
  'cred.enrol.advice.title': 'Conseil :',
  'cred.enrol.advice.body':
    'avec cette unité, vous suivriez {units} unités ce semestre. Nous conseillons de suivre {advised} unités au plus par semestre (2 à 3), pour avoir le temps de travailler chacune. Vous pouvez tout de même vous inscrire.',
  'cred.enrolment.title': 'Mon inscription',
  'cred.enrolment.flash': 'Votre inscription est enregistrée.',
  'cred.enrolment.status': 'État',
  'cred.enrolment.pay': 'Régler mon inscription',
  'cred.enrolment.funderNext': 'Votre inscription est financée par un organisme : vous ne payez rien. Transmettez-lui l’attestation ci-dessous ; nous lui adressons la facture.',
  'cred.enrolment.attestation': 'Télécharger l’attestation pour l’organisme financeur (PDF)',
  'cred.enrolment.all': 'Toutes mes inscriptions',
  'cred.email.next.personal': 'Montant à régler : {amount}, en ligne depuis votre compte.',
  'cred.email.next.funder': 'Votre inscription est financée ({funder}) : vous ne payez rien. {amount} sont facturés à l’organisme ; l’attestation à lui transmettre est dans votre compte.',
  'cred.pdf.title': 'Attestation d’inscription',
  'cred.pdf.intro': '{service} atteste que la personne ci-dessous est inscrite à l’unité d’enseignement suivante, financée par l’organisme nommé.',
  'cred.pdf.unit': 'Unité {code} : {credits} crédits ECTS',
  'cred.pdf.fee': 'Tarif : {amount}, à la charge de : {funder}',
  'cred.pdf.learnerPays': 'Reste à la charge de la personne : {amount}',
  'cred.pdf.attendance': 'Assiduité au {date} : {attended} h suivies sur {held} h de cours tenues ({percent} %).',
  'cred.pdf.notStarted': 'Assiduité : l’unité n’a pas encore commencé.',
  'cred.pdf.assiduity': 'L’assiduité aux enseignements est prise en compte pour la validation des unités.',
  'cred.prices.title': 'Tarifs des unités par financement',
  'cred.prices.intro':
    'Le tarif d’une inscription dépend de son financement : un montant par crédit ECTS de l’unité, ou par unité. Avec un organisme financeur, la personne ne paie rien et le montant est facturé à l’organisme. Un changement vaut pour les inscriptions suivantes.',
  'cred.prices.basis': 'Base',
  'cred.prices.basisOf': 'Base du tarif « {source} »',
  'cred.prices.basis.credit': 'Par crédit ECTS',
  'cred.prices.basis.unit': 'Par unité',
  'cred.prices.amount': 'Montant',
  'cred.prices.amountOf': 'Montant « {source} » (€)',
  'cred.prices.amountHint': 'En euros, par exemple 40 ou 40,50.',
  'cred.prices.save': 'Enregistrer le tarif « {source} »',
  'cred.prices.saved': 'Le tarif « {source} » est enregistré.',
  'cred.prices.error.basis': 'Choisissez « par crédit ECTS » ou « par unité ».',
  'cred.prices.error.amount': 'Indiquez un montant en euros, par exemple 40 ou 40,50.',
  'cred.prices.error.tooLarge': 'Le montant ne peut pas dépasser 5 000 €.',
  'cred.prices.error.personalFree': 'Une inscription personnelle n’est jamais gratuite : une unité gratuite pour la personne relève d’un financeur.',
  'privacy.section.payments.fundings': 'Financement de mes inscriptions',
  'privacy.purpose.payments.funding': 'Savoir qui finance votre inscription et à quel tarif (comptabilité publique, attestation pour l’organisme)',
};

const en: Record<keyof typeof fr, string> = {
  'doc.kind.funding_attestation': 'Attestation of enrolment for the funding body',
  'cred.enrol.title': 'Enrol in the unit {code}',
  'cred.enrol.unit': 'Teaching unit',
  'cred.enrol.session': 'Course',
  'cred.enrol.fee': 'Fee',
  'cred.enrol.sourceHint': 'Who pays your enrolment: you, or a funding body. With a funding body you pay nothing: we send it the attestation and the invoice.',
  'cred.enrol.confirm': 'Confirm my enrolment',
  'cred.enrol.back': 'Back to the unit’s sheet',
  'cred.enrol.error.source': 'Choose a funding from the list: personal, CPF, Region, AIF or employer.',
  'cred.enrol.advice.title': 'Advice:',
  'cred.enrol.advice.body':
    'with this unit you would follow {units} units this semester. We advise at most {advised} units a semester (2 to 3), to have time to work on each. You may still enrol.',
  'cred.enrolment.title': 'My enrolment',
  'cred.enrolment.flash': 'Your enrolment is recorded.',
  'cred.enrolment.status': 'Status',
  'cred.enrolment.pay': 'Pay my enrolment',
  'cred.enrolment.funderNext': 'Your enrolment is funded by a funding body: you pay nothing. Send it the attestation below; we send it the invoice.',
  'cred.enrolment.attestation': 'Download the attestation for the funding body (PDF)',
  'cred.enrolment.all': 'All my enrolments',
  'cred.email.next.personal': 'Amount to pay: {amount}, online from your account.',
  'cred.email.next.funder': 'Your enrolment is funded ({funder}): you pay nothing. {amount} is invoiced to the funder; the attestation to send them is in your account.',
  'cred.pdf.title': 'Attestation of enrolment',
  'cred.pdf.intro': '{service} attests that the person below is enrolled in the following teaching unit, funded by the body named.',
  'cred.pdf.unit': 'Unit {code}: {credits} ECTS credits',
  'cred.pdf.fee': 'Fee: {amount}, paid by: {funder}',
  'cred.pdf.learnerPays': 'Left for the person to pay: {amount}',
  'cred.pdf.attendance': 'Attendance on {date}: {attended} h attended of {held} h of classes held ({percent} %).',
  'cred.pdf.notStarted': 'Attendance: the unit has not started yet.',
  'cred.pdf.assiduity': 'Attendance at classes counts toward passing the units.',
  'cred.prices.title': 'Unit fees by funding',
  'cred.prices.intro':
    'An enrolment’s fee depends on its funding: an amount per ECTS credit of the unit, or per unit. With a funding body the person pays nothing and the amount is invoiced to the body. A change applies to the enrolments after it.',
  'cred.prices.basis': 'Basis',
  'cred.prices.basisOf': 'Basis of the “{source}” fee',
  'cred.prices.basis.credit': 'Per ECTS credit',
  'cred.prices.basis.unit': 'Per unit',
  'cred.prices.amount': 'Amount',
  'cred.prices.amountOf': '“{source}” amount (€)',
  'cred.prices.amountHint': 'In euros, for example 40 or 40.50.',
  'cred.prices.save': 'Save the “{source}” fee',
  'cred.prices.saved': 'The “{source}” fee is saved.',
  'cred.prices.error.basis': 'Choose “per ECTS credit” or “per unit”.',
  'cred.prices.error.amount': 'Give an amount in euros, for example 40 or 40.50.',
  'cred.prices.error.tooLarge': 'The amount cannot be more than €5,000.',
  'cred.prices.error.personalFree': 'A personal enrolment is never free: a unit free for the person is a funder’s.',
  'privacy.section.payments.fundings': 'Funding of my enrolments',
  'privacy.purpose.payments.funding': 'Knowing who funds your enrolment and at which fee (public accounting, the funder’s attestation)',
};

type FundingMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends FundingMessages {}
}

registerMessages('payments.funding', { fr, en });
