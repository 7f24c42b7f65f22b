import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Db } from '../db/database';
import { botcheckUsed } from './platform.table';

/**
 * ACC-2: a bot check a person with a screen reader can pass, with no third-party call.
 * With JavaScript the browser solves an ALTCHA proof-of-work on its own (nothing to read or
 * type); without it, the form asks a small question written in words (a sum, a difference, the
 * number after…), which a screen reader reads aloud like any text. Either answer is signed,
 * expires, and is checked once: a wrong answer uses the challenge up, and the form comes back
 * with a new one.
 */
export interface BotChallenge {
  /** JSON of the ALTCHA challenge, for the browser's solver. */
  altcha: string;
  /** The fallback question, for the view to write out in words. */
  question: BotQuestion;
  /** Signed token carrying the fallback question's answer (as a MAC) and expiry. */
  questionToken: string;
}

/** The fallback questions; each has its sentence, `botcheck.question.<kind>`, in every language. */
export const botQuestionKinds = ['sum', 'add', 'minus', 'takeAway', 'times', 'after', 'before', 'double', 'digits'] as const;
export type BotQuestionKind = (typeof botQuestionKinds)[number];
export interface BotQuestion {
  kind: BotQuestionKind;
  a: number;
  /** Only for the questions with two numbers. */
  b?: number;
}

const VALIDITY_MS = 30 * 60_000;

/**
 * The proof-of-work's cost: the server picks the counter the solver must reach, and the solver
 * tries every value from 0, one SHA-256 each (cost 1). Measured with `npm run bench:botcheck`
 * (2 cores shared, load 3.4, Node 20.20.2, Debian chromium 156, median of 7; see
 * docs/decisions/002-bot-check.md): chromium's solver, the one the page loads, reaches 100 000 in
 * 0.54 s, 150 000 in 0.96 s, 200 000 in 0.95 s (160 000 to 210 000 hashes/s; half that when the
 * machine is overloaded); altcha-lib's Node solver, what a bot would run, 200 000 in 0.42 s.
 * So about a second in a desktop browser (a slow phone, not measured: perhaps two or three),
 * while the person fills in the form; the question stays usable meanwhile. Was 2 000 to 12 000:
 * under 0.1 s.
 */
export const POW_COUNTER_MIN = 100_000;
export const POW_COUNTER_MAX = 200_000;

function keys(secret: string) {
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest('base64url');
  return {
    signature: derive('botcheck:signature'),
    keySignature: derive('botcheck:key'),
    question: derive('botcheck:question'),
    questionToken: derive('botcheck:question-token'),
  };
}

/** A question a person answers at a glance; the numbers stay below 100, the answer too. */
export function pickBotQuestion(): BotQuestion {
  const kind = botQuestionKinds[randomInt(botQuestionKinds.length)];
  switch (kind) {
    case 'sum':
    case 'add':
      return { kind, a: randomInt(2, 21), b: randomInt(2, 21) };
    case 'minus':
    case 'takeAway':
      return { kind, a: randomInt(10, 31), b: randomInt(1, 10) };
    case 'times':
      return { kind, a: randomInt(2, 6), b: randomInt(2, 10) };
    case 'after':
      return { kind, a: randomInt(10, 99) };
    case 'before':
      return { kind, a: randomInt(11, 100) };
    case 'double':
      return { kind, a: randomInt(2, 21) };
    case 'digits':
      return { kind, a: randomInt(11, 100) };
  }
}

export function botQuestionAnswer(q: BotQuestion): number {
  const b = q.b ?? 0;
  switch (q.kind) {
    case 'sum':
    case 'add':
      return q.a + b;
    case 'minus':
    case 'takeAway':
      return q.a - b;
    case 'times':
      return q.a * b;
    case 'after':
      return q.a + 1;
    case 'before':
      return q.a - 1;
    case 'double':
      return q.a * 2;
    case 'digits':
      return q.a;
  }
}

const frUnits = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize'];
const frTens = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'];
const enUnits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const enTens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0 to 99 in words, as written in full (traditional French spelling: soixante et onze, quatre-vingts). */
export function numberInWords(n: number, locale: 'fr' | 'en'): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`numberInWords: ${n}`);
  if (locale === 'en') {
    if (n < 20) return enUnits[n];
    const unit = n % 10;
    return unit ? `${enTens[Math.floor(n / 10)]}-${enUnits[unit]}` : enTens[n / 10];
  }
  if (n <= 16) return frUnits[n];
  if (n < 20) return `dix-${frUnits[n - 10]}`;
  if (n >= 80) {
    const rest = n - 80;
    return rest === 0 ? 'quatre-vingts' : `quatre-vingt-${numberInWords(rest, 'fr')}`;
  }
  // 70 to 79 count on from soixante: soixante-dix, soixante et onze, soixante-douze…
  const ten = n >= 70 ? 6 : Math.floor(n / 10);
  const rest = n - ten * 10;
  if (rest === 0) return frTens[ten];
  if (rest === 1 || rest === 11) return `${frTens[ten]} et ${frUnits[rest]}`;
  return `${frTens[ten]}-${numberInWords(rest, 'fr')}`;
}

/** Expiry uses the real time, not the domain clock: ALTCHA itself checks it against the system time. */
export async function createBotChallenge(secret: string): Promise<BotChallenge> {
  const k = keys(secret);
  const expiresAt = new Date(Date.now() + VALIDITY_MS);
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    cost: 1,
    counter: randomInt(POW_COUNTER_MIN, POW_COUNTER_MAX + 1),
    deriveKey,
    expiresAt: Math.floor(expiresAt.getTime() / 1000),
    hmacSignatureSecret: k.signature,
    hmacKeySignatureSecret: k.keySignature,
  });
  const question = pickBotQuestion();
  const nonce = randomBytes(12).toString('base64url');
  const exp = expiresAt.getTime();
  const mac = createHmac('sha256', k.question).update(`${botQuestionAnswer(question)}|${exp}|${nonce}`).digest('base64url');
  // The token's own signature tells a real question from a made-up one before any answer is compared.
  const sig = createHmac('sha256', k.questionToken).update(`${exp}|${nonce}|${mac}`).digest('base64url');
  const questionToken = Buffer.from(JSON.stringify({ n: nonce, e: exp, m: mac, s: sig })).toString('base64url');
  return { altcha: JSON.stringify(challenge), question, questionToken };
}

export interface BotcheckInput {
  altcha?: string;
  botcheckAnswer?: string;
  botcheckToken?: string;
}

/**
 * True when the form carries a valid, unexpired, unused answer. Any answer to a genuine
 * challenge uses it up, right or wrong: one guess per question, one try per proof-of-work.
 */
export async function verifyBotcheck(db: Db, secret: string, input: BotcheckInput): Promise<boolean> {
  const k = keys(secret);
  const use = async (nonce: string) => {
    const inserted = await db
      .insert(botcheckUsed)
      .values({ nonce, expiresAt: new Date(Date.now() + VALIDITY_MS) })
      .onConflictDoNothing()
      .returning({ nonce: botcheckUsed.nonce });
    return inserted.length === 1;
  };
  const altcha = await verifyAltcha(k, input.altcha);
  if (altcha.nonce) {
    const fresh = await use(altcha.nonce);
    if (altcha.solved) return fresh;
  }
  const question = readQuestionToken(k, input.botcheckToken);
  if (!question) return false;
  const fresh = await use(`question:${question.n}`);
  return fresh && answerMatches(k, question, input.botcheckAnswer);
}

/** The challenge's nonce when it is genuine and unexpired (`solved` when the solution is right too). */
async function verifyAltcha(k: ReturnType<typeof keys>, payload: string | undefined): Promise<{ nonce?: string; solved: boolean }> {
  if (!payload || payload.length > 4_000) return { solved: false };
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { challenge: Challenge; solution: Solution };
    const result = await verifySolution({
      challenge: parsed.challenge,
      solution: parsed.solution,
      deriveKey,
      hmacSignatureSecret: k.signature,
      hmacKeySignatureSecret: k.keySignature,
    });
    const genuine = result.verified || (result.invalidSignature === false && result.expired === false);
    return genuine ? { nonce: `altcha:${parsed.challenge.parameters.nonce}`, solved: result.verified } : { solved: false };
  } catch {
    return { solved: false };
  }
}

interface QuestionToken {
  n: string;
  e: number;
  m: string;
}

/** The fallback question's token when this server made it and it has not expired. */
function readQuestionToken(k: ReturnType<typeof keys>, raw: string | undefined): QuestionToken | null {
  if (!raw || raw.length > 500) return null;
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<QuestionToken & { s: string }>;
    if (typeof token.n !== 'string' || typeof token.e !== 'number' || typeof token.m !== 'string' || typeof token.s !== 'string') return null;
    if (token.e < Date.now()) return null;
    const expected = createHmac('sha256', k.questionToken).update(`${token.e}|${token.n}|${token.m}`).digest();
    return macEquals(token.s, expected) ? { n: token.n, e: token.e, m: token.m } : null;
  } catch {
    return null;
  }
}

function answerMatches(k: ReturnType<typeof keys>, token: QuestionToken, typed: string | undefined): boolean {
  const answer = typed?.trim();
  if (!answer || !/^\d{1,3}$/.test(answer)) return false;
  const expected = createHmac('sha256', k.question).update(`${Number(answer)}|${token.e}|${token.n}`).digest();
  return macEquals(token.m, expected);
}

function macEquals(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given, 'base64url');
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}
