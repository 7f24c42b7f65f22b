import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

/**
 * Password hashing with argon2id (OWASP's baseline m=19 MiB, t=2, p=1) in a pool of worker
 * threads at a lower CPU priority than the event loop. Hashing is the one CPU-heavy thing the
 * app does: the pool has one thread fewer than the machine has cores (at least one), so a login
 * flood queues in the pool and never takes the core that serves every other page
 * (bench/README.md measures both). `HASH_CONCURRENCY` sets the size.
 */
let pool: Piscina | undefined;
let size = Math.max(1, availableParallelism() - 1);

export function hashPoolSize(): number {
  return size;
}

function hashPool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./hash-worker.mjs', import.meta.url).href,
    minThreads: size,
    maxThreads: size,
    idleTimeout: 60_000,
  });
  return pool;
}

export function setHashConcurrency(concurrency: number): void {
  size = concurrency;
  void pool?.destroy();
  pool = undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hashPool().run({ op: 'hash', password });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return hashPool().run({ op: 'verify', hash: passwordHash, password });
}

/** A bcrypt hash of the previous system (legacy module, ACC-9) checked in the pool, off the event loop. */
export function verifyBcrypt(hash: string, password: string): Promise<boolean> {
  return hashPool().run({ op: 'bcrypt', hash, password });
}

/** A hash of nothing anyone knows, verified when the account does not exist so timing says nothing. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('no account has this password');
  await verifyPassword(await dummyHash, password);
  return false;
}

/** Stops the pool's threads (at shutdown, so the process can exit). */
export async function closeHashPool(): Promise<void> {
  await pool?.destroy();
  pool = undefined;
}
