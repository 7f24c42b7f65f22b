/**
 * PAY-2: what the payments service asks of an online payment provider. Two implementations:
 * PayFiP (the DGFiP's public-sector service, SOAP web service, `payfip/payfip.ts`) and its
 * faithful simulation for the demo and the tests (`payfip/simulator.ts`), which the same client
 * talks to over HTTP. The service never trusts what the browser or the notification carries: it
 * always asks `details` (PayFiP's notification is not signed and carries only `idOp`).
 */

/** What a new attempt asks for (PayFiP `creerPaiementSecurise`). */
export interface CreateAttempt {
  /** The payment reference of this amount due: ≤ 30 characters, A–Z a–z 0–9 (PayFiP `refdet`). */
  refdet: string;
  /** The budget year (`exer`), from the service's clock in Paris. */
  exer: number;
  /** What is paid for, shown on the provider's page (`objet`, ≤ 100 characters, plain ASCII letters, digits and spaces). */
  objet: string;
  /** Integer cents, 100 … 10 000 000 (1 € to 100 000 €). */
  amountCents: number;
  /** The payer's email (`mel`). */
  email: string;
  /** Where the provider POSTs `idOp` once the payment is over (`urlnotif`, < 250 characters). */
  notifyUrl: string;
  /** Where the browser comes back (`urlredirect`, < 250 characters). */
  returnUrl: string;
}

export interface CreatedAttempt {
  idOp: string;
  /** The provider's page the browser goes to. */
  redirectUrl: string;
}

/** What `recupererDetailPaiementSecurise` says of an `idOp`. */
export type AttemptDetails =
  /** `resultrans` P or V: paid. */
  | { kind: 'paid'; refdet: string; amountCents: number; paidAt: Date; transactionId: string; raw: Record<string, string> }
  /** `resultrans` A: abandoned by the payer. */
  | { kind: 'abandoned'; refdet: string; amountCents: number; raw: Record<string, string> }
  /** `resultrans` R or Z: refused. */
  | { kind: 'refused'; refdet: string; amountCents: number; raw: Record<string, string> }
  /** P5: no result yet (the payer is still on the page). */
  | { kind: 'not_yet' }
  /** P1: unknown or purged. */
  | { kind: 'unknown' }
  /** P3: `idOp` already used. */
  | { kind: 'used' }
  /** P4: older than 15 minutes, never completed. */
  | { kind: 'expired' };

/** The provider is down, slow or answered something that is not its protocol: retry later. */
export class ProviderUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailable';
  }
}

/** A request the provider refused (a fault other than the P-codes above): a bug or a setting. */
export class ProviderRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderRejected';
  }
}

export interface PaymentProvider {
  readonly name: 'payfip';
  /** PayFiP `saisie`: T test, X activation, W production. */
  readonly mode: 'T' | 'X' | 'W';
  create(input: CreateAttempt): Promise<CreatedAttempt>;
  details(idOp: string): Promise<AttemptDetails>;
}

/** An `idOp` lasts 15 minutes at PayFiP. */
export const ATTEMPT_LIFETIME_MS = 15 * 60 * 1000;
