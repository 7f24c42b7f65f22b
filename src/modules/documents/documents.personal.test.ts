import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { getPolicies } from '../../platform/policies';
import { addDocumentSubjects, documentsDataSet } from './documents.personal';
import { issueDocument, verifyDocument, type DocumentInput, type DocumentSigning } from './documents.service';
import { documents } from './documents.table';

describe('the documents’ personal data (ACC-11, ACC-14)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  const signing: DocumentSigning = { baseUrl: 'https://cours.example.org', secret: 'documents-personal-test-secret-32-chars!', clock };
  const learner = randomUUID();
  const other = randomUUID();
  // What an issuing module says: this learner's subjects (here, a payment's id).
  const payment = randomUUID();
  addDocumentSubjects(async (_db, userId) => (userId === learner ? [payment] : []));
  const input = (over: Partial<DocumentInput>): DocumentInput => ({
    kind: 'receipt',
    subjectId: payment,
    holderName: 'DURAND Léa',
    title: 'Reçu',
    issuerName: 'École test',
    details: { 'doc.detail.email': 'lea@example.org' },
    ...over,
  });
  const signatureOf = (verifyUrl: string) => new URL(verifyUrl).searchParams.get('s')!;

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('ACC-11 the export lists the documents about the learner’s subjects and the learner, no one else’s; forgetting anonymises them, still verifiable, once', async () => {
    const receipt = await issueDocument(database.db, signing, input({}));
    const own = await issueDocument(database.db, signing, input({ kind: 'attendance_certificate', subjectId: learner, holderName: 'Léa Durand' }));
    const theirs = await issueDocument(database.db, signing, input({ subjectId: other, holderName: 'MARTIN Paul' }));
    const rows = (await documentsDataSet.exportOf(database.db, learner))[0].rows as { code: string; holderName: string }[];
    assert.deepEqual(rows.map((r) => r.holderName).sort(), ['DURAND Léa', 'Léa Durand']);
    assert.ok(!JSON.stringify(rows).includes('MARTIN'));

    await database.db.transaction((tx) => documentsDataSet.forget(tx, learner, clock));
    const after = await database.db.select().from(documents).where(inArray(documents.id, [receipt.id, own.id, theirs.id]));
    const byId = new Map(after.map((d) => [d.id, d]));
    assert.deepEqual([byId.get(receipt.id)!.holderName, byId.get(receipt.id)!.details], ['D. L.', {}]);
    assert.equal(byId.get(own.id)!.holderName, 'L. D.');
    assert.deepEqual([byId.get(theirs.id)!.holderName, byId.get(theirs.id)!.anonymisedAt], ['MARTIN Paul', null]);
    for (const doc of [receipt, own]) {
      const verified = await verifyDocument({ db: database.db, clock }, { code: doc.code, signature: signatureOf(doc.verifyUrl) });
      assert.ok(verified.found && verified.signature === 'valid', 'still verifiable');
    }
    clock.advance(60_000);
    await database.db.transaction((tx) => documentsDataSet.forget(tx, learner, clock));
    const again = await database.db.select().from(documents).where(inArray(documents.id, [receipt.id, own.id, theirs.id]));
    const byIdOf = (rows: typeof after) => Object.fromEntries(rows.map((d) => [d.id, d]));
    assert.deepEqual(byIdOf(again), byIdOf(after), 'twice: nothing more');
  });

  it('ACC-14 the sweep anonymises the documents issued longer ago than issuedDocumentRetentionYears, not the others', async () => {
    const policies = await getPolicies(database.db);
    const old = await issueDocument(database.db, signing, input({ subjectId: randomUUID(), holderName: 'ANCIEN Jean' }));
    const recent = await issueDocument(database.db, signing, input({ subjectId: randomUUID(), holderName: 'RÉCENT Marc' }));
    const longAgo = new Date(clock.now());
    longAgo.setUTCFullYear(longAgo.getUTCFullYear() - policies.issuedDocumentRetentionYears);
    longAgo.setUTCDate(longAgo.getUTCDate() - 1);
    await database.db.update(documents).set({ issuedAt: longAgo }).where(eq(documents.id, old.id));
    let total = 0;
    for (;;) {
      const n = await documentsDataSet.retention!.sweep!(database.db, { at: clock.now(), policies, limit: 1 });
      total += n;
      if (n < 1) break;
    }
    assert.equal(total, 1);
    const [o] = await database.db.select().from(documents).where(eq(documents.id, old.id));
    const [r] = await database.db.select().from(documents).where(eq(documents.id, recent.id));
    assert.deepEqual([o.holderName, r.holderName], ['A. J.', 'RÉCENT Marc']);
    assert.equal(await documentsDataSet.retention!.sweep!(database.db, { at: clock.now(), policies, limit: 10 }), 0, 'run again: nothing twice');
  });
});
