import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '../../../platform/clock';
import { ATTEMPT_LIFETIME_MS } from '../provider';
import { toPayfipDateTime } from './paris-time';
import { MAX_AMOUNT_CENTS, MAX_URL_LENGTH, MEL, MIN_AMOUNT_CENTS, NUMCLI, OBJET, REFDET } from './payfip.rules';
import { faultEnvelope, readEnvelope, responseEnvelope, type Fields } from './soap';
import { errorPage, paymentPage, stylesheet, ticketPage, unavailablePage, type NotificationMode, type Outcome } from './simulator.views';
import { payfipContract, WSDL_PATH } from './wsdl';

export type { NotificationMode, Outcome } from './simulator.views';

/**
 * PAY-2: a simulated PayFiP for the demo and the tests, that the real client (payfip.ts) talks
 * to over HTTP as it would to the DGFiP: the SOAP endpoint answers `creerPaiementSecurise` and
 * `recupererDetailPaiementSecurise` with the recorded WSDL's envelopes and faults; the payment
 * page (`/tpa/paiementws.web?idop=`) offers card accepted, card refused or abandon; the
 * notification is an unsigned POST `idOp=…` to `urlnotif`; the browser comes back to
 * `urlredirect?idop=…` from the ticket page's link. An idOp lasts 15 minutes from its creation
 * on the simulator's clock: P5 while the payer has not finished, P4 past 15 minutes, P1 for an
 * unknown one (and for an unfinished one a day later, purged as PayFiP does at night), P3 when
 * an idOp already paid, refused or abandoned is paid again.
 *
 * Its state is in memory (one process; lost at restart), which is enough for a simulation.
 * It is never mounted in production (config.payfip is never `simulated` there).
 */

/** How the simulated web service behaves: answering, down (HTTP 503 page), slow (answers after `slowMs`), garbled (HTTP 200, not SOAP). */
export type ServiceMode = 'up' | 'down' | 'slow' | 'garbled';

export interface SimulatorModes {
  /** When the notification is sent: at once, twice, `lateMs` after the payment, before the browser leaves the ticket page's request, or never. */
  notification: NotificationMode;
  service: ServiceMode;
  /** The delay of a late notification (3 s). */
  lateMs: number;
  /** How long a slow answer takes (15 s: more than the client's 10 s). */
  slowMs: number;
}

export interface SimulatorOptions extends Partial<SimulatorModes> {
  /** The simulator's "now" (idOp lifetime, dattrans/heurtrans): the app's clock. */
  clock?: Clock;
  /** The one client number the simulator knows (others: T2); any 6 digits when unset. */
  numcli?: string;
  /** How long a notification may take before it is given up (5 s). */
  notifyTimeoutMs?: number;
  /**
   * The only origin urlnotif and urlredirect may point at (the app's own, when mounted in it): a
   * simulator open to the Internet (a public demo) then never POSTs to an address someone else gave.
   */
  callbackOrigin?: string;
}

export type Resultrans = 'P' | 'V' | 'A' | 'R' | 'Z';

export interface SimulatedAttempt {
  idOp: string;
  numcli: string;
  exer: string;
  refdet: string;
  objet: string;
  montant: number;
  mel: string;
  urlnotif: string;
  urlredirect: string;
  saisie: string;
  createdAt: Date;
  resultrans?: Resultrans;
  resultAt?: Date;
  numauto?: string;
}

export interface NotificationRecord {
  idOp: string;
  url: string;
  at: Date;
  /** The receiver's HTTP status, or undefined when it could not be reached (`error`). */
  status?: number;
  error?: string;
}

export interface ReceivedRequest {
  at: Date;
  /** The body element's local name ('' when the envelope could not be read). */
  operation: string;
  body: string;
}

/** What PayFiP would answer when an idOp cannot be paid: unknown (P1), used (P3), too old (P4). */
export class SimulatorRefusal extends Error {
  constructor(
    readonly code: 'P1' | 'P3' | 'P4',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SimulatorRefusal';
  }
}

export interface PayfipSimulator {
  /** The fastify plugin to register under a prefix (see `docs/payfip.md`, "Mounting the simulator"). */
  readonly routes: FastifyPluginAsync;
  readonly modes: Readonly<SimulatorModes>;
  configure(modes: Partial<SimulatorModes>): void;
  /**
   * The test hook: the payer's choice without a browser. Records the result (card, or direct
   * debit with `method: 'debit'`: V or Z) and sends the notification in the current mode (or
   * `notification`). Throws SimulatorRefusal P1, P3 or P4 as the payment page would refuse.
   */
  pay(idOp: string, outcome: Outcome, options?: { method?: 'card' | 'debit'; notification?: NotificationMode }): Promise<SimulatedAttempt>;
  attempt(idOp: string): SimulatedAttempt | undefined;
  attempts(): SimulatedAttempt[];
  /** The notifications sent, in the order they ended (the last thousand). */
  readonly notifications: readonly NotificationRecord[];
  /** The SOAP requests received, as sent (the last thousand). */
  readonly requests: readonly ReceivedRequest[];
  /** Resolves once every notification scheduled so far has been delivered or given up. */
  settled(): Promise<void>;
  /** Forgets every attempt, notification and request (the modes stay). */
  reset(): void;
  /** Cancels late notifications and slow answers still waiting. */
  close(): void;
}

const SERVICE_PATH = '/tpa/services/securite';
const PAGE_PATH = '/tpa/paiementws.web';
const TICKET_PATH = '/tpa/resultat.web';
/** An unfinished idOp is purged the next night: a day later it is unknown (P1). */
const PURGE_MS = 24 * 60 * 60 * 1000;
/** A finished one is kept a year at PayFiP; a month is enough here. */
const KEEP_MS = 31 * 24 * 60 * 60 * 1000;

const FONCTIONNELLE = 'fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur';

/** Functional errors and their wording (PayFiP's where public integrations show it). */
const ERRORS = {
  A1: 'Adresse mel non renseignée',
  A2: 'Adresse mel incorrecte',
  D1: 'URL de redirection non valide',
  M1: "Le format du montant n'est pas correct",
  M3: 'Le montant doit être au moins de 1 euro',
  M5: 'Le montant dépasse le maximum autorisé',
  N1: 'URL de notification non valide',
  O1: "Le format du paramètre OBJET n'est pas conforme",
  P1: 'IdOp incorrect',
  P3: "L'idOp ne doit pas avoir déjà été utilisé",
  P4: "L'idOp ne doit pas avoir été enregistré depuis plus de 15 minutes",
  P5: 'Résultat de la transaction non connu',
  R3: "Le format du paramètre REFDET n'est pas conforme",
  S1: 'Le mode de saisie est invalide',
  T1: 'Le numéro de client est invalide',
  T2: "Le numéro de client n'est pas connu de PayFiP",
} as const;
type ErrorCode = keyof typeof ERRORS;

const OUTCOMES: Record<string, Outcome> = { accepte: 'accepted', refuse: 'refused', abandon: 'abandoned' };
const NOTIFICATION_MODES: readonly NotificationMode[] = ['normal', 'twice', 'late', 'before-return', 'never'];

function validUrl(value: string | undefined): boolean {
  if (!value || value.length > MAX_URL_LENGTH || !URL.canParse(value)) return false;
  return /^https?:$/.test(new URL(value).protocol);
}

/** `creerPaiementSecurise`'s checks, in PayFiP's spirit: the first wrong field's code. */
function creationError(fields: Record<string, string>, numcli: string | undefined): ErrorCode | undefined {
  if (!NUMCLI.test(fields.numcli ?? '')) return 'T1';
  if (numcli && fields.numcli !== numcli) return 'T2';
  if (!['T', 'X', 'W'].includes(fields.saisie ?? '')) return 'S1';
  if (!REFDET.test(fields.refdet ?? '')) return 'R3';
  if (!/^\d{1,11}$/.test(fields.montant ?? '')) return 'M1';
  if (Number(fields.montant) < MIN_AMOUNT_CENTS) return 'M3';
  if (Number(fields.montant) > MAX_AMOUNT_CENTS) return 'M5';
  if (!fields.mel) return 'A1';
  if (fields.mel.length < 6 || fields.mel.length > 80 || !MEL.test(fields.mel)) return 'A2';
  if (!validUrl(fields.urlnotif)) return 'N1';
  if (!validUrl(fields.urlredirect)) return 'D1';
  if (!OBJET.test(fields.objet ?? '')) return 'O1';
  return undefined;
}

/** With `callbackOrigin`: a notification or return address elsewhere is refused as PayFiP refuses a bad one (N1, D1). */
function callbackError(fields: Record<string, string>, origin: string | undefined): ErrorCode | undefined {
  if (!origin) return undefined;
  const at = (url: string) => URL.canParse(url) && new URL(url).origin === new URL(origin).origin;
  if (!at(fields.urlnotif ?? '')) return 'N1';
  if (!at(fields.urlredirect ?? '')) return 'D1';
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The body of a request, or undefined past `limit` bytes (read to the end all the same, so the answer can be sent). */
async function readBody(stream: AsyncIterable<Buffer | string>, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size <= limit) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
}

/** The logs keep the last thousand entries: a demo left running does not grow without end. */
function keepLast<T>(log: T[], entry: T): void {
  log.push(entry);
  if (log.length > 1_000) log.splice(0, log.length - 1_000);
}

const withIdop = (url: string, idOp: string) => `${url}${url.includes('?') ? '&' : '?'}idop=${encodeURIComponent(idOp)}`;

/** The simulated PayFiP (see the module comment). Mount `routes`, or use `startPayfipSimulator`. */
export function createPayfipSimulator(options: SimulatorOptions = {}): PayfipSimulator {
  const clock = options.clock ?? systemClock;
  const notifyTimeoutMs = options.notifyTimeoutMs ?? 5_000;
  const modes: SimulatorModes = {
    notification: options.notification ?? 'normal',
    service: options.service ?? 'up',
    lateMs: options.lateMs ?? 3_000,
    slowMs: options.slowMs ?? 15_000,
  };
  const attempts = new Map<string, SimulatedAttempt>();
  /** The one-time token of the payment form last shown for an idOp (the simulator's own CSRF protection). */
  const nonces = new Map<string, string>();
  const notifications: NotificationRecord[] = [];
  const requests: ReceivedRequest[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  const contract = payfipContract;

  const age = (attempt: SimulatedAttempt) => clock.now().getTime() - attempt.createdAt.getTime();

  function purge(): void {
    for (const [idOp, attempt] of attempts)
      if ((!attempt.resultrans && age(attempt) >= PURGE_MS) || age(attempt) >= KEEP_MS) {
        attempts.delete(idOp);
        nonces.delete(idOp);
      }
  }

  function lookup(idOp: string): SimulatedAttempt | undefined {
    purge();
    return attempts.get(idOp);
  }

  /** Waits `ms`, or less if the simulator is closed meanwhile. */
  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  }

  async function deliver(attempt: SimulatedAttempt): Promise<void> {
    const record: NotificationRecord = { idOp: attempt.idOp, url: attempt.urlnotif, at: clock.now() };
    try {
      const response = await fetch(attempt.urlnotif, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ idOp: attempt.idOp }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(notifyTimeoutMs),
      });
      record.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    keepLast(notifications, record);
  }

  /** Sends the notification of a finished attempt in `mode`; resolves when it is over. */
  function notify(attempt: SimulatedAttempt, mode: NotificationMode): Promise<void> {
    let sending: Promise<void>;
    if (mode === 'never') return Promise.resolve();
    if (mode === 'twice') sending = Promise.all([deliver(attempt), deliver(attempt)]).then(() => undefined);
    else if (mode === 'late') {
      sending = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void deliver(attempt).then(resolve);
        }, modes.lateMs);
        // Closed before it is due: given up, not sent.
        timers.set(timer, resolve);
      });
    } else sending = deliver(attempt);
    pending.add(sending);
    void sending.finally(() => pending.delete(sending));
    return sending;
  }

  function settle(idOp: string, outcome: Outcome, method: 'card' | 'debit'): SimulatedAttempt {
    const attempt = lookup(idOp);
    if (!attempt) throw new SimulatorRefusal('P1', ERRORS.P1);
    if (attempt.resultrans) throw new SimulatorRefusal('P3', ERRORS.P3);
    if (age(attempt) >= ATTEMPT_LIFETIME_MS) throw new SimulatorRefusal('P4', ERRORS.P4);
    const codes: Record<Outcome, Resultrans> = method === 'debit' ? { accepted: 'V', refused: 'Z', abandoned: 'A' } : { accepted: 'P', refused: 'R', abandoned: 'A' };
    attempt.resultrans = codes[outcome];
    attempt.resultAt = clock.now();
    if (outcome === 'accepted') attempt.numauto = `${randomBytes(6).readUIntBE(0, 6) % 1_000_000_000_000}`.padStart(12, '0');
    nonces.delete(idOp);
    return attempt;
  }

  const functionalFault = (code: ErrorCode) =>
    faultEnvelope(contract, {
      faultcode: 'S:Server',
      faultstring: FONCTIONNELLE,
      detail: { type: 'FonctionnelleErreur', fields: { code, descriptif: ERRORS[code], libelle: ERRORS[code], severite: '2' } },
    });

  /** One SOAP call → [HTTP status, envelope]. */
  function answer(xml: string): [number, string] {
    const message = readEnvelope(xml);
    keepLast(requests, { at: clock.now(), operation: message?.kind === 'message' ? message.element : '', body: xml });
    if (!message || message.kind !== 'message')
      return [500, faultEnvelope(contract, { faultcode: 'S:Client', faultstring: "Couldn't create SOAP message due to exception: XML reader error" })];
    const operation = message.ns === contract.namespace ? Object.keys(contract.operations).find((name) => contract.operations[name].input.element === message.element) : undefined;
    if (!operation) return [500, faultEnvelope(contract, { faultcode: 'S:Client', faultstring: `Cannot find dispatch method for {${message.ns}}${message.element}` })];
    // JAXB binds only the schema's unqualified fields; anything else is as good as absent.
    const fields = message.wrapper === contract.operations[operation].input.wrapper ? message.fields : {};
    if (operation === 'creerPaiementSecurise') {
      const error = creationError(fields, options.numcli) ?? callbackError(fields, options.callbackOrigin);
      if (error) return [500, functionalFault(error)];
      purge();
      const attempt: SimulatedAttempt = {
        idOp: randomUUID(),
        numcli: fields.numcli,
        exer: fields.exer ?? '',
        refdet: fields.refdet,
        objet: fields.objet ?? '',
        montant: Number(fields.montant),
        mel: fields.mel,
        urlnotif: fields.urlnotif,
        urlredirect: fields.urlredirect,
        saisie: fields.saisie,
        createdAt: clock.now(),
      };
      attempts.set(attempt.idOp, attempt);
      return [200, responseEnvelope(contract, operation, { idOp: attempt.idOp })];
    }
    if (operation === 'recupererDetailPaiementSecurise') {
      const attempt = lookup(fields.idOp ?? '');
      if (!attempt) return [500, functionalFault('P1')];
      if (!attempt.resultrans) return [500, functionalFault(age(attempt) >= ATTEMPT_LIFETIME_MS ? 'P4' : 'P5')];
      const values: Fields = {
        ...toPayfipDateTime(attempt.resultAt!),
        exer: attempt.exer,
        idOp: attempt.idOp,
        mel: attempt.mel,
        montant: String(attempt.montant),
        numauto: attempt.numauto,
        numcli: attempt.numcli,
        objet: attempt.objet,
        refdet: attempt.refdet,
        resultrans: attempt.resultrans,
        saisie: attempt.saisie,
      };
      return [200, responseEnvelope(contract, operation, values)];
    }
    // recupererDetailClient: the service's names as PayFiP knows them.
    if (!NUMCLI.test(fields.numCli ?? '') || (options.numcli && fields.numCli !== options.numcli)) return [500, functionalFault('T2')];
    return [200, responseEnvelope(contract, operation, { libelleN1: 'SIMULATION PAYFIP', libelleN2: 'REGIE DES COURS MUNICIPAUX', numcli: fields.numCli })];
  }

  /**
   * The payer's choice and PayFiP's SOAP calls come from "another site": they carry none of the
   * app's CSRF tokens. So the simulator answers its two POST routes in the route's own onRequest
   * hook, reading the body itself, and the request never reaches the app's later stages — its
   * form parser, and its CSRF check in preValidation (platform/csrf.ts), which fastify applies
   * to every route whatever the order of registration. This holds for these routes only: a
   * route's hooks run for the route fastify's router matched, so no URL
   * (`/simulateur-payfip/../compte`) or header brings an app route here, and the app's own POST
   * routes keep their check (simulator.test.ts). The page's form has its own one-time token
   * instead; the simulator reads no cookie. It is never mounted in production.
   */
  const answeredEarly =
    (limit: number, handle: (request: FastifyRequest, body: string, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = await readBody(request.raw, limit);
      if (body === undefined) await reply.code(413).type('text/plain; charset=utf-8').send('Requête trop grande');
      else await handle(request, body, reply);
      return reply;
    };
  const answered = async () => {
    throw new Error('answered in the route’s onRequest hook');
  };

  const routes: FastifyPluginAsync = async (instance) => {
    const base = instance.prefix;
    instance.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        reply.header('cache-control', 'no-store');
      }
      return payload;
    });
    instance.addHook('onClose', async () => close());
    instance.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (request.url.startsWith(`${base}${SERVICE_PATH}`))
        return reply.code(500).type('text/xml; charset=utf-8').send(faultEnvelope(contract, { faultcode: status < 500 ? 'S:Client' : 'S:Server', faultstring: error.message }));
      return reply.code(status).type('text/html; charset=utf-8').send(errorPage(base, String(status), 'La demande n’a pas pu être traitée.'));
    });

    const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
    const refusalPage = (reply: FastifyReply, refusal: SimulatorRefusal) => html(reply, { P1: 404, P3: 409, P4: 410 }[refusal.code], errorPage(base, refusal.code, ERRORS[refusal.code]));
    const single = (value: unknown) => (typeof value === 'string' ? value : '');

    instance.get('/simulateur.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(stylesheet));

    instance.get(SERVICE_PATH, async (request, reply) => {
      // ?wsdl, as PayFiP serves it, with this endpoint's address.
      const here = `${request.protocol}://${request.host}${base}${SERVICE_PATH}`;
      const wsdl = readFileSync(WSDL_PATH, 'utf8').replace(/(<soap:address location=")[^"]*(")/, `$1${here}$2`);
      return reply.type('text/xml; charset=utf-8').send(wsdl);
    });

    const soap = answeredEarly(262_144, async (_request, body, reply) => {
      if (modes.service === 'down') return html(reply, 503, unavailablePage);
      if (modes.service === 'slow') await wait(modes.slowMs);
      if (modes.service === 'garbled') return html(reply, 200, unavailablePage);
      const [status, envelope] = answer(body);
      return reply.code(status).type('text/xml; charset=utf-8').send(envelope);
    });
    instance.post(SERVICE_PATH, { onRequest: soap }, answered);

    instance.get(PAGE_PATH, async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
      if (modes.service === 'down') return html(reply, 503, unavailablePage);
      const attempt = lookup(single(request.query.idop));
      if (!attempt) return refusalPage(reply, new SimulatorRefusal('P1', ERRORS.P1));
      if (attempt.resultrans) return refusalPage(reply, new SimulatorRefusal('P3', ERRORS.P3));
      if (age(attempt) >= ATTEMPT_LIFETIME_MS) return refusalPage(reply, new SimulatorRefusal('P4', ERRORS.P4));
      const nonce = randomBytes(18).toString('base64url');
      nonces.set(attempt.idOp, nonce);
      return html(reply, 200, paymentPage(base, attempt, nonce, modes.notification));
    });

    const choice = answeredEarly(16_384, async (_request, body, reply) => {
      const form = Object.fromEntries(new URLSearchParams(body)) as Record<string, unknown>;
      const idOp = single(form.idop);
      const outcome = OUTCOMES[single(form.choix)];
      const chosen = single(form.notification) as NotificationMode;
      const mode = NOTIFICATION_MODES.includes(chosen) ? chosen : modes.notification;
      const expected = nonces.get(idOp);
      if (!outcome || !expected || !sameSecret(single(form.jeton), expected)) {
        const attempt = lookup(idOp);
        if (attempt?.resultrans) return refusalPage(reply, new SimulatorRefusal('P3', ERRORS.P3));
        return html(reply, 400, errorPage(base, 'Formulaire expiré', 'rouvrez la page de paiement depuis le site du service.'));
      }
      let attempt: SimulatedAttempt;
      try {
        attempt = settle(idOp, outcome, 'card');
      } catch (error) {
        if (error instanceof SimulatorRefusal) return refusalPage(reply, error);
        throw error;
      }
      const sending = notify(attempt, mode);
      // "Before the return": the service has had the notification before the browser moves on.
      if (mode === 'before-return') await sending;
      return reply.code(303).header('location', `${base}${TICKET_PATH}?idop=${encodeURIComponent(idOp)}`).send();
    });
    instance.post(PAGE_PATH, { onRequest: choice }, answered);

    instance.get(TICKET_PATH, async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
      const attempt = lookup(single(request.query.idop));
      if (!attempt) return refusalPage(reply, new SimulatorRefusal('P1', ERRORS.P1));
      if (!attempt.resultrans) return reply.code(303).header('location', `${base}${PAGE_PATH}?idop=${encodeURIComponent(attempt.idOp)}`).send();
      const outcome: Outcome = attempt.resultrans === 'P' || attempt.resultrans === 'V' ? 'accepted' : attempt.resultrans === 'A' ? 'abandoned' : 'refused';
      return html(reply, 200, ticketPage(base, attempt, outcome, withIdop(attempt.urlredirect, attempt.idOp)));
    });
  };

  function close(): void {
    for (const [timer, release] of timers) {
      clearTimeout(timer);
      release();
    }
    timers.clear();
  }

  return {
    routes,
    get modes() {
      return { ...modes };
    },
    configure(changes) {
      Object.assign(modes, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
    },
    async pay(idOp, outcome, payOptions = {}) {
      const attempt = settle(idOp, outcome, payOptions.method ?? 'card');
      const sending = notify(attempt, payOptions.notification ?? modes.notification);
      if ((payOptions.notification ?? modes.notification) === 'before-return') await sending;
      return { ...attempt };
    },
    attempt(idOp) {
      const attempt = lookup(idOp);
      return attempt && { ...attempt };
    },
    attempts() {
      purge();
      return [...attempts.values()].map((a) => ({ ...a }));
    },
    notifications,
    requests,
    async settled() {
      while (pending.size) await Promise.all([...pending]);
    },
    reset() {
      attempts.clear();
      nonces.clear();
      notifications.length = 0;
      requests.length = 0;
    },
    close,
  };
}

/** The simulator's endpoints once mounted at `origin` + `prefix`: what the client's settings take. */
export function simulatorEndpoints(origin: string, prefix = ''): { wsUrl: string; pageUrl: string } {
  const base = `${origin.replace(/\/$/, '')}${prefix}`;
  return { wsUrl: `${base}${SERVICE_PATH}`, pageUrl: `${base}${PAGE_PATH}` };
}

export interface StartedSimulator {
  simulator: PayfipSimulator;
  /** http://127.0.0.1:<port> */
  origin: string;
  wsUrl: string;
  pageUrl: string;
  close(): Promise<void>;
}

/** A simulated PayFiP on its own port (0: any free one) on 127.0.0.1, for tests and benches. */
export async function startPayfipSimulator(options: SimulatorOptions & { port?: number } = {}): Promise<StartedSimulator> {
  const simulator = createPayfipSimulator(options);
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(simulator.routes);
  const origin = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    simulator,
    origin,
    ...simulatorEndpoints(origin),
    close: async () => {
      simulator.close();
      await app.close();
    },
  };
}
