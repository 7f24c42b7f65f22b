import { randomBytes } from 'node:crypto';
import { solveChallenge } from 'altcha-lib';
import { generate } from 'otplib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { Database, Db } from '../src/db/database';
import { addLearnerAccount, createLearnerRecord, createStaffAccount, type LearnerRecordInput } from '../src/modules/accounts';
import type { Role } from '../src/domain/vocabulary';
import { botQuestionKinds, numberInWords, type BotQuestionKind } from '../src/platform/botcheck';
import { FixedClock } from '../src/platform/clock';
import { outbox } from '../src/platform/platform.table';
import { translator, type Locale } from '../src/platform/i18n';
import { hashPassword } from '../src/platform/passwords';
import { setPolicy, type Policies, type PolicyKey } from '../src/platform/policies';
import { createTestDatabase } from './db';
import { multipartBody, type Part } from './multipart';
import { readPagesWithoutStyle } from './pages';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
/**
 * The test app's settings. Its load shedding waits for a 10-second event-loop delay, and a read
 * waits its turn 10 s as a write does: a test process shares two cores with another and with
 * PostgreSQL, and a garbage collection there can hold the loop a second without the app being
 * overloaded.
 */
export const testConfig = (overrides: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '10000', ADMISSION_READ_WAIT_MS: '10000', ...overrides });

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  db: Db;
  clock: FixedClock;
  close(): Promise<void>;
}

/** The whole app on a fresh database, with a clock the test controls. */
export async function startTestApp(options: { now?: Date; config?: Record<string, string>; policies?: Partial<Policies> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new FixedClock(options.now ?? new Date('2026-09-01T08:00:00Z'));
  // Every test request comes from 127.0.0.1: the per-address limits are tested on their own.
  for (const key of ['loginAttemptsPerIpPer10Min', 'signupsPerIpPer10Min', 'resetRequestsPerIpPer10Min', 'activationResendsPerIpPer10Min', 'recordSubmissionsPerIpPer10Min', 'documentLookupsPerIpPer10Min'] as const)
    await setPolicy(database.db, key, 10_000);
  // Set before the app starts: the app reads policies through a 5-second cache.
  for (const [key, value] of Object.entries(options.policies ?? {})) await setPolicy(database.db, key as PolicyKey, value as never);
  // Its pages are read without the stylesheet inlined in their head (test/pages.ts): the markup, not the CSS.
  const app = readPagesWithoutStyle(await buildApp({ config: testConfig(options.config), db: database.db, clock, secret: TEST_SECRET, logger: false }));
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    clock,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const uniqueEmail = (prefix = 'learner') => `${prefix}.${randomBytes(4).toString('hex')}@example.org`;
export const GOOD_PASSWORD = 'Bonjour-Paris-2026';

/** Factory: an active learner, with a learner record unless `record: null`. */
export async function buildLearner(
  db: Db,
  clock: FixedClock,
  overrides: { email?: string; password?: string; status?: 'pending' | 'active'; record?: Partial<LearnerRecordInput> | null } = {},
) {
  const email = overrides.email ?? uniqueEmail();
  const user = await addLearnerAccount(db, clock, { email, passwordHash: await hashPassword(overrides.password ?? GOOD_PASSWORD), status: overrides.status });
  if (overrides.record !== null) {
    await createLearnerRecord({ db, clock }, { userId: user.id, record: { ...validRecord(), ...overrides.record } });
  }
  return user;
}

export function validRecord(): LearnerRecordInput {
  return {
    civility: 'MME',
    lastName: `Durand-${randomBytes(3).toString('hex')}`,
    birthName: null,
    firstName: 'Léa',
    birthDate: '1990-05-17',
    birthCountry: 'FR',
    address: '5 rue Oberkampf',
    addressComplement1: null,
    addressComplement2: null,
    postalCode: '75011',
    city: 'Paris',
    country: 'FR',
    mobilePhone: '+33612345678',
    landlinePhone: null,
    heardFrom: 'internet',
  };
}

export async function buildStaff(db: Db, clock: FixedClock, role: Exclude<Role, 'learner'>) {
  return createStaffAccount({ db, clock }, { email: uniqueEmail(role), role, displayName: `Test ${role}`, password: GOOD_PASSWORD });
}

export async function emailsTo(db: Db, address: string) {
  return db.select().from(outbox).where(eq(outbox.to, address)).orderBy(desc(outbox.id));
}

export function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path}[^\\s]*`).exec(text);
  if (!match) throw new Error(`no link to ${path} in:\n${text}`);
  return new URL(match[0]).pathname;
}

const decode = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * A small browser for app.inject: keeps cookies, reads the CSRF token of the page a form is on,
 * and solves the bot check like the page's script does.
 */
export class Client {
  cookies = new Map<string, string>();
  constructor(
    readonly app: FastifyInstance,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Test',
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(setCookie: string | string[] | undefined) {
    for (const line of ([] as string[]).concat(setCookie ?? [])) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || attrs.some((a) => /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), 'user-agent': this.userAgent } });
    this.remember(response.headers['set-cookie']);
    return response;
  }

  async post(url: string, fields: Record<string, string>) {
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.userAgent },
      payload: new URLSearchParams(fields).toString(),
    });
    this.remember(response.headers['set-cookie']);
    return response;
  }

  /** Posts a multipart form (a form with a file), as the browser does for `enctype="multipart/form-data"`. */
  async postMultipart(url: string, parts: Part[]) {
    const { payload, contentType } = multipartBody(parts);
    const response = await this.app.inject({ method: 'POST', url, headers: { cookie: this.cookieHeader(), 'content-type': contentType, 'user-agent': this.userAgent }, payload });
    this.remember(response.headers['set-cookie']);
    return response;
  }

  /** Opens `page`, then posts `parts` as a multipart form to the form whose action is `action`, the page's CSRF token first. */
  async submitMultipart(page: string, action: string, parts: Part[]) {
    const form = formHtml((await this.get(page)).body, action);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
    if (!csrf) throw new Error(`no CSRF token in the form to ${action} on ${page}`);
    return this.postMultipart(action, [{ name: '_csrf', value: decode(csrf) }, ...parts]);
  }

  /** Opens `page`, then posts `fields` to the form whose action is `action`, with the page's CSRF token. */
  async submit(
    page: string,
    action: string,
    fields: Record<string, string>,
    options: { solveBotcheck?: boolean; fromForm?: (form: string) => Record<string, string>; keepForm?: boolean } = {},
  ) {
    const html = (await this.get(page)).body;
    const form = formHtml(html, action);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
    if (!csrf) throw new Error(`no CSRF token in the form to ${action} on ${page}`);
    const extra: Record<string, string> = {};
    const challenge = /data-botcheck="([^"]+)"/.exec(form)?.[1];
    if (challenge) {
      extra.botcheckToken = decode(/name="botcheckToken" value="([^"]+)"/.exec(form)?.[1] ?? '');
      if (options.solveBotcheck !== false) {
        const parsed = JSON.parse(decode(challenge));
        const solution = await solveChallenge({ challenge: parsed, deriveKey });
        extra.altcha = Buffer.from(JSON.stringify({ challenge: parsed, solution })).toString('base64');
      }
    }
    // Like a browser: what the form already holds (with keepForm), then what the test types.
    const held = options.keepForm ? formValues(form) : {};
    return this.post(action, { ...held, _csrf: decode(csrf), ...extra, ...fields, ...options.fromForm?.(form) });
  }

  /** Logs in a staff member: password, then the TOTP code of the app's clock. */
  async loginStaff(email: string, totpSecret: string, clock: FixedClock, password = GOOD_PASSWORD) {
    await this.submit('/connexion', '/connexion', { email, password });
    const code = await generate({ secret: totpSecret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const done = await this.submit('/connexion/code', '/connexion/code', { code });
    clock.advance(30_000); // the next login needs the next code: a code works once
    return done;
  }

  /** Logs in a learner (password only). */
  async login(email: string, password = GOOD_PASSWORD) {
    return this.submit('/connexion', '/connexion', { email, password });
  }
}

/** What a browser would send of a form as it stands: text inputs, checked radios and boxes, selects, text areas. */
export function formValues(form: string): Record<string, string> {
  const values: Record<string, string> = {};
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s/>])`).exec(tag);
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name')?.[1];
    const type = attr(tag, 'type')?.[1] ?? 'text';
    if (!name || name === '_csrf') continue;
    if ((type === 'radio' || type === 'checkbox') && !attr(tag, 'checked')) continue;
    values[name] = decode(attr(tag, 'value')?.[1] ?? (type === 'checkbox' ? 'on' : ''));
  }
  for (const [, open, options] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const name = attr(open, 'name')?.[1];
    const all = [...options.matchAll(/<option\b[^>]*>/g)].map((m) => m[0]);
    const chosen = all.find((o) => attr(o, 'selected')) ?? all[0];
    if (name && chosen) values[name] = decode(attr(chosen, 'value')?.[1] ?? '');
  }
  for (const [, open, text] of form.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/g)) {
    const name = attr(open, 'name')?.[1];
    if (name) values[name] = decode(text);
  }
  return values;
}

export function formHtml(html: string, action: string): string {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  return html.slice(html.lastIndexOf('<form', start), html.indexOf('</form>', start));
}

/**
 * Answers the sign-up's spelled-out bot-check question (ACC-2) as a person reading the form
 * would: finds which sentence it is and reads its numbers in words. The arithmetic is written
 * here again, not taken from the app.
 */
export function answerBotcheckQuestion(form: string, locale: Locale = 'fr'): string {
  const label = decode(/<label for="botcheckAnswer">([^<]*)<\/label>/.exec(form)?.[1] ?? '');
  const value = new Map(Array.from({ length: 100 }, (_, n) => [numberInWords(n, locale), n]));
  const number = `(${[...value.keys()].sort((x, y) => y.length - x.length).join('|')})`;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const t = translator(locale);
  const arithmetic: Record<BotQuestionKind, (a: number, b: number) => number> = {
    sum: (a, b) => a + b,
    add: (a, b) => a + b,
    minus: (a, b) => a - b,
    takeAway: (a, b) => a - b,
    times: (a, b) => a * b,
    after: (a) => a + 1,
    before: (a) => a - 1,
    double: (a) => 2 * a,
    digits: (a) => a,
  };
  for (const kind of botQuestionKinds) {
    const sentence = t(`botcheck.question.${kind}`, { a: 'NUMBER_A', b: 'NUMBER_B' });
    const order = [...sentence.matchAll(/NUMBER_([AB])/g)].map((m) => m[1]);
    const match = new RegExp(`^${escape(sentence).replace(/NUMBER_[AB]/g, number)}$`).exec(label);
    if (!match) continue;
    const read = (name: string) => value.get(match[order.indexOf(name) + 1]) ?? 0;
    return String(arithmetic[kind](read('A'), read('B')));
  }
  throw new Error(`no bot-check question understood in: ${label}`);
}
