import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { civilities, evaluationOutcomes, heardFromOptions, type Civility, type EvaluationOutcome, type HeardFrom } from '../../domain/vocabulary';
import type { MessageKey } from '../../platform/i18n';
import { verifyBcrypt } from '../../platform/passwords';
import { parseDateInput } from '../accounts';
import type { LegacyPasswordScheme } from './legacy.table';

/**
 * Pure rules of ACC-9: the former accounts' password schemes, the checks of each line of the
 * import files (docs/legacy-import.md), the single-use link codes and the throttle of link tries.
 */

// ---------------------------------------------------------------------------------------------
// Password schemes

/** bcrypt as PHP and Java wrote it: `$2a$`, `$2b$` or `$2y$`, a cost of 04–31, 22 salt and 31 hash characters. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
/** Salted SHA-256: `sha256$<salt, hex>$<SHA-256 of the salt's bytes then the password's UTF-8 bytes, 64 hex>`. */
const SHA256 = /^sha256\$([0-9a-f]{2,128})\$([0-9a-f]{64})$/i;

/**
 * The highest bcrypt cost accepted: every link try computes the hash (and an unknown address the
 * same work), so cost 12 (2^12 rounds, a quarter of a second) is the most one try may take;
 * each step above doubles it (cost 14: a second or more, cost 31: days of CPU per try).
 */
export const BCRYPT_MAX_COST = 12;

/** The cost of a well-formed bcrypt hash (the two digits after the version). */
export const bcryptCostOf = (hash: string): number => Number(hash.slice(4, 6));

export type ParsedHash = { ok: true; scheme: LegacyPasswordScheme; hash: string } | { ok: false; message: MessageKey; params?: Record<string, number> };

/** ACC-9: which scheme a hash of the old system is written in; anything else is refused at import, and bcrypt above BCRYPT_MAX_COST. */
export function parseLegacyHash(value: string): ParsedHash {
  const v = value.trim();
  if (BCRYPT.test(v)) {
    const cost = bcryptCostOf(v);
    return cost > BCRYPT_MAX_COST ? { ok: false, message: 'legacy.import.err.bcryptCost', params: { cost, max: BCRYPT_MAX_COST } } : { ok: true, scheme: 'bcrypt', hash: v };
  }
  const m = SHA256.exec(v);
  if (m && m[1].length % 2 === 0) return { ok: true, scheme: 'sha256', hash: `sha256$${m[1].toLowerCase()}$${m[2].toLowerCase()}` };
  return { ok: false, message: 'legacy.import.err.hash' };
}

/** The salted SHA-256 of the documented format (the import's examples and the tests write hashes with it). */
export function sha256LegacyHash(password: string, saltHex: string): string {
  const digest = createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(password, 'utf8').digest('hex');
  return `sha256$${saltHex.toLowerCase()}$${digest}`;
}

/**
 * ACC-9: the old password checked in its own scheme, in constant time for SHA-256 (bcrypt's
 * comparison is constant-time in bcryptjs), bcrypt in the hashing pool's threads (off the event
 * loop). Never throws: a malformed hash, or a bcrypt cost above the limit, is a wrong password.
 */
export async function verifyLegacyPassword(scheme: LegacyPasswordScheme, hash: string, password: string): Promise<boolean> {
  if (scheme === 'bcrypt') {
    if (!BCRYPT.test(hash) || bcryptCostOf(hash) > BCRYPT_MAX_COST) return false;
    return verifyBcrypt(hash, password);
  }
  const m = SHA256.exec(hash);
  if (!m) return false;
  const expected = Buffer.from(m[2], 'hex');
  const actual = Buffer.from(sha256LegacyHash(password, m[1]).slice(-64), 'hex');
  return timingSafeEqual(expected, actual);
}

/** A bcrypt hash of nothing anyone knows: verified for an unknown old address, so the time says nothing. */
export const DUMMY_BCRYPT = '$2b$10$GMbOW68OXk9flZ1S0aUwpeMPftTLLqciETnNZgjEBXCfeh1V6cECG';

/** The dummy hash at this cost (verifying it costs 2^cost rounds, as any hash of that cost). */
export const decoyBcrypt = (cost: number): string => `$2b$${String(cost).padStart(2, '0')}$${DUMMY_BCRYPT.slice(7)}`;

/** The bcrypt work of a try when no stored hash says (no bcrypt hash left): the dummy's cost. */
export const DEFAULT_DECOY_COST = 10;

/**
 * ACC-9: the costs of the decoy hashes to verify so that a try costs 2^target rounds whatever
 * the address: `cost` is the stored bcrypt hash's (null for an unknown address, an account
 * linked already or a SHA-256 hash): none is one decoy at the target; a cheaper hash adds one
 * decoy at each cost from its own up to the target (2^c + 2^c + … + 2^(target-1) = 2^target).
 */
export function decoyCosts(cost: number | null, target: number): number[] {
  if (cost === null) return [target];
  const costs: number[] = [];
  for (let c = cost; c < target; c++) costs.push(c);
  return costs;
}

// ---------------------------------------------------------------------------------------------
// The import files' lines

export type LegacyFileKind = 'accounts' | 'enrolments';

/** The columns of each file (docs/legacy-import.md); the header line names them, in any order. */
export const legacyColumns = {
  accounts: {
    required: ['email', 'password_hash', 'last_name', 'first_name'],
    optional: [
      'civility',
      'birth_name',
      'birth_date',
      'birth_country',
      'address',
      'address_complement_1',
      'address_complement_2',
      'postal_code',
      'city',
      'mobile_phone',
      'landline_phone',
      'heard_from',
      'created_on',
    ],
  },
  enrolments: {
    required: ['email', 'course_code', 'school', 'period', 'started_on', 'ended_on', 'attendance_certificate'],
    optional: ['attendance_percent', 'outcome', 'certificate_on', 'certificate_number'],
  },
} as const satisfies Record<LegacyFileKind, { required: readonly string[]; optional: readonly string[] }>;

/** Which file a header is: the accounts file has `password_hash`, the enrolments file `course_code`. */
export function fileKindOf(header: readonly string[]): LegacyFileKind | null {
  if (header.includes('password_hash')) return 'accounts';
  if (header.includes('course_code')) return 'enrolments';
  return null;
}

/** One problem of one line: a message key and its parameters (the report is written in the reader's language). */
export interface LineProblem {
  column?: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

export interface LegacyAccountRow {
  email: string;
  passwordScheme: LegacyPasswordScheme;
  passwordHash: string;
  civility: Civility | null;
  lastName: string;
  birthName: string | null;
  firstName: string;
  birthDate: string | null;
  birthCountry: string | null;
  address: string | null;
  addressComplement1: string | null;
  addressComplement2: string | null;
  postalCode: string | null;
  city: string | null;
  mobilePhone: string | null;
  landlinePhone: string | null;
  heardFrom: HeardFrom | null;
  createdOn: string | null;
}

export interface LegacyEnrolmentRow {
  email: string;
  courseCode: string;
  school: string;
  period: string;
  startedOn: string;
  endedOn: string;
  attendancePercent: number | null;
  attendanceCertified: boolean;
  outcome: EvaluationOutcome | null;
  certificateOn: string | null;
  certificateNumber: string | null;
}

export type LineCheck<R> = { ok: true; row: R } | { ok: false; problems: LineProblem[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const text = (record: Record<string, string | undefined>, column: string) => (record[column] ?? '').trim();
const orNull = (v: string) => (v === '' ? null : v);

/** The words the old system's exports used, in French or English, for each value. */
const CIVILITY: Record<string, Civility> = { m: 'M', 'm.': 'M', mr: 'M', monsieur: 'M', mme: 'MME', madame: 'MME', mrs: 'MME', ms: 'MME' };
const OUTCOME: Record<string, EvaluationOutcome | null> = {
  passed: 'passed',
  'réussi': 'passed',
  reussi: 'passed',
  acquis: 'passed',
  failed: 'failed',
  'échoué': 'failed',
  echoue: 'failed',
  'non acquis': 'failed',
  absent: 'absent',
  none: null,
  aucun: null,
  '': null,
};
const YES = ['oui', 'yes', '1', 'true', 'o'];
const NO = ['non', 'no', '0', 'false', 'n', ''];

function isoDate(value: string, column: string, problems: LineProblem[], required: boolean): string | null {
  if (value === '') {
    if (required) problems.push({ column, message: 'legacy.import.err.required' });
    return null;
  }
  const parsed = parseDateInput(value);
  if (!parsed || parsed < '1900-01-01' || parsed > '2100-12-31') {
    problems.push({ column, message: 'legacy.import.err.date', params: { value } });
    return null;
  }
  return parsed;
}

function maxLength(value: string, column: string, max: number, problems: LineProblem[]) {
  if (value.length > max) problems.push({ column, message: 'legacy.import.err.tooLong', params: { max } });
}

/** ACC-9: one line of the accounts file, checked whole (every problem of the line, not the first). */
export function checkAccountLine(record: Record<string, string | undefined>): LineCheck<LegacyAccountRow> {
  const problems: LineProblem[] = [];
  const email = text(record, 'email').toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) problems.push({ column: 'email', message: 'legacy.import.err.email' });
  const hash = parseLegacyHash(text(record, 'password_hash'));
  if (!hash.ok) problems.push({ column: 'password_hash', message: hash.message, ...(hash.params ? { params: hash.params } : {}) });
  const lastName = text(record, 'last_name');
  const firstName = text(record, 'first_name');
  if (!lastName) problems.push({ column: 'last_name', message: 'legacy.import.err.required' });
  if (!firstName) problems.push({ column: 'first_name', message: 'legacy.import.err.required' });
  for (const column of ['last_name', 'first_name', 'birth_name', 'address', 'address_complement_1', 'address_complement_2', 'city'])
    maxLength(text(record, column), column, 200, problems);
  const civilityText = text(record, 'civility').toLowerCase();
  const civility = civilityText === '' ? null : (CIVILITY[civilityText] ?? (civilities.includes(civilityText.toUpperCase() as Civility) ? (civilityText.toUpperCase() as Civility) : undefined));
  if (civility === undefined) problems.push({ column: 'civility', message: 'legacy.import.err.oneOf', params: { values: 'M, MME' } });
  const birthDate = isoDate(text(record, 'birth_date'), 'birth_date', problems, false);
  const createdOn = isoDate(text(record, 'created_on'), 'created_on', problems, false);
  const country = text(record, 'birth_country').toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) problems.push({ column: 'birth_country', message: 'legacy.import.err.country' });
  const postalCode = text(record, 'postal_code');
  if (postalCode && !/^[0-9A-Za-z -]{2,10}$/.test(postalCode)) problems.push({ column: 'postal_code', message: 'legacy.import.err.postalCode' });
  const phones = { mobile_phone: text(record, 'mobile_phone'), landline_phone: text(record, 'landline_phone') };
  for (const [column, value] of Object.entries(phones)) if (value && !/^\+?[0-9 .()-]{6,20}$/.test(value)) problems.push({ column, message: 'legacy.import.err.phone' });
  const heard = text(record, 'heard_from');
  if (heard && !heardFromOptions.includes(heard as HeardFrom)) problems.push({ column: 'heard_from', message: 'legacy.import.err.oneOf', params: { values: heardFromOptions.join(', ') } });
  if (problems.length || !hash.ok) return { ok: false, problems };
  return {
    ok: true,
    row: {
      email,
      passwordScheme: hash.scheme,
      passwordHash: hash.hash,
      civility: civility ?? null,
      lastName,
      birthName: orNull(text(record, 'birth_name')),
      firstName,
      birthDate,
      birthCountry: orNull(country),
      address: orNull(text(record, 'address')),
      addressComplement1: orNull(text(record, 'address_complement_1')),
      addressComplement2: orNull(text(record, 'address_complement_2')),
      postalCode: orNull(postalCode),
      city: orNull(text(record, 'city')),
      mobilePhone: orNull(phones.mobile_phone),
      landlinePhone: orNull(phones.landline_phone),
      heardFrom: (orNull(heard) as HeardFrom | null) ?? null,
      createdOn,
    },
  };
}

/** ACC-9: one line of the enrolments file (the course's code is matched against the catalogue by the service). */
export function checkEnrolmentLine(record: Record<string, string | undefined>): LineCheck<LegacyEnrolmentRow> {
  const problems: LineProblem[] = [];
  const email = text(record, 'email').toLowerCase();
  if (!EMAIL.test(email)) problems.push({ column: 'email', message: 'legacy.import.err.email' });
  const courseCode = text(record, 'course_code');
  if (!/^[A-Za-z0-9-]{1,60}$/.test(courseCode)) problems.push({ column: 'course_code', message: 'legacy.import.err.code' });
  const school = text(record, 'school');
  const period = text(record, 'period');
  if (!school) problems.push({ column: 'school', message: 'legacy.import.err.required' });
  if (!period) problems.push({ column: 'period', message: 'legacy.import.err.required' });
  maxLength(school, 'school', 200, problems);
  maxLength(period, 'period', 50, problems);
  const startedOn = isoDate(text(record, 'started_on'), 'started_on', problems, true);
  const endedOn = isoDate(text(record, 'ended_on'), 'ended_on', problems, true);
  if (startedOn && endedOn && endedOn < startedOn) problems.push({ column: 'ended_on', message: 'legacy.import.err.endBeforeStart' });
  const percentText = text(record, 'attendance_percent').replace(/\s*%$/, '').replace(',', '.');
  let attendancePercent: number | null = null;
  if (percentText !== '') {
    const n = Number(percentText);
    if (!/^\d{1,3}(\.\d+)?$/.test(percentText) || n > 100) problems.push({ column: 'attendance_percent', message: 'legacy.import.err.percent' });
    else attendancePercent = Math.floor(n);
  }
  const certified = text(record, 'attendance_certificate').toLowerCase();
  if (![...YES, ...NO].includes(certified)) problems.push({ column: 'attendance_certificate', message: 'legacy.import.err.yesNo' });
  const outcomeText = text(record, 'outcome').toLowerCase();
  const outcome = outcomeText in OUTCOME ? OUTCOME[outcomeText] : undefined;
  if (outcome === undefined) problems.push({ column: 'outcome', message: 'legacy.import.err.oneOf', params: { values: [...evaluationOutcomes, 'none'].join(', ') } });
  const certificateOn = isoDate(text(record, 'certificate_on'), 'certificate_on', problems, false);
  // CERT-2: a certificate of skills is earned by passing the test.
  if (certificateOn && outcome !== 'passed') problems.push({ column: 'certificate_on', message: 'legacy.import.err.certificateWithoutPass' });
  const certificateNumber = text(record, 'certificate_number');
  maxLength(certificateNumber, 'certificate_number', 60, problems);
  if (problems.length || !startedOn || !endedOn || outcome === undefined) return { ok: false, problems };
  return {
    ok: true,
    row: {
      email,
      courseCode,
      school,
      period,
      startedOn,
      endedOn,
      attendancePercent,
      attendanceCertified: YES.includes(certified),
      outcome,
      certificateOn,
      certificateNumber: orNull(certificateNumber),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Link codes and the throttle

/** The single-use code sent to the old address: 8 digits, from the system's CSPRNG. */
export function newLinkCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** Only a code's SHA-256 is kept; what the learner typed is compared by it (spaces and dashes dropped). */
export const linkCodeHash = (code: string): string => createHash('sha256').update(`legacy-link:${code.replace(/[\s-]/g, '')}`).digest('hex');

export const LINK_CODE_MINUTES = 30;
export const LINK_CODE_ATTEMPTS = 5;
export const LINK_FAILURES_WINDOW_MS = 3_600_000;
const WAIT_MAX_PER_ACCOUNT_MS = 15 * 60_000;
const WAIT_MAX_PER_OLD_EMAIL_MS = 60_000;

export interface FailureCount {
  failures: number;
  lastFailedAt: Date | null;
}

const backoffMs = (failures: number, free: number, maxMs: number) => (failures < free ? 0 : Math.min(maxMs, 1000 * 2 ** Math.min(failures - free, 30)));

/**
 * ACC-9: how long (ms) this new account must wait before trying an old password again (0: now).
 * As logins (decision 009): `perAccount` free tries by this account, then 1 s doubling to 15
 * minutes; past `perOldEmail` tries on this old address from every account, a minute at most.
 * Nothing is locked for good: the owner, with the code sent to the old address, never waits on others.
 */
export function linkWaitMs(counts: { account: FailureCount; oldEmail: FailureCount }, limits: { perAccount: number; perOldEmail: number }, now: Date): number {
  const left = (count: FailureCount, free: number, maxMs: number) => (count.lastFailedAt ? count.lastFailedAt.getTime() + backoffMs(count.failures, free, maxMs) - now.getTime() : 0);
  return Math.max(0, left(counts.account, limits.perAccount, WAIT_MAX_PER_ACCOUNT_MS), left(counts.oldEmail, limits.perOldEmail, WAIT_MAX_PER_OLD_EMAIL_MS));
}
