import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1); argon2id is the library's default algorithm.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Hashing is CPU-bound and runs on libuv's thread pool; bounding how many run at once keeps a
 * core for the event loop, so a login flood does not slow every other page.
 */
let limit = pLimit(Math.max(1, availableParallelism() - 1));

export function setHashConcurrency(concurrency: number): void {
  limit = pLimit(concurrency);
}

export function hashPassword(password: string): Promise<string> {
  return limit(() => hash(password, options));
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return limit(() => verify(passwordHash, password).catch(() => false));
}

/** A hash of nothing anyone knows, verified when the account does not exist so timing says nothing. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash('no account has this password', options);
  await verifyPassword(await dummyHash, password);
  return false;
}
