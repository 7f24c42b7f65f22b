import { asc, eq } from 'drizzle-orm';
import type { JWK, CryptoKey } from 'jose';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { documentSigningKeys } from './documents.table';
import { importPrivateKey, newKeyPair, openPrivateKey, sealPrivateKey } from './signing';

/**
 * PAY-10's keys in the database. One is active and signs; rotating retires it and makes a new
 * one; every key stays published, so what an old key signed still verifies. A key is made on
 * first use. Should the app secret change, the active key no longer opens: it is retired and a
 * new one made (its documents still verify: only the public half is needed for that).
 */

/** Opened private keys, by key id (a key id is random: one per key, whatever the database). */
const opened = new Map<string, CryptoKey>();
/** Public keys, by key id: they never change. */
const published = new Map<string, JWK>();

async function insertKey(db: DbOrTx, secret: string, clock: Clock): Promise<boolean> {
  const pair = await newKeyPair();
  const inserted = await db
    .insert(documentSigningKeys)
    .values({ kid: pair.kid, publicJwk: pair.publicJwk, sealedPrivateKey: sealPrivateKey(pair.privateJwk, pair.kid, secret), createdAt: clock.now() })
    // Another transaction made the active key meanwhile (the one-active index): keep theirs.
    .onConflictDoNothing()
    .returning({ kid: documentSigningKeys.kid });
  if (inserted.length) {
    opened.set(pair.kid, await importPrivateKey(pair.privateJwk));
    await audit(db, clock, { action: 'documents.key_created', data: { kid: pair.kid } });
  }
  return inserted.length > 0;
}

/** The active signing key, made on first use (in the caller's transaction). */
export async function signingKey(db: DbOrTx, secret: string, clock: Clock): Promise<{ kid: string; privateKey: CryptoKey }> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const [row] = await db.select().from(documentSigningKeys).where(eq(documentSigningKeys.active, true));
    if (!row) {
      await insertKey(db, secret, clock);
      continue;
    }
    const cached = opened.get(row.kid);
    if (cached) return { kid: row.kid, privateKey: cached };
    const jwk = openPrivateKey(row.sealedPrivateKey, row.kid, secret);
    if (jwk) {
      const privateKey = await importPrivateKey(jwk);
      opened.set(row.kid, privateKey);
      return { kid: row.kid, privateKey };
    }
    // Sealed under another secret: it can no longer sign, it still verifies.
    await retire(db, row.kid, clock, 'secret_changed');
  }
  throw new Error('no document signing key could be made');
}

async function retire(db: DbOrTx, kid: string, clock: Clock, why: string) {
  await db.update(documentSigningKeys).set({ active: false, retiredAt: clock.now() }).where(eq(documentSigningKeys.kid, kid));
  opened.delete(kid);
  await audit(db, clock, { action: 'documents.key_retired', data: { kid, why } });
}

/**
 * PAY-10: rotates the signing key (the CLI's `rotate-document-key`): the active key is retired
 * (it keeps verifying what it signed) and a new one signs from now on. Returns the new key id.
 */
export async function rotateSigningKey(db: DbOrTx, secret: string, clock: Clock): Promise<{ kid: string; retired: string | null }> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(documentSigningKeys).where(eq(documentSigningKeys.active, true)).for('update');
    if (current) await retire(tx, current.kid, clock, 'rotated');
    const next = await signingKey(tx, secret, clock);
    return { kid: next.kid, retired: current?.kid ?? null };
  });
}

/** A public key by id, or null. */
export async function publicKey(db: DbOrTx, kid: string): Promise<JWK | null> {
  const cached = published.get(kid);
  if (cached) return cached;
  if (kid.length > 40) return null;
  const [row] = await db.select({ publicJwk: documentSigningKeys.publicJwk }).from(documentSigningKeys).where(eq(documentSigningKeys.kid, kid));
  if (row) published.set(kid, row.publicJwk);
  return row?.publicJwk ?? null;
}

/** PAY-10: every public key, oldest first, as a JWK set (`/verifier/cles.json`). */
export async function publicKeySet(db: DbOrTx): Promise<{ keys: JWK[] }> {
  const rows = await db.select({ publicJwk: documentSigningKeys.publicJwk }).from(documentSigningKeys).orderBy(asc(documentSigningKeys.createdAt), asc(documentSigningKeys.kid));
  return { keys: rows.map((r) => r.publicJwk) };
}
