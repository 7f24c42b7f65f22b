import { ProviderRejected, ProviderUnavailable, type AttemptDetails, type CreateAttempt, type CreatedAttempt, type PaymentProvider } from '../provider';
import { attemptFields, faultMeaning, ID_OP, NUMCLI, readDetails } from './payfip.rules';
import { readEnvelope, requestEnvelope, type Fault, type Fields } from './soap';
import { payfipContract } from './wsdl';

export interface PayfipSettings {
  /** The service's PayFiP client number: 6 digits from the DGFiP. */
  numcli: string;
  /** T test, X activation, W production. */
  saisie: 'T' | 'X' | 'W';
  /** The SOAP endpoint: https://www.payfip.gouv.fr/tpa/services/securite, or the simulator's. */
  wsUrl: string;
  /** The payment page the browser goes to with `?idop=`: https://www.payfip.gouv.fr/tpa/paiementws.web, or the simulator's. */
  pageUrl: string;
  /** How long one call may take, answer read included (10 s). */
  timeoutMs?: number;
}

/** The official endpoints (PayFiP Régie web service). */
export const PAYFIP_WS_URL = 'https://www.payfip.gouv.fr/tpa/services/securite';
export const PAYFIP_PAGE_URL = 'https://www.payfip.gouv.fr/tpa/paiementws.web';

const MAX_ANSWER_BYTES = 1_048_576;

/** The internal signal of a SOAP fault, turned into an answer or an error by the operation. */
class SoapFault extends Error {
  constructor(readonly fault: Fault) {
    super(fault.faultstring);
  }
}

function checkSettings(settings: PayfipSettings): void {
  if (!NUMCLI.test(settings.numcli)) throw new Error('PayFiP: numcli must be 6 digits');
  if (!['T', 'X', 'W'].includes(settings.saisie)) throw new Error('PayFiP: saisie must be T, X or W');
  for (const url of [settings.wsUrl, settings.pageUrl]) {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new Error(`PayFiP: ${url} is not an http(s) URL`);
  }
}

/**
 * PAY-2: the PayFiP Régie web service as a PaymentProvider. `create` calls
 * `creerPaiementSecurise` and gives the page the browser goes to (`pageUrl?idop=…`); `details`
 * calls `recupererDetailPaiementSecurise` (the notification is not signed: whatever it says,
 * the result is asked here). Envelopes are written from the recorded WSDL.
 *
 * Errors: ProviderRejected for what PayFiP refuses (a wrong field, checked here before sending
 * — code `invalid:<field>` — or a functional error other than P1/P3/P4/P5 — code as PayFiP
 * gives it, e.g. R3); ProviderUnavailable when the answer does not come within `timeoutMs`
 * (10 s), the network fails, PayFiP answers HTTP 5xx without a SOAP fault, says it is
 * unavailable, or answers something that is not its protocol. Throws at once on bad settings.
 */
export function createPayfipClient(settings: PayfipSettings): PaymentProvider {
  checkSettings(settings);
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const contract = payfipContract;

  async function call(operation: string, values: Fields): Promise<Record<string, string>> {
    const body = requestEnvelope(contract, operation, values);
    let status: number;
    let text: string;
    try {
      const response = await fetch(settings.wsUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', accept: 'text/xml' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ProviderUnavailable(timedOut ? `PayFiP did not answer ${operation} within ${timeoutMs} ms` : `PayFiP could not be reached for ${operation}`, { cause: error });
    }
    if (text.length > MAX_ANSWER_BYTES) throw new ProviderUnavailable(`PayFiP answered ${operation} with ${text.length} characters`);
    const message = readEnvelope(text);
    if (!message) throw new ProviderUnavailable(`PayFiP answered ${operation} with HTTP ${status} and no SOAP envelope`);
    if (message.kind === 'fault') throw new SoapFault(message.fault);
    const expected = contract.operations[operation].output;
    if (status !== 200 || message.ns !== contract.namespace || message.element !== expected.element || message.wrapper !== expected.wrapper)
      throw new ProviderUnavailable(`PayFiP answered ${operation} with HTTP ${status} and ${message.element}, not ${expected.element}`);
    return message.fields;
  }

  return {
    name: 'payfip',
    mode: settings.saisie,

    async create(input: CreateAttempt): Promise<CreatedAttempt> {
      const checked = attemptFields(settings, input);
      if (!checked.ok) throw new ProviderRejected(`invalid:${checked.field}`, checked.message);
      let answer: Record<string, string>;
      try {
        answer = await call('creerPaiementSecurise', checked.fields);
      } catch (error) {
        if (!(error instanceof SoapFault)) throw error;
        const meaning = faultMeaning(error.fault, 'creerPaiementSecurise');
        if (meaning.kind === 'unavailable') throw new ProviderUnavailable(meaning.message);
        if (meaning.kind === 'rejected') throw new ProviderRejected(meaning.code, meaning.message);
        throw new ProviderUnavailable(`PayFiP answered creerPaiementSecurise with ${meaning.details.kind}`);
      }
      const idOp = answer.idOp ?? '';
      if (!ID_OP.test(idOp)) throw new ProviderUnavailable(`PayFiP gave no usable idOp ("${idOp.slice(0, 80)}")`);
      const separator = settings.pageUrl.includes('?') ? '&' : '?';
      return { idOp, redirectUrl: `${settings.pageUrl}${separator}idop=${encodeURIComponent(idOp)}` };
    },

    async details(idOp: string): Promise<AttemptDetails> {
      // What a notification or a return URL carries is not trusted: garbage is not sent on.
      if (!ID_OP.test(idOp)) return { kind: 'unknown' };
      let answer: Record<string, string>;
      try {
        answer = await call('recupererDetailPaiementSecurise', { idOp });
      } catch (error) {
        if (!(error instanceof SoapFault)) throw error;
        const meaning = faultMeaning(error.fault, 'recupererDetailPaiementSecurise');
        if (meaning.kind === 'details') return meaning.details;
        if (meaning.kind === 'rejected') throw new ProviderRejected(meaning.code, meaning.message);
        throw new ProviderUnavailable(meaning.message);
      }
      const reading = readDetails(idOp, answer);
      if (!reading.ok) throw new ProviderUnavailable(reading.message);
      return reading.details;
    },
  };
}
