import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * PAY-10's signatures, without the database: ES256 key pairs, the private half sealed under a
 * key derived from the app secret, compact JWS over a document's claims, and their check
 * against published public keys by key id (`kid`).
 */

export const ALG = 'ES256';

/** The key that seals the private keys: HKDF-SHA-256 of the app secret, for this use only. */
function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'cursus/documents', 'document-signing-keys/aes-256-gcm/v1', 32));
}

/** AES-256-GCM, the key id as associated data (a sealed key moved to another row does not open): `v1.iv.ciphertext.tag`. */
export function sealPrivateKey(jwk: JWK, kid: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  cipher.setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return ['v1', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The private JWK, or null when it does not open (another secret, another row, altered). */
export function openPrivateKey(sealed: string, kid: string, secret: string): JWK | null {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')) as JWK;
  } catch {
    return null;
  }
}

export interface NewKeyPair {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

/** A new P-256 key pair with a random key id; the public JWK as published (kid, alg, use). */
export async function newKeyPair(): Promise<NewKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomBytes(6).toString('base64url');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALG };
  return { kid, publicJwk, privateJwk };
}

export async function importPrivateKey(jwk: JWK): Promise<CryptoKey> {
  return (await importJWK(jwk, ALG)) as CryptoKey;
}

/** A compact JWS of `claims` (JSON), its header naming the key. */
export async function signClaims(claims: object, key: { kid: string; privateKey: CryptoKey }): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: ALG, kid: key.kid }).sign(key.privateKey);
}

export type Verified = { ok: true; kid: string; claims: unknown } | { ok: false };

/** Public keys once imported, by key id and key (a key id is never reused for another key). */
const importedKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();
function imported(kid: string, jwk: JWK): Promise<CryptoKey | Uint8Array> {
  const key = `${kid}:${jwk.x}:${jwk.y}`;
  let found = importedKeys.get(key);
  if (!found) {
    found = importJWK(jwk, ALG);
    found.catch(() => importedKeys.delete(key));
    if (importedKeys.size > 100) importedKeys.clear();
    importedKeys.set(key, found);
  }
  return found;
}

/**
 * Checks a compact JWS against the public key its header names (`publicKey(kid)`, null when
 * unknown). ES256 only; anything else, altered or unreadable is `{ ok: false }`, never a throw.
 */
export async function verifySignature(jws: string, publicKey: (kid: string) => Promise<JWK | null>): Promise<Verified> {
  if (jws.length > 2_000 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jws)) return { ok: false };
  try {
    let kid = '';
    const { payload } = await compactVerify(
      jws,
      async (header) => {
        kid = typeof header.kid === 'string' ? header.kid : '';
        const jwk = kid ? await publicKey(kid) : null;
        if (!jwk) throw new Error('unknown key');
        return imported(kid, jwk);
      },
      { algorithms: [ALG] },
    );
    return { ok: true, kid, claims: JSON.parse(new TextDecoder().decode(payload)) };
  } catch {
    return { ok: false };
  }
}
