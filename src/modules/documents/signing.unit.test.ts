import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64url, CompactSign, type JWK } from 'jose';
import { importPrivateKey, newKeyPair, openPrivateKey, sealPrivateKey, signClaims, verifySignature } from './signing';

const SECRET = 'a-test-secret-that-is-at-least-32-characters';
const claims = { c: 'ABCDEFGHJKMN', k: 'convocation', n: 'D. L.', i: '2026-11-23', u: '2027-01-12' };

async function keyPair() {
  const pair = await newKeyPair();
  return { ...pair, signer: { kid: pair.kid, privateKey: await importPrivateKey(pair.privateJwk) } };
}
const keysOf = (...pairs: { kid: string; publicJwk: JWK }[]) => async (kid: string) => pairs.find((p) => p.kid === kid)?.publicJwk ?? null;

describe('PAY-10 signing what the QR code carries (ES256)', () => {
  it('PAY-10 a signature names its key and verifies against the published public key; the public JWK holds no private part', async () => {
    const key = await keyPair();
    assert.equal(key.publicJwk.kty, 'EC');
    assert.equal(key.publicJwk.crv, 'P-256');
    assert.equal(key.publicJwk.alg, 'ES256');
    assert.equal(key.publicJwk.kid, key.kid);
    assert.equal(key.publicJwk.d, undefined, 'no private part in what is published');
    const jws = await signClaims(claims, key.signer);
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(jws.split('.')[0])));
    assert.deepEqual(header, { alg: 'ES256', kid: key.kid });
    assert.deepEqual(await verifySignature(jws, keysOf(key)), { ok: true, kid: key.kid, claims });
    assert.ok(jws.length < 300, `small enough for a QR code (${jws.length} characters)`);
  });

  it('PAY-10 a document signed with an old key still verifies once a new key signs (rotation), both keys published', async () => {
    const old = await keyPair();
    const signedBefore = await signClaims(claims, old.signer);
    const next = await keyPair();
    const signedAfter = await signClaims({ ...claims, c: 'NMKJHGFEDCBA' }, next.signer);
    const published = keysOf(old, next);
    assert.equal((await verifySignature(signedBefore, published)).ok, true);
    assert.equal((await verifySignature(signedAfter, published)).ok, true);
    assert.deepEqual(await verifySignature(signedBefore, keysOf(next)), { ok: false }, 'an unpublished key verifies nothing');
  });

  it('PAY-10 a tampered payload, header or signature fails; so do another key, another algorithm, "none" and garbage', async () => {
    const key = await keyPair();
    const other = await keyPair();
    const jws = await signClaims(claims, key.signer);
    const [header, payload, signature] = jws.split('.');
    const forged = base64url.encode(JSON.stringify({ ...claims, n: 'X. Y.' }));
    const published = keysOf(key, other);
    const flip = (s: string) => (s[5] === 'A' ? 'B' : 'A');
    for (const [what, candidate] of [
      ['the payload changed', `${header}.${forged}.${signature}`],
      ['one character of the signature', `${header}.${payload}.${signature.slice(0, 5)}${flip(signature)}${signature.slice(6)}`],
      ['the header names the other key', `${base64url.encode(JSON.stringify({ alg: 'ES256', kid: other.kid }))}.${payload}.${signature}`],
      ['alg none', `${base64url.encode(JSON.stringify({ alg: 'none', kid: key.kid }))}.${payload}.`],
      ['an unknown key', `${base64url.encode(JSON.stringify({ alg: 'ES256', kid: 'nope' }))}.${payload}.${signature}`],
      ['garbage', 'not.a.jws'],
      ['empty', ''],
      ['huge', `${header}.${'A'.repeat(10_000)}.${signature}`],
      ['NUL bytes', `${header}.\u0000.${signature}`],
    ] as const)
      assert.deepEqual(await verifySignature(candidate, published), { ok: false }, what);
    const hmac = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(new TextEncoder().encode(JSON.stringify(key.publicJwk)));
    assert.deepEqual(await verifySignature(hmac, published), { ok: false }, 'HS256 keyed with the public key (algorithm confusion)');
  });

  it('PAY-10 the private key is sealed (AES-256-GCM) under the app secret and its key id: another secret or another row does not open it', async () => {
    const key = await keyPair();
    const sealed = sealPrivateKey(key.privateJwk, key.kid, SECRET);
    assert.doesNotMatch(sealed, new RegExp(String(key.privateJwk.d)), 'the private part does not show');
    assert.deepEqual(openPrivateKey(sealed, key.kid, SECRET), key.privateJwk);
    assert.equal(openPrivateKey(sealed, key.kid, `${SECRET}!`), null, 'another secret');
    assert.equal(openPrivateKey(sealed, 'another-kid', SECRET), null, 'another key id');
    const [v, iv, body, tag] = sealed.split('.');
    assert.equal(openPrivateKey([v, iv, `${body.slice(0, -2)}AA`, tag].join('.'), key.kid, SECRET), null, 'altered');
    assert.equal(openPrivateKey('garbage', key.kid, SECRET), null);
    assert.notEqual(sealPrivateKey(key.privateJwk, key.kid, SECRET), sealed, 'a fresh IV each time');
  });
});
