import { isIP } from 'node:net';
import { z } from 'zod';
import { defaultProfile, profiles, type Profile } from './domain/profile';

/** `1` or `0` (also `true` or `false`). */
const flag = (name: string) =>
  z.enum(['1', '0', 'true', 'false'], { error: 'must be 1 or 0' }).transform((v) => v === '1' || v === 'true');

/** proxy-addr's names for address ranges, which fastify accepts among the addresses. */
const proxyRanges = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  if (proxyRanges.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies to believe about the client's address (fastify's `trustProxy`): their addresses
 * and ranges. Not `true`, which believes whatever X-Forwarded-For a client writes; not a hop
 * count, which fastify 5 no longer honours (it cannot tell the proxy from a client that reaches
 * the app directly).
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((value, ctx): false | string[] => {
    const v = value.trim();
    if (v === 'false') return false;
    const behindNginx = "give the proxies' addresses (TRUST_PROXY=127.0.0.1 for an nginx on this machine)";
    if (v === 'true') {
      ctx.addIssue({ code: 'custom', message: `cannot be true: that believes whatever X-Forwarded-For a client writes; ${behindNginx}` });
      return z.NEVER;
    }
    if (/^\d+$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: `takes addresses, not a hop count (a client reaching the app directly could write X-Forwarded-For); ${behindNginx}` });
      return z.NEVER;
    }
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.find((e) => !isAddressOrRange(e));
    if (bad === undefined) return entries;
    ctx.addIssue({
      code: 'custom',
      message: `takes false or the proxies' addresses or CIDR ranges, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); "${bad}" is neither`,
    });
    return z.NEVER;
  });

/**
 * Issue 19: who may read `/metrics` by address: addresses or CIDR ranges, comma-separated
 * (fastify's `request.ip`, so behind a proxy `TRUST_PROXY` decides), or `none` (the token only).
 */
const metricsAllow = z
  .string()
  .default('127.0.0.1/32,::1/128')
  .transform((value, ctx): string[] => {
    const v = value.trim();
    if (v === 'none') return [];
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.find((e) => proxyRanges.includes(e) || !isAddressOrRange(e));
    if (bad === undefined) return entries;
    ctx.addIssue({ code: 'custom', message: `takes addresses or CIDR ranges, comma-separated (e.g. 127.0.0.1/32,10.0.0.0/8), or none; "${bad}" is neither` });
    return z.NEVER;
  });

/**
 * SVC-1: when the help line answers, `<first day>-<last day> <opens>-<closes>`, days numbered
 * 1 (Monday) to 7 (Sunday): the FAQ's « du lundi au vendredi de 8h30 à 18h00 » is 1-5 08:30-18:00.
 * A number and times rather than words, so each language says them its own way (ui/help-line).
 */
const helpLineHours = z
  .string()
  .default('1-5 08:30-18:00')
  .transform((value, ctx): HelpLine['hours'] => {
    const match = /^([1-7])-([1-7]) ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
    const fromDay = Number(match?.[1]);
    const toDay = Number(match?.[2]);
    const opens = match ? `${match[3]}:${match[4]}` : '';
    const closes = match ? `${match[5]}:${match[6]}` : '';
    if (!match || fromDay > toDay || opens >= closes) {
      ctx.addIssue({ code: 'custom', message: 'must be the days (1 = Monday … 7 = Sunday) then the hours, e.g. 1-5 08:30-18:00 for Monday to Friday, 8:30 to 18:00' });
      return z.NEVER;
    }
    return { fromDay, toDay, opens, closes };
  });

/** SVC-1: the phone help line every page's footer shows, and when it answers. */
export interface HelpLine {
  phone: string;
  hours: { fromDay: number; toDay: number; opens: string; closes: string };
}

/** PayFiP's production endpoints (the DGFiP's); the simulator's are under the app's own address. */
export const PAYFIP_WS_URL = 'https://www.payfip.gouv.fr/tpa/services/securite';
export const PAYFIP_PAGE_URL = 'https://www.payfip.gouv.fr/tpa/paiementws.web';
/** Where the app mounts the simulated PayFiP, and the client number it knows. */
export const SIMULATED_PAYFIP = { prefix: '/simulateur-payfip', numcli: '000000' } as const;

const payfipUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * Environment → typed configuration. A bad value stops the program with one line saying which
 * variable is wrong and why; nothing else reads `process.env`.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    BASE_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Cours municipaux d’adultes <ne-pas-repondre@cursus.localhost>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    TRUST_PROXY: trustProxy,
    METRICS_ALLOW: metricsAllow,
    METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{32,200}$/, 'must be 32 to 200 printable characters without spaces (sent as Authorization: Bearer …)').optional(),
    /** Issue 18: the institution's profile; the demo seeds its own data for each. */
    CURSUS_PROFILE: z
      .enum(profiles, { error: 'must be municipal (the city’s adult courses, periods and selection) or credits (teaching units with ECTS credits, programmes, two semesters)' })
      .default(defaultProfile),
    DEMO: flag('DEMO').optional(),
    DEV_MAILBOX: flag('DEV_MAILBOX').optional(),
    DEMO_NOW: z.iso.datetime({ offset: true }).optional(),
    MICROCACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    /** Issue 19 point 7: the pool's connections per process, measured with bench:rush (bench/README.md). */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
    /** Issue 19 point 9: how long a request waits for a pool connection before its 503 page (bench:shed). */
    DATABASE_POOL_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(5_000),
    /** Issue 19 point 9: the requests a process has in progress at once, reads and writes apart, and how long one waits its turn (platform/admission; bench:shed). */
    ADMISSION_READS: z.coerce.number().int().min(1).max(1_000).default(8),
    ADMISSION_READ_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(100),
    ADMISSION_WRITES: z.coerce.number().int().min(1).max(1_000).default(16),
    ADMISSION_WRITE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
    /** How many reads, and how many writes, may wait their turn; past it, refused at once: a write the newcomer, a read the ones waiting longest (platform/admission, decision 033). */
    ADMISSION_READ_QUEUE: z.coerce.number().int().min(0).max(10_000).default(64),
    ADMISSION_WRITE_QUEUE: z.coerce.number().int().min(0).max(10_000).default(200),
    /** How long a stop (SIGTERM) may take: past it, the program exits with 1 (decision 026). */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    CASH_OFFICE: z.string().trim().min(1).max(100).default('Régie CMA et AE'),
    HELP_LINE_PHONE: z
      .string()
      .trim()
      .regex(/^\+?\d[\d .]{1,19}$/, 'must be a phone number: digits, spaces or dots, an optional + first (e.g. 3975 or 01 42 76 40 40)')
      .default('3975'),
    HELP_LINE_HOURS: helpLineHours,
    PAYFIP_NUMCLI: z.string().regex(/^\d{6}$/, 'must be the 6 digits of the PayFiP client number the DGFiP gave').optional(),
    PAYFIP_SAISIE: z.enum(['T', 'X', 'W'], { error: 'must be T (test), X (activation) or W (production)' }).optional(),
    PAYFIP_WS_URL: payfipUrl.optional(),
    PAYFIP_PAGE_URL: payfipUrl.optional(),
    ONLINE_PAYMENT: flag('ONLINE_PAYMENT').optional(),
    SMS_PROVIDER: z.enum(['mailbox', 'brevo'], { error: 'must be mailbox (kept in the outbox) or brevo' }).optional(),
    BREVO_API_KEY: z.string().trim().min(20, 'must be the API key from Brevo (SMTP & API, API keys)').optional(),
    BREVO_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    SMS_SENDER: z.string().regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1 to 11 letters or digits (no space, no accent): the name the phone shows').optional(),
    SMS_REPORT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') {
      // The demo publishes its staff's passwords and TOTP secrets; the mailbox shows reset links.
      if (env.DATABASE_URL && env.DEMO === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['DATABASE_URL'],
          message: 'is set without NODE_ENV=production: set NODE_ENV=production for a real service, or DEMO=1 to seed the demo accounts (published passwords) and show the development mailbox on this database, or DEMO=0 for neither',
        });
    } else {
      if (env.DEMO) ctx.addIssue({ code: 'custom', path: ['DEMO'], message: 'is refused in production: the demo accounts have published passwords and TOTP secrets' });
      if (env.DEV_MAILBOX)
        ctx.addIssue({ code: 'custom', path: ['DEV_MAILBOX'], message: 'is refused in production: the development mailbox shows reset links and login codes' });
      if (!env.DATABASE_URL)
        ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production' });
      if (!env.SESSION_SECRET)
        ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
    checkPayfip(env, ctx);
    checkSms(env, ctx);
  });

/**
 * The SMS channel's settings. SMS_PROVIDER=brevo (or BREVO_API_KEY given) asks for Brevo: then
 * the key, the sender and the delivery reports' secret are required. Without them the SMS stay
 * in the outbox (`mailbox`, shown on the development page); production then starts with a
 * warning, as it does without SMTP_URL (src/main.ts).
 */
function checkSms(
  env: { NODE_ENV: string; SMS_PROVIDER?: string; BREVO_API_KEY?: string; BREVO_API_URL?: string; SMS_SENDER?: string; SMS_REPORT_SECRET?: string },
  ctx: z.RefinementCtx,
): void {
  const given = (['BREVO_API_KEY', 'BREVO_API_URL'] as const).filter((k) => env[k] !== undefined);
  if (env.SMS_PROVIDER === 'mailbox') {
    if (given.length) ctx.addIssue({ code: 'custom', path: ['SMS_PROVIDER'], message: `is mailbox (SMS kept in the outbox) but ${given.join(', ')} is set: remove one or the other` });
    return;
  }
  if (env.SMS_PROVIDER !== 'brevo' && !given.length) return;
  const why = env.SMS_PROVIDER === 'brevo' ? 'is required with SMS_PROVIDER=brevo' : `is required with ${given.join(', ')} (Brevo sends the SMS)`;
  if (!env.BREVO_API_KEY) ctx.addIssue({ code: 'custom', path: ['BREVO_API_KEY'], message: `${why}: the API key from Brevo (SMTP & API, API keys)` });
  if (!env.SMS_SENDER) ctx.addIssue({ code: 'custom', path: ['SMS_SENDER'], message: `${why}: the sender name the phone shows, 1 to 11 letters or digits` });
  if (!env.SMS_REPORT_SECRET)
    ctx.addIssue({ code: 'custom', path: ['SMS_REPORT_SECRET'], message: `${why}: at least 32 random characters, which sign the delivery reports' addresses (openssl rand -hex 32)` });
  if (env.NODE_ENV === 'production' && env.BREVO_API_URL?.startsWith('http:')) ctx.addIssue({ code: 'custom', path: ['BREVO_API_URL'], message: 'must be https in production' });
}

/**
 * PAY-2's settings. Any PAYFIP_* given asks for the real PayFiP: then the client number and the
 * mode are required (the URLs default to the DGFiP's). ONLINE_PAYMENT=1 asks for it too in
 * production; ONLINE_PAYMENT=0 says there is no online payment (payment at school only). With
 * none of them, outside production it is the simulated PayFiP; in production, no online payment
 * (never the simulator). In production, T (test: no money collected) and http URLs are refused.
 */
function checkPayfip(
  env: { NODE_ENV: string; PAYFIP_NUMCLI?: string; PAYFIP_SAISIE?: string; PAYFIP_WS_URL?: string; PAYFIP_PAGE_URL?: string; ONLINE_PAYMENT?: boolean },
  ctx: z.RefinementCtx,
): void {
  const production = env.NODE_ENV === 'production';
  const given = (['PAYFIP_NUMCLI', 'PAYFIP_SAISIE', 'PAYFIP_WS_URL', 'PAYFIP_PAGE_URL'] as const).filter((k) => env[k] !== undefined);
  if (env.ONLINE_PAYMENT === false) {
    if (given.length) ctx.addIssue({ code: 'custom', path: ['ONLINE_PAYMENT'], message: `is 0 (no online payment) but ${given.join(', ')} is set: remove one or the other` });
    return;
  }
  if (!given.length && !(production && env.ONLINE_PAYMENT)) return;
  const why = given.length
    ? 'is required with the other PAYFIP_* settings (leave them all unset for no online payment in production, or for the simulated PayFiP elsewhere)'
    : 'is required in production with ONLINE_PAYMENT=1';
  if (!env.PAYFIP_NUMCLI) ctx.addIssue({ code: 'custom', path: ['PAYFIP_NUMCLI'], message: `${why}: the 6-digit PayFiP client number from the DGFiP` });
  if (!env.PAYFIP_SAISIE) ctx.addIssue({ code: 'custom', path: ['PAYFIP_SAISIE'], message: `${why}: T test, X activation, W production` });
  if (production && env.PAYFIP_SAISIE === 'T')
    ctx.addIssue({ code: 'custom', path: ['PAYFIP_SAISIE'], message: 'is T (test: no money is collected) in production: X for the activation payments, then W' });
  for (const key of ['PAYFIP_WS_URL', 'PAYFIP_PAGE_URL'] as const)
    if (production && env[key]?.startsWith('http:')) ctx.addIssue({ code: 'custom', path: [key], message: 'must be https in production' });
}

export type Env = z.output<typeof envSchema>;

/**
 * Online payment (PAY-2): the real PayFiP (PAYFIP_* given), the simulated PayFiP mounted in
 * the app at `prefix` (outside production, none given), or none (ONLINE_PAYMENT=0, or
 * production with none given: payment at school only). The first two are the settings
 * createPayfipClient takes; in production it is never `simulated`.
 */
export type PayfipConfig =
  | { kind: 'simulated'; prefix: string; numcli: string; saisie: 'T'; wsUrl: string; pageUrl: string }
  | { kind: 'payfip'; numcli: string; saisie: 'T' | 'X' | 'W'; wsUrl: string; pageUrl: string }
  | { kind: 'off' };

/** Brevo's API (the simulator's address in the tests: BREVO_API_URL). */
export const BREVO_API_URL = 'https://api.brevo.com/v3';

/**
 * The SMS channel: `mailbox` keeps every SMS in the outbox (the development page shows it);
 * `brevo` sends them with Brevo's transactional SMS API (src/platform/sms/brevo.ts).
 */
export type SmsConfig =
  | { provider: 'mailbox' }
  | { provider: 'brevo'; apiKey: string; apiUrl: string; sender: string; reportSecret: string };

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  host: string;
  port: number;
  baseUrl: string;
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  /** Undefined outside production until the database layer supplies one (see db/secret). */
  sessionSecret?: string;
  smtpUrl?: string;
  mailFrom: string;
  logLevel: Env['LOG_LEVEL'];
  hashConcurrency?: number;
  /** fastify's `trustProxy`: false, or the proxies' addresses and ranges. */
  trustProxy: false | string[];
  /** Issue 19: who may read `/metrics`: these addresses and ranges, or with `Authorization: Bearer <token>`. */
  metrics: { allow: string[]; token?: string };
  /** Issue 18: the institution's profile (CURSUS_PROFILE): municipal courses, or credit-bearing units. */
  profile: Profile;
  /** Seed the demo at start (published passwords): the embedded database outside production, or DEMO=1. */
  demo: boolean;
  /** The development mailbox and the demo's TOTP codes, for loopback only: like `demo`, or DEV_MAILBOX. */
  devMailbox: boolean;
  demoNow?: string;
  /** How long public search pages and results are kept in memory (0: not at all). */
  microcacheSeconds: number;
  /** Past this event-loop delay the app answers its 503 page with Retry-After (load shedding). */
  maxEventLoopDelayMs: number;
  /** The database pool: its connections, and how long a request waits for one before its 503 page. */
  databasePool: { max: number; waitMs: number };
  /**
   * Issue 19 point 9: per process, the reads (GET, HEAD) and the writes in progress at once, how
   * long one waits for its turn and how many may wait; past that, the 503 page with Retry-After.
   */
  admission: Record<'read' | 'write', { inFlight: number; waitMs: number; queue: number }>;
  /** SIGTERM: the requests and the job in hand have this long to finish, then the program exits with 1. */
  shutdownTimeoutMs: number;
  /** PAY-3: whom cheques are made payable to, the service's cash office (the FAQ: « Régie CMA et AE »). */
  cashOffice: string;
  /** SVC-1: the help line in every page's footer (the FAQ's 3975, Monday to Friday 8:30–18:00). */
  helpLine: HelpLine;
  payfip: PayfipConfig;
  sms: SmsConfig;
  /** ACC-13: the OpenID Connect providers learners may sign in with (none: local accounts only). */
  oidc: OidcConfig;
}

function payfipConfig(env: Env, baseUrl: string): PayfipConfig {
  if (env.PAYFIP_NUMCLI && env.PAYFIP_SAISIE)
    return { kind: 'payfip', numcli: env.PAYFIP_NUMCLI, saisie: env.PAYFIP_SAISIE, wsUrl: env.PAYFIP_WS_URL ?? PAYFIP_WS_URL, pageUrl: env.PAYFIP_PAGE_URL ?? PAYFIP_PAGE_URL };
  // Production never gets the simulator: PayFiP, or no online payment.
  if (env.ONLINE_PAYMENT === false || env.NODE_ENV === 'production') return { kind: 'off' };
  const base = `${baseUrl}${SIMULATED_PAYFIP.prefix}`;
  return { kind: 'simulated', ...SIMULATED_PAYFIP, saisie: 'T', wsUrl: `${base}/tpa/services/securite`, pageUrl: `${base}/tpa/paiementws.web` };
}

export class ConfigError extends Error {}

/**
 * ACC-13: an OpenID Connect provider the learners may sign in with. `franceconnect` follows
 * FranceConnect v2's rules (acr_values=eidas1, ES256 ID tokens and signed UserInfo, the official
 * button); `generic` is any other provider (the city's account), with a plain button.
 */
export interface OidcProviderConfig {
  /** Its name in the settings and in the URLs (`/connexion/oidc/<name>`). */
  name: string;
  kind: 'franceconnect' | 'generic';
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  /** `acr_values` asked, and checked in the ID token (FranceConnect: eidas1). */
  acr?: string;
  /** The algorithm the ID token and the UserInfo JWT must be signed with (FranceConnect: ES256). */
  signingAlg?: string;
}

export interface OidcConfig {
  providers: OidcProviderConfig[];
  /** How long a discovery or a call to a provider may take before the login page says it is unavailable. */
  timeoutSeconds: number;
}

const FRANCECONNECT_SCOPES = 'openid given_name family_name preferred_username birthdate gender birthcountry birthplace email';
const oidcNamePattern = /^[a-z][a-z0-9]{0,19}$/;
const oidcKeys = ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET', 'LABEL', 'KIND', 'SCOPES', 'ACR', 'SIGNING_ALG'] as const;

/**
 * ACC-13's settings: OIDC_PROVIDERS names the providers (comma-separated, e.g. franceconnect,paris);
 * each has OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET (required), _KIND (franceconnect or
 * generic; franceconnect when the name is franceconnect), _LABEL (required for generic), _SCOPES,
 * _ACR, _SIGNING_ALG (defaults by kind). An OIDC_<NAME>_* for a name not listed is a mistake
 * (a typo, or a provider forgotten in the list) and stops the program like any bad setting.
 */
function oidcConfig(source: Record<string, string>, production: boolean): OidcConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`Configuration error: ${message}`);
  };
  const timeout = source.OIDC_TIMEOUT_SECONDS ?? '5';
  if (!/^\d{1,2}$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 30) fail('OIDC_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 30');
  const names = (source.OIDC_PROVIDERS ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names)
    if (!oidcNamePattern.test(name)) fail(`OIDC_PROVIDERS takes provider names of lower-case letters and digits (they appear in URLs), comma-separated; "${name}" is not one`);
  if (new Set(names).size !== names.length) fail('OIDC_PROVIDERS names a provider twice');
  for (const name of names) if (['suite', 'lien'].includes(name)) fail(`OIDC_PROVIDERS cannot name a provider ${name}: the word is taken by the sign-in's own pages`);
  for (const key of Object.keys(source)) {
    const match = /^OIDC_([A-Z0-9]+)_([A-Z_]+)$/.exec(key);
    if (!match || key === 'OIDC_TIMEOUT_SECONDS') continue;
    if (!names.includes(match[1].toLowerCase()))
      fail(`${key} is set but ${match[1].toLowerCase()} is not in OIDC_PROVIDERS (${names.join(',') || 'unset'}): add it there or remove the variable`);
    if (!(oidcKeys as readonly string[]).includes(match[2])) fail(`${key} is not a setting: OIDC_<NAME>_ takes ${oidcKeys.join(', ')}`);
  }
  const providers = names.map((name): OidcProviderConfig => {
    const get = (key: (typeof oidcKeys)[number]) => source[`OIDC_${name.toUpperCase()}_${key}`]?.trim() || undefined;
    const variable = (key: string) => `OIDC_${name.toUpperCase()}_${key}`;
    const kindValue = get('KIND') ?? (name === 'franceconnect' ? 'franceconnect' : 'generic');
    if (kindValue !== 'franceconnect' && kindValue !== 'generic') return fail(`${variable('KIND')} must be franceconnect or generic`);
    const kind = kindValue;
    const issuer = get('ISSUER') ?? fail(`${variable('ISSUER')} is required for the provider ${name} (OIDC_PROVIDERS): its issuer URL, e.g. https://oidc.franceconnect.gouv.fr/api/v2`);
    let url: URL | undefined;
    try {
      url = new URL(issuer);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) fail(`${variable('ISSUER')} must be an http(s) URL`);
    if (production && url!.protocol !== 'https:') fail(`${variable('ISSUER')} must be https in production`);
    const clientId = get('CLIENT_ID') ?? fail(`${variable('CLIENT_ID')} is required for the provider ${name}: the client id the provider gave`);
    const clientSecret = get('CLIENT_SECRET') ?? fail(`${variable('CLIENT_SECRET')} is required for the provider ${name}: the client secret the provider gave`);
    const label = get('LABEL') ?? (kind === 'franceconnect' ? 'FranceConnect' : fail(`${variable('LABEL')} is required for the generic provider ${name}: the words of its button, e.g. Compte parisien`));
    if (label.length > 60) fail(`${variable('LABEL')} must be at most 60 characters`);
    const scopes = get('SCOPES') ?? (kind === 'franceconnect' ? FRANCECONNECT_SCOPES : 'openid email profile');
    if (!scopes.split(/\s+/).includes('openid')) fail(`${variable('SCOPES')} must include openid`);
    const acr = get('ACR') ?? (kind === 'franceconnect' ? 'eidas1' : undefined);
    const signingAlg = get('SIGNING_ALG') ?? (kind === 'franceconnect' ? 'ES256' : undefined);
    if (signingAlg && !/^(ES|RS|PS)(256|384|512)$|^EdDSA$/.test(signingAlg)) fail(`${variable('SIGNING_ALG')} must be an asymmetric JWS algorithm such as ES256 or RS256`);
    // Kept as given: discovery requires the provider's issuer to match it exactly (a trailing / included).
    return { name, kind, label, issuer, clientId, clientSecret, scopes, acr, signingAlg };
  });
  if (providers.filter((p) => p.kind === 'franceconnect').length > 1) fail('OIDC_PROVIDERS has two FranceConnect providers: one at most (its button is shown once)');
  return { providers, timeoutSeconds: Number(timeout) };
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // An empty variable is the same as an unset one (`FOO= npm start`).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`Configuration error: ${first.path.join('.')} ${first.message}`);
  }
  const env = parsed.data;
  const oidc = oidcConfig(cleaned as Record<string, string>, env.NODE_ENV === 'production');
  // Outside production, on the embedded database by default; with a DATABASE_URL only when asked.
  const demo = env.NODE_ENV !== 'production' && (env.DEMO ?? !env.DATABASE_URL);
  const baseUrl = (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  return {
    env: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    sessionSecret: env.SESSION_SECRET,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    logLevel: env.LOG_LEVEL,
    hashConcurrency: env.HASH_CONCURRENCY,
    trustProxy: env.TRUST_PROXY,
    metrics: { allow: env.METRICS_ALLOW, token: env.METRICS_TOKEN },
    profile: env.CURSUS_PROFILE,
    demo,
    devMailbox: env.DEV_MAILBOX ?? demo,
    demoNow: env.DEMO_NOW,
    microcacheSeconds: env.MICROCACHE_SECONDS,
    maxEventLoopDelayMs: env.MAX_EVENT_LOOP_DELAY_MS,
    databasePool: { max: env.DATABASE_POOL_MAX, waitMs: env.DATABASE_POOL_WAIT_MS },
    admission: {
      read: { inFlight: env.ADMISSION_READS, waitMs: env.ADMISSION_READ_WAIT_MS, queue: env.ADMISSION_READ_QUEUE },
      write: { inFlight: env.ADMISSION_WRITES, waitMs: env.ADMISSION_WRITE_WAIT_MS, queue: env.ADMISSION_WRITE_QUEUE },
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    cashOffice: env.CASH_OFFICE,
    helpLine: { phone: env.HELP_LINE_PHONE, hours: env.HELP_LINE_HOURS },
    payfip: payfipConfig(env, baseUrl),
    sms:
      env.BREVO_API_KEY && env.SMS_SENDER && env.SMS_REPORT_SECRET
        ? { provider: 'brevo', apiKey: env.BREVO_API_KEY, apiUrl: (env.BREVO_API_URL ?? BREVO_API_URL).replace(/\/$/, ''), sender: env.SMS_SENDER, reportSecret: env.SMS_REPORT_SECRET }
        : { provider: 'mailbox' },
    oidc,
  };
}
