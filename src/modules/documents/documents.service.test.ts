import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { checkCode, newCode } from './documents.rules';
import { currentDocument, currentDocuments, issueDocument, revokeDocuments, verifyDocument, type DocumentInput, type DocumentSigning } from './documents.service';
import { documents, documentSigningKeys } from './documents.table';
import { publicKeySet, rotateSigningKey } from './keys.service';

const SECRET = 'documents-test-secret-at-least-32-characters';

describe('PAY-10 documents: issue, replace, revoke, expire (service)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  const signing: DocumentSigning = { baseUrl: 'https://cours.example.org', secret: SECRET, clock };
  const input = (over: Partial<DocumentInput & { replace: boolean }> = {}): DocumentInput & { replace?: boolean } => ({
    kind: 'convocation',
    subjectId: randomUUID(),
    holderName: 'DURAND Léa',
    title: 'Français langue étrangère A1',
    issuerName: 'École Oberkampf',
    validUntil: '2027-01-12',
    details: { 'doc.detail.place': 'Salle 12' },
    ...over,
  });
  const statusOf = async (id: string) => (await database.db.select().from(documents).where(eq(documents.id, id)))[0].status;
  const verify = (code: unknown, signature?: unknown) => verifyDocument({ db: database.db, clock }, { code, signature });
  const signatureOf = (verifyUrl: string) => new URL(verifyUrl).searchParams.get('s')!;

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('PAY-10 the first document makes the signing key, once, even when many are issued at once', async () => {
    const issued = await Promise.all(Array.from({ length: 8 }, () => issueDocument(database.db, signing, input())));
    const keys = await database.db.select().from(documentSigningKeys);
    assert.equal(keys.length, 1, 'one key');
    assert.equal(keys[0].active, true);
    assert.doesNotMatch(keys[0].sealedPrivateKey, /"d"/, 'the private key is sealed');
    assert.equal(new Set(issued.map((d) => d.code)).size, 8);
  });

  it('PAY-10 issuing writes the row, a short code, the QR code’s signed link, and an audit entry', async () => {
    const doc = await issueDocument(database.db, signing, input({ subjectId: 'application-1' }));
    assert.ok(checkCode(doc.code).ok, doc.code);
    assert.equal(doc.displayCode, doc.code.match(/.{4}/g)!.join('-'));
    assert.equal(doc.status, 'valid');
    assert.equal(doc.issuedAt.toISOString(), clock.now().toISOString());
    assert.match(doc.verifyUrl, new RegExp(`^https://cours\\.example\\.org/verifier/${doc.code}\\?s=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    const [row] = await database.db.select().from(documents).where(eq(documents.id, doc.id));
    assert.equal(row.holderName, 'DURAND Léa');
    assert.equal(row.subjectId, 'application-1');
    const claims = JSON.parse(Buffer.from(signatureOf(doc.verifyUrl).split('.')[1], 'base64url').toString());
    assert.deepEqual(claims, { c: doc.code, k: 'convocation', n: 'D. L.', i: '2026-11-23', u: '2027-01-12' }, 'the signed payload is minimal: no name, no title');
    const checked = await verify(doc.code, signatureOf(doc.verifyUrl));
    assert.ok(checked.found);
    assert.equal(checked.signature, 'valid');
    assert.equal(checked.document.initials, 'D. L.');
    assert.equal(checked.staff, null, 'nobody logged in: the public view');
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'documents.issued'), eq(auditLog.subjectId, doc.id)));
    assert.equal((entry.data as { subject: string }).subject, 'application-1');
  });

  it('PAY-10 replace: the valid documents of the same kind and subject become "replaced"; others are untouched', async () => {
    const subjectId = randomUUID();
    const first = await issueDocument(database.db, signing, input({ kind: 'enrollee_card', subjectId }));
    const attestation = await issueDocument(database.db, signing, input({ kind: 'payment_attestation', subjectId }));
    const elsewhereSubject = randomUUID();
    const elsewhere = await issueDocument(database.db, signing, input({ kind: 'enrollee_card', subjectId: elsewhereSubject }));
    clock.advance(60_000);
    const second = await issueDocument(database.db, signing, input({ kind: 'enrollee_card', subjectId, replace: true }));
    assert.equal(await statusOf(first.id), 'replaced');
    assert.equal((await database.db.select().from(documents).where(eq(documents.id, first.id)))[0].replacedBy, second.id);
    assert.equal(await statusOf(second.id), 'valid');
    assert.equal(await statusOf(attestation.id), 'valid', 'another kind');
    assert.equal(await statusOf(elsewhere.id), 'valid', 'another subject');
    assert.equal((await currentDocument(database.db, signing, 'enrollee_card', subjectId))?.id, second.id);
    // The batch read picks, per subject and kind, the same document as currentDocument.
    const batch = await currentDocuments(database.db, signing, [subjectId, elsewhereSubject, randomUUID()]);
    assert.equal(batch.get(subjectId)?.get('enrollee_card')?.id, second.id);
    assert.equal(batch.get(subjectId)?.get('payment_attestation')?.id, attestation.id);
    assert.equal(batch.get(elsewhereSubject)?.get('enrollee_card')?.id, elsewhere.id);
    assert.equal([...batch.values()].reduce((n, kinds) => n + kinds.size, 0), 3, 'nothing for a subject without documents');
    const old = await verify(first.code, signatureOf(first.verifyUrl));
    assert.ok(old.found);
    assert.equal(old.document.status, 'replaced');
    assert.equal(old.signature, 'valid', 'still genuine, no longer valid');
  });

  it('PAY-10 concurrent replacements of one subject leave exactly one valid document', async () => {
    const subjectId = randomUUID();
    await Promise.all(Array.from({ length: 10 }, () => database.db.transaction((tx) => issueDocument(tx, signing, input({ kind: 'enrollee_card', subjectId, replace: true })))));
    const rows = await database.db.select().from(documents).where(eq(documents.subjectId, subjectId));
    assert.equal(rows.length, 10);
    assert.equal(rows.filter((r) => r.status === 'valid').length, 1);
  });

  it('PAY-10 revoke: the valid documents of these kinds become "revoked" with the reason, audited; again, nothing', async () => {
    const subjectId = randomUUID();
    const card = await issueDocument(database.db, signing, input({ kind: 'enrollee_card', subjectId }));
    const receipt = await issueDocument(database.db, signing, input({ kind: 'receipt', subjectId }));
    const convocation = await issueDocument(database.db, signing, input({ subjectId }));
    assert.equal(await revokeDocuments(database.db, ['enrollee_card', 'receipt'], subjectId, 'Remboursement accordé', clock), 2);
    assert.equal(await statusOf(card.id), 'revoked');
    assert.equal(await statusOf(receipt.id), 'revoked');
    assert.equal(await statusOf(convocation.id), 'valid');
    assert.equal(await revokeDocuments(database.db, ['enrollee_card', 'receipt'], subjectId, 'Again', clock), 0);
    assert.equal(await revokeDocuments(database.db, [], subjectId, 'None', clock), 0);
    await assert.rejects(() => revokeDocuments(database.db, ['convocation'], subjectId, '   ', clock), /reason/);
    const [row] = await database.db.select().from(documents).where(eq(documents.id, card.id));
    assert.equal(row.revokedReason, 'Remboursement accordé');
    assert.equal(row.statusChangedAt?.toISOString(), clock.now().toISOString());
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.action, 'documents.revoked'));
    assert.ok(entries.some((e) => e.subjectId === card.id));
    const current = await currentDocument(database.db, signing, 'enrollee_card', subjectId);
    assert.equal(current?.status, 'revoked', 'the current document, revoked: the caller reads its status');
  });

  it('PAY-10 expired: read from the last day of validity and the clock (in Paris), no job needed', async () => {
    const subjectId = randomUUID();
    const doc = await issueDocument(database.db, signing, input({ subjectId, validUntil: '2026-11-30' }));
    const noEnd = await issueDocument(database.db, signing, input({ validUntil: null }));
    const statusOn = async (code: string) => {
      const found = await verify(code);
      return found.found ? found.document.status : 'missing';
    };
    assert.equal(await statusOn(doc.code), 'valid');
    clock.set(new Date('2026-11-30T22:59:00Z')); // 23:59 in Paris on the 30th
    assert.equal(await statusOn(doc.code), 'valid');
    clock.set(new Date('2026-11-30T23:00:00Z')); // midnight in Paris
    assert.equal(await statusOn(doc.code), 'expired');
    assert.equal((await currentDocument(database.db, signing, 'convocation', subjectId))?.status, 'expired');
    assert.equal(await statusOf(doc.id), 'valid', 'computed, not stored');
    assert.equal(await statusOn(noEnd.code), 'valid');
    clock.advance(3_650 * DAY);
    assert.equal(await statusOn(noEnd.code), 'valid', 'no end of validity: never expires');
    clock.set(new Date('2026-11-23T10:00:00Z'));
  });

  it('PAY-10 codes are unique: a code already taken is drawn again, the caller’s transaction unharmed', async () => {
    const taken = (await issueDocument(database.db, signing, input())).code;
    const fresh = newCode();
    const draws = [taken, taken, fresh];
    const doc = await database.db.transaction(async (tx) => {
      const issued = await issueDocument(tx, signing, input(), () => draws.shift()!);
      await tx.execute(sql`select 1`); // the transaction still works
      return issued;
    });
    assert.equal(doc.code, fresh);
    assert.equal((await database.db.select().from(documents).where(eq(documents.code, fresh))).length, 1);
    await assert.rejects(() => issueDocument(database.db, signing, input(), () => taken), /no free code/);
    const unique = await database.db.execute<{ indexdef: string }>(sql`select indexdef from pg_indexes where indexname = 'documents_code'`);
    assert.match(unique.rows[0].indexdef, /UNIQUE/);
  });

  it('PAY-10 rotation: documents signed with the old key still verify; new ones are signed with the new key; both are published', async () => {
    const before = await issueDocument(database.db, signing, input());
    const oldKid = (await database.db.select().from(documents).where(eq(documents.id, before.id)))[0].keyId;
    const rotated = await rotateSigningKey(database.db, SECRET, clock);
    assert.equal(rotated.retired, oldKid);
    assert.notEqual(rotated.kid, oldKid);
    const after = await issueDocument(database.db, signing, input());
    assert.equal((await database.db.select().from(documents).where(eq(documents.id, after.id)))[0].keyId, rotated.kid);
    for (const doc of [before, after]) {
      const checked = await verify(doc.code, signatureOf(doc.verifyUrl));
      assert.ok(checked.found && checked.signature === 'valid', doc.code);
    }
    const kids = (await publicKeySet(database.db)).keys.map((k) => k.kid);
    assert.ok(kids.includes(oldKid) && kids.includes(rotated.kid));
    assert.ok((await publicKeySet(database.db)).keys.every((k) => k.d === undefined), 'no private part published');
    const active = await database.db.select().from(documentSigningKeys).where(eq(documentSigningKeys.active, true));
    assert.deepEqual(active.map((k) => k.kid), [rotated.kid]);
  });

  it('PAY-10 a tampered or foreign signature is "invalid"; the register still answers for the code', async () => {
    const a = await issueDocument(database.db, signing, input({ holderName: 'MARTIN Paul' }));
    const b = await issueDocument(database.db, signing, input());
    const [header, payload, signature] = signatureOf(a.verifyUrl).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), n: 'X. Y.' })).toString('base64url');
    for (const [what, s] of [
      ['the payload changed', `${header}.${forged}.${signature}`],
      ['another document’s genuine signature', signatureOf(b.verifyUrl)],
      ['garbage', 'garbage'],
      ['a list', ['x', 'y']],
      ['NUL', '\u0000'],
      ['huge', 'a'.repeat(100_000)],
    ] as const) {
      const checked = await verify(a.code, s);
      assert.ok(checked.found, what);
      assert.equal(checked.signature, 'invalid', what);
      assert.equal(checked.document.status, 'valid', what);
    }
    const typed = await verify(a.code.toLowerCase());
    assert.ok(typed.found && typed.signature === 'absent', 'a code typed: no signature to check');
  });

  it('PAY-10 unknown and malformed codes: "not found", never a throw', async () => {
    assert.deepEqual(await verify(newCode()), { found: false, reason: 'unknown' });
    assert.deepEqual(await verify('ABCD'), { found: false, reason: 'shape' });
    assert.deepEqual(await verify('\u0000'.repeat(12)), { found: false, reason: 'shape' });
    assert.deepEqual(await verify('x'.repeat(1_000_000)), { found: false, reason: 'shape' });
    const code = newCode();
    assert.deepEqual(await verify(code.slice(0, 11) + (code[11] === '2' ? '3' : '2')), { found: false, reason: 'checksum' });
  });

  it('PAY-10 a changed app secret: the old key cannot sign any more and is retired; a new one signs; old documents still verify', async () => {
    const before = await issueDocument(database.db, signing, input());
    const other = { ...signing, secret: 'another-secret-that-is-at-least-32-characters' };
    const after = await issueDocument(database.db, other, input());
    const active = await database.db.select().from(documentSigningKeys).where(eq(documentSigningKeys.active, true));
    assert.equal(active.length, 1);
    assert.equal((await database.db.select().from(documents).where(eq(documents.id, after.id)))[0].keyId, active[0].kid);
    for (const doc of [before, after]) {
      const checked = await verify(doc.code, signatureOf(doc.verifyUrl));
      assert.ok(checked.found && checked.signature === 'valid');
    }
  });

  it('issueDocument refuses a caller’s mistakes (they are code, not forms): empty names, bad dates, a staff path off the site', async () => {
    await assert.rejects(() => issueDocument(database.db, signing, input({ holderName: ' ' })), /holderName/);
    await assert.rejects(() => issueDocument(database.db, signing, input({ validUntil: '12/01/2027' })), /ISO date/);
    await assert.rejects(() => issueDocument(database.db, signing, input({ validFrom: '2027-02-01', validUntil: '2027-01-01' })), /before/);
    await assert.rejects(() => issueDocument(database.db, signing, input({ staffPath: 'https://evil.example/x' })), /staffPath/);
    await assert.rejects(() => issueDocument(database.db, signing, input({ staffPath: '//evil.example/x' })), /staffPath/);
  });
});
