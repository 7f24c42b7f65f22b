import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Db } from '../db/database';
import { botcheckUsed } from './platform.table';

/**
 * ACC-2: a bot check a person with a screen reader can pass, with no third-party call.
 * With JavaScript the browser solves an ALTCHA proof-of-work on its own (nothing to read or
 * type); without it, the form asks a small sum written in words, which a screen reader reads
 * aloud like any text. Either answer is signed, expires, and is accepted once.
 */
export interface BotChallenge {
  /** JSON of the ALTCHA challenge, for the browser's solver. */
  altcha: string;
  /** The two numbers of the fallback question, for the view to write out in words. */
  question: { a: number; b: number };
  /** Signed token carrying the fallback question's answer (as a MAC) and expiry. */
  questionToken: string;
}

const VALIDITY_MS = 30 * 60_000;

function keys(secret: string) {
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest('base64url');
  return { signature: derive('botcheck:signature'), keySignature: derive('botcheck:key'), question: derive('botcheck:question') };
}

/** Expiry uses the real time, not the domain clock: ALTCHA itself checks it against the system time. */
export async function createBotChallenge(secret: string): Promise<BotChallenge> {
  const k = keys(secret);
  const expiresAt = new Date(Date.now() + VALIDITY_MS);
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    cost: 1,
    counter: randomInt(2_000, 12_000),
    deriveKey,
    expiresAt: Math.floor(expiresAt.getTime() / 1000),
    hmacSignatureSecret: k.signature,
    hmacKeySignatureSecret: k.keySignature,
  });
  const a = randomInt(1, 10);
  const b = randomInt(1, 10);
  const nonce = randomBytes(12).toString('base64url');
  const exp = expiresAt.getTime();
  const mac = createHmac('sha256', k.question).update(`${a + b}|${exp}|${nonce}`).digest('base64url');
  const questionToken = Buffer.from(JSON.stringify({ n: nonce, e: exp, m: mac })).toString('base64url');
  return { altcha: JSON.stringify(challenge), question: { a, b }, questionToken };
}

export interface BotcheckInput {
  altcha?: string;
  botcheckAnswer?: string;
  botcheckToken?: string;
}

/** True when the form carries a valid, unexpired, unused answer; marks it used. */
export async function verifyBotcheck(db: Db, secret: string, input: BotcheckInput): Promise<boolean> {
  const k = keys(secret);
  const nonce = (await verifyAltcha(k, input.altcha)) ?? verifyQuestion(k, input);
  if (!nonce) return false;
  const inserted = await db
    .insert(botcheckUsed)
    .values({ nonce, expiresAt: new Date(Date.now() + VALIDITY_MS) })
    .onConflictDoNothing()
    .returning({ nonce: botcheckUsed.nonce });
  return inserted.length === 1;
}

async function verifyAltcha(k: ReturnType<typeof keys>, payload: string | undefined): Promise<string | null> {
  if (!payload || payload.length > 4_000) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { challenge: Challenge; solution: Solution };
    const result = await verifySolution({
      challenge: parsed.challenge,
      solution: parsed.solution,
      deriveKey,
      hmacSignatureSecret: k.signature,
      hmacKeySignatureSecret: k.keySignature,
    });
    return result.verified ? `altcha:${parsed.challenge.parameters.nonce}` : null;
  } catch {
    return null;
  }
}

function verifyQuestion(k: ReturnType<typeof keys>, input: BotcheckInput): string | null {
  const answer = input.botcheckAnswer?.trim();
  if (!answer || !/^\d{1,3}$/.test(answer) || !input.botcheckToken || input.botcheckToken.length > 500) return null;
  try {
    const token = JSON.parse(Buffer.from(input.botcheckToken, 'base64url').toString('utf8')) as { n: string; e: number; m: string };
    if (typeof token.e !== 'number' || token.e < Date.now()) return null;
    const expected = createHmac('sha256', k.question).update(`${Number(answer)}|${token.e}|${token.n}`).digest();
    const given = Buffer.from(String(token.m), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? `question:${token.n}` : null;
  } catch {
    return null;
  }
}
