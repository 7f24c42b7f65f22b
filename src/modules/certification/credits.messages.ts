import { registerMessages } from '../../platform/i18n';

/** The certification module's messages of units earned (CRED-1). French is the reference. */
const fr = {
  'privacy.purpose.certification.credits': 'Garder les unités d’enseignement que vous avez validées et leurs crédits ECTS, acquis à vie, pour vos cursus',
  'privacy.section.certification.credits': 'Unités d’enseignement validées',
  'privacy.from.unitEarned': 'la validation de l’unité',
  'cred.pdf.attestation.title': 'Attestation de réussite',
  'cred.pdf.attestation.intro': 'Le service {service} atteste que {name} a validé l’unité d’enseignement {code} – {title}, qui lui donne {credits} crédits ECTS.',
  'cred.pdf.earnedOn': 'Unité validée le {date}.',
  'cred.pdf.mark': 'Note : {score} sur {max}.',
  'cred.pdf.forLife': 'Une unité d’enseignement validée est acquise à vie, avec ses crédits ECTS.',
  'cred.pdf.transcript.title': 'Relevé de notes et de crédits',
  'cred.pdf.transcript.intro': 'Le service {service} certifie que {name} a validé, au {date}, les unités d’enseignement suivantes.',
  'cred.pdf.transcript.total': 'Total : {credits} crédits ECTS, {units} unité(s) d’enseignement.',
  'cred.pdf.col.code': 'Code',
  'cred.pdf.col.unit': 'Unité d’enseignement',
  'cred.pdf.col.credits': 'Crédits',
  'cred.pdf.col.earnedOn': 'Validée le',
  'cred.pdf.col.mark': 'Note',
  'cred.doc.credits': 'Crédits ECTS',
  'cred.doc.earnedOn': 'Unité validée le',
  'cred.doc.mark': 'Note',
  'cred.doc.units': 'Unités validées',
  'cred.doc.takenBack': 'Le résultat de l’unité a été corrigé : elle n’est plus validée.',
};

const en: Record<keyof typeof fr, string> = {
  'privacy.purpose.certification.credits': 'Keep the teaching units you passed and their ECTS credits, earned for life, for your programmes',
  'privacy.section.certification.credits': 'Teaching units passed',
  'privacy.from.unitEarned': 'the unit passed',
  'cred.pdf.attestation.title': 'Attestation of success',
  'cred.pdf.attestation.intro': 'The {service} service attests that {name} passed the teaching unit {code} – {title}, which gives them {credits} ECTS credits.',
  'cred.pdf.earnedOn': 'Unit passed on {date}.',
  'cred.pdf.mark': 'Mark: {score} out of {max}.',
  'cred.pdf.forLife': 'A teaching unit passed is earned for life, with its ECTS credits.',
  'cred.pdf.transcript.title': 'Transcript of marks and credits',
  'cred.pdf.transcript.intro': 'The {service} service certifies that {name} had passed, on {date}, the following teaching units.',
  'cred.pdf.transcript.total': 'Total: {credits} ECTS credits, {units} teaching unit(s).',
  'cred.pdf.col.code': 'Code',
  'cred.pdf.col.unit': 'Teaching unit',
  'cred.pdf.col.credits': 'Credits',
  'cred.pdf.col.earnedOn': 'Passed on',
  'cred.pdf.col.mark': 'Mark',
  'cred.doc.credits': 'ECTS credits',
  'cred.doc.earnedOn': 'Unit passed on',
  'cred.doc.mark': 'Mark',
  'cred.doc.units': 'Units passed',
  'cred.doc.takenBack': 'The unit’s result was corrected: it is no longer passed.',
};

type CreditsEarnedMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CreditsEarnedMessages {}
}

registerMessages('certification.credits', { fr, en });
