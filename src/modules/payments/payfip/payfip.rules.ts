import type { AttemptDetails, CreateAttempt } from '../provider';
import { payfipDateTime } from './paris-time';
import type { Fault } from './soap';

/**
 * PAY-2: PayFiP's rules on what `creerPaiementSecurise` accepts and what its answers and faults
 * mean, as pure functions (the client in payfip.ts applies them; the simulator enforces the same
 * limits on its side).
 */

/** `refdet`: 6 to 30 letters or digits (PayFiP answers R3 otherwise; "ABCD" is refused). */
export const REFDET = /^[A-Za-z0-9]{6,30}$/;
/** `montant` in cents: 1 € to 100 000 €. */
export const MIN_AMOUNT_CENTS = 100;
export const MAX_AMOUNT_CENTS = 10_000_000;
/** `urlnotif` and `urlredirect` are shorter than 250 characters. */
export const MAX_URL_LENGTH = 249;
/** `objet`: at most 100 characters of A–Z a–z 0–9 and space. */
export const MAX_OBJET_LENGTH = 100;
export const OBJET = /^[A-Za-z0-9 ]{0,100}$/;
/** `mel`: 6 to 80 characters with an @. */
export const MEL = /^[^\s@<>"]+@[^\s@<>"]+$/;
/** `numcli`: the 6 digits the DGFiP gives the service. */
export const NUMCLI = /^\d{6}$/;
/** What an `idOp` looks like (PayFiP gives UUIDs); anything else is not sent to PayFiP. */
export const ID_OP = /^[A-Za-z0-9-]{1,64}$/;

const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss' };

/**
 * `objet` as PayFiP takes it: accents dropped (é → e, œ → oe), any other character a space,
 * spaces collapsed, at most 100 characters. "Cours d’anglais — niveau 1 (2026-2027)" →
 * "Cours d anglais niveau 1 2026 2027".
 */
export function cleanObjet(text: string): string {
  return text
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c])
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .slice(0, MAX_OBJET_LENGTH)
    .trim();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export type AttemptCheck = { ok: true; fields: Record<string, string> } | { ok: false; field: string; message: string };

/**
 * The `creerPaiementSecurise` fields of an attempt, checked before anything is sent: what
 * PayFiP would refuse is refused here, with the field's name. `objet` is cleaned, not refused.
 */
export function attemptFields(settings: { numcli: string; saisie: string }, input: CreateAttempt): AttemptCheck {
  const refuse = (field: string, message: string): AttemptCheck => ({ ok: false, field, message });
  if (!REFDET.test(input.refdet)) return refuse('refdet', 'refdet must be 6 to 30 letters or digits');
  if (!Number.isInteger(input.exer) || input.exer < 2000 || input.exer > 2999) return refuse('exer', 'exer must be a year');
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents < MIN_AMOUNT_CENTS || input.amountCents > MAX_AMOUNT_CENTS)
    return refuse('montant', `the amount must be whole cents from ${MIN_AMOUNT_CENTS} to ${MAX_AMOUNT_CENTS}`);
  if (input.email.length < 6 || input.email.length > 80 || !MEL.test(input.email)) return refuse('mel', 'mel must be an email address of 6 to 80 characters');
  for (const [field, url] of [
    ['urlnotif', input.notifyUrl],
    ['urlredirect', input.returnUrl],
  ] as const) {
    if (url.length > MAX_URL_LENGTH || !isHttpUrl(url)) return refuse(field, `${field} must be an http(s) URL shorter than 250 characters`);
  }
  const objet = cleanObjet(input.objet);
  return {
    ok: true,
    fields: {
      exer: String(input.exer),
      mel: input.email,
      montant: String(input.amountCents),
      numcli: settings.numcli,
      ...(objet ? { objet } : {}),
      refdet: input.refdet,
      saisie: settings.saisie,
      urlnotif: input.notifyUrl,
      urlredirect: input.returnUrl,
    },
  };
}

/** What a fault means for the caller. */
export type FaultMeaning =
  | { kind: 'details'; details: Extract<AttemptDetails, { kind: 'not_yet' | 'unknown' | 'used' | 'expired' }> }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'unavailable'; message: string };

const P_CODES = { P1: 'unknown', P3: 'used', P4: 'expired', P5: 'not_yet' } as const;

/**
 * A PayFiP fault → its meaning. For `recupererDetailPaiementSecurise`, the functional errors
 * P1 (unknown or purged idOp), P3 (already used), P4 (older than 15 minutes) and P5 (result not
 * known yet) are answers, not errors. Any other functional error (R3 refdet, A2 mel, M… amount,
 * T… client number…) and a protocol error (our request is wrong) are refusals: a bug or a
 * setting, retrying will not help. Unavailability and malfunction errors, and faults PayFiP's
 * contract does not describe (a proxy, a crash), mean "try again later".
 */
export function faultMeaning(fault: Fault, operation: string): FaultMeaning {
  const detail = fault.detail;
  const text = (fallback: string) => detail?.fields.descriptif || detail?.fields.libelle || fault.faultstring || fallback;
  if (detail?.type === 'FonctionnelleErreur') {
    const code = detail.fields.code ?? '';
    if (operation === 'recupererDetailPaiementSecurise' && code in P_CODES)
      return { kind: 'details', details: { kind: P_CODES[code as keyof typeof P_CODES] } };
    return { kind: 'rejected', code: code || 'FonctionnelleErreur', message: `PayFiP refused ${operation}: ${code} ${text('')}`.trim() };
  }
  if (detail?.type === 'TechProtocolaireErreur')
    return { kind: 'rejected', code: detail.fields.code || 'TechProtocolaireErreur', message: `PayFiP refused the request to ${operation}: ${text('protocol error')}` };
  if (detail?.type === 'TechIndisponibiliteErreur' || detail?.type === 'TechDysfonctionnementErreur')
    return { kind: 'unavailable', message: `PayFiP is unavailable (${detail.type} ${detail.fields.code ?? ''}): ${text('')}` };
  if (/(^|:)Client$/.test(fault.faultcode)) return { kind: 'rejected', code: fault.faultcode, message: `PayFiP refused the request to ${operation}: ${text('client fault')}` };
  return { kind: 'unavailable', message: `PayFiP answered ${operation} with a fault: ${fault.faultcode} ${text('')}`.trim() };
}

export type DetailsReading = { ok: true; details: AttemptDetails } | { ok: false; message: string };

/**
 * A `recupererDetailPaiementSecurise` answer → the attempt's details. `resultrans` P (card) or
 * V (direct debit) is paid, A abandoned, R (card) or Z (direct debit) refused; `dattrans` and
 * `heurtrans` are Paris wall time. An answer for another idOp, an unknown result or an unreadable
 * amount or date is not PayFiP's protocol.
 */
export function readDetails(idOp: string, raw: Record<string, string>): DetailsReading {
  if (raw.idOp !== undefined && raw.idOp !== idOp) return { ok: false, message: `PayFiP answered for idOp ${raw.idOp}, not ${idOp}` };
  const refdet = raw.refdet ?? '';
  if (!/^\d{1,9}$/.test(raw.montant ?? '')) return { ok: false, message: `PayFiP gave an unreadable amount "${raw.montant ?? ''}"` };
  const amountCents = Number(raw.montant);
  switch (raw.resultrans) {
    case 'P':
    case 'V': {
      const paidAt = payfipDateTime(raw.dattrans ?? '', raw.heurtrans ?? '');
      if (!paidAt) return { ok: false, message: `PayFiP gave an unreadable date "${raw.dattrans ?? ''} ${raw.heurtrans ?? ''}"` };
      return { ok: true, details: { kind: 'paid', refdet, amountCents, paidAt, transactionId: raw.numauto || idOp, raw } };
    }
    case 'A':
      return { ok: true, details: { kind: 'abandoned', refdet, amountCents, raw } };
    case 'R':
    case 'Z':
      return { ok: true, details: { kind: 'refused', refdet, amountCents, raw } };
    default:
      return { ok: false, message: `PayFiP gave an unknown result "${raw.resultrans ?? ''}"` };
  }
}
