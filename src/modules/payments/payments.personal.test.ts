import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { samples } from '../../../test/multipart';
import { assertEveryColumnClassified, assertSections, forgetIn, sectionRows } from '../../../test/personal-data';
import { buildPayment } from '../../../test/statements';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { storedFileInfo, storeFile } from '../../platform/files';
import { defaultPolicies } from '../../platform/policies';
import { paymentsDataSets } from './payments.personal';
import { paymentAttempts, paymentLinks, payments, refunds, statementImports, statementLines } from './payments.table';
import { enrolmentFundings, fundingPrices } from './funding.table';
import { REFUND_PROOF_PURPOSE } from './refunds.service';

const [set] = paymentsDataSets;

describe('ACC-11, ACC-14 the payments’ personal data: download, closure, retention', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let staffId: string;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'PDS1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    staffId = (await buildStaff(database.db, clock, 'school_head')).userId;
  });
  after(() => database.close());

  /** A paid payment with all a payment can hold: a third party who paid by cheque, an attempt, a link, a refund granted with its proof. */
  async function fullPayment(overrides: Parameters<typeof buildPayment>[2] = {}) {
    const payment = await buildPayment(deps, 'PDS1', overrides);
    const db = database.db;
    await db.update(payments).set({ payerName: 'CCAS du 11e', chequeNumber: '0001234', chequeBank: 'Banque Postale', recordedBy: staffId }).where(eq(payments.id, payment.id));
    const [link] = await db
      .insert(paymentLinks)
      .values({ paymentId: payment.id, tokenHash: `hash-${payment.id}`, createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 86_400_000) })
      .returning();
    await db.insert(paymentAttempts).values({
      paymentId: payment.id,
      provider: 'payfip',
      idOp: `op-${payment.id}`,
      amountCents: payment.amountCents,
      status: 'refused',
      createdAt: clock.now(),
      expiresAt: clock.now(),
      redirectUrl: `https://payfip.example/secret-page-${payment.id}`,
      linkId: link.id,
      payerEmail: 'assistante@ccas.example.org',
      payerName: 'Mme Assistante',
      result: { resultrans: 'R', mel: 'assistante@ccas.example.org', montant: '15000' },
      flagNote: 'Vu avec Mme Assistante au téléphone',
    });
    const stored = await storeFile(db, clock, { purpose: REFUND_PROOF_PURPOSE, ownerId: payment.learnerId, name: 'certificat-medical.pdf', data: samples.pdf });
    assert.ok(stored.ok);
    const [refund] = await db
      .insert(refunds)
      .values({
        paymentId: payment.id,
        reason: 'hospitalisation',
        eventOn: '2026-10-01',
        explanation: 'Hospitalisée à Lariboisière pendant trois semaines.',
        proofFileId: stored.file.id,
        requestedAt: clock.now(),
        requestedBy: payment.learnerId,
        status: 'granted',
        decidedBy: staffId,
        decidedAt: clock.now(),
        decisionNote: 'Certificat de Lariboisière vu.',
        amountCents: 15_000,
        refundedOn: '2026-10-20',
        method: 'transfer',
        refundReference: 'VIR-2026-001',
      })
      .returning();
    return { payment, refund, fileId: stored.file.id };
  }

  it('ACC-14 every column of the payments’ tables is declared, personal (with its purpose, period and end) or other', () => {
    assertEveryColumnClassified(paymentsDataSets, [payments, paymentAttempts, paymentLinks, refunds, statementImports, statementLines, enrolmentFundings, fundingPrices]);
  });

  it('ACC-11 the download holds the learner’s payments, attempts, links and refunds, not another learner’s, and leaves the secrets out', async () => {
    const mine = await fullPayment();
    const theirs = await buildPayment(deps, 'PDS1');
    const sections = await set.exportOf(database.db, mine.payment.learnerId);
    assertSections(sections, [theirs.reference, theirs.id, `hash-${mine.payment.id}`, 'secret-page']);
    assert.deepEqual(
      sectionRows(sections, 'payments').map((p) => [p.reference, p.payerName, p.chequeNumber, p.status]),
      [[mine.payment.reference, 'CCAS du 11e', '0001234', 'paid']],
    );
    assert.deepEqual(
      sectionRows(sections, 'paymentAttempts').map((a) => [a.payerEmail, a.payerName, a.status, a.byPaymentLink]),
      [['assistante@ccas.example.org', 'Mme Assistante', 'refused', true]],
    );
    assert.equal(sectionRows(sections, 'paymentLinks').length, 1);
    assert.deepEqual(
      sectionRows(sections, 'refunds').map((r) => [r.reason, r.explanation, r.proof, r.refundReference]),
      [['hospitalisation', 'Hospitalisée à Lariboisière pendant trois semaines.', 'certificat-medical.pdf', 'VIR-2026-001']],
    );
    assert.ok((await set.exportOf(database.db, theirs.learnerId)).every((s) => s.key !== 'payments' || s.rows.every((r) => r.reference === theirs.reference)));
  });

  it('ACC-11 fees unpaid, a refund being decided or an online payment under way stop the closure, with the reason; a settled payment does not', async () => {
    const settled = await fullPayment();
    assert.deepEqual(await set.blocksClosure!(database.db, settled.payment.learnerId), []);

    const unpaid = await buildPayment(deps, 'PDS1', { status: 'due' });
    assert.deepEqual(await set.blocksClosure!(database.db, unpaid.learnerId), ['privacy.block.payments.unpaid']);

    const refunding = await buildPayment(deps, 'PDS1');
    await database.db.insert(refunds).values({ paymentId: refunding.id, reason: 'bodily_accident', eventOn: '2026-10-01', explanation: 'Bras cassé.', requestedAt: clock.now(), requestedBy: refunding.learnerId });
    assert.deepEqual(await set.blocksClosure!(database.db, refunding.learnerId), ['privacy.block.payments.refund']);

    const paying = await buildPayment(deps, 'PDS1', { status: 'due' });
    await database.db.insert(paymentAttempts).values({ paymentId: paying.id, provider: 'payfip', amountCents: 15_000, status: 'pending', createdAt: clock.now(), expiresAt: clock.now(), payerEmail: paying.learnerEmail });
    assert.deepEqual(await set.blocksClosure!(database.db, paying.learnerId), ['privacy.block.payments.unpaid', 'privacy.block.payments.attempt']);
  });

  it('ACC-11 the closure keeps the payments and refunds (accounting) with nothing that names or reaches a person, deletes the links and the proof; twice changes nothing', async () => {
    const mine = await fullPayment();
    const theirs = await fullPayment();
    const rowsOf = async (paymentId: string) => ({
      payment: (await database.db.select().from(payments).where(eq(payments.id, paymentId)))[0],
      attempts: await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.paymentId, paymentId)),
      links: await database.db.select().from(paymentLinks).where(eq(paymentLinks.paymentId, paymentId)),
      refunds: await database.db.select().from(refunds).where(eq(refunds.paymentId, paymentId)),
    });
    const theirsBefore = await rowsOf(theirs.payment.id);

    await forgetIn(database.db, paymentsDataSets, mine.payment.learnerId, clock);
    const after = await rowsOf(mine.payment.id);
    assert.deepEqual(
      [after.payment.status, after.payment.amountCents, after.payment.reference, after.payment.payerName, after.payment.chequeNumber, after.payment.chequeBank],
      ['paid', mine.payment.amountCents, mine.payment.reference, null, null, null],
      'the payment stays, for the accounts, without the third party or the cheque',
    );
    assert.deepEqual(
      after.attempts.map((a) => [a.payerEmail, a.payerName, a.flagNote, a.result]),
      [['', null, null, { resultrans: 'R', montant: '15000' }]],
      'the attempt without the payer’s email, name, the staff’s note or PayFiP’s copy of the email',
    );
    assert.deepEqual(after.links, []);
    assert.deepEqual(
      after.refunds.map((r) => [r.status, r.amountCents, r.reason, r.explanation, r.decisionNote, r.proofFileId]),
      [['granted', 15_000, 'hospitalisation', '—', null, null]],
    );
    assert.equal((await storedFileInfo(database.db, [mine.fileId])).size, 0, 'the proof’s file is deleted');
    const json = JSON.stringify(after);
    for (const text of ['CCAS', 'Assistante', 'Lariboisière', 'assistante@', '0001234', 'Banque Postale']) assert.ok(!json.includes(text), `nothing left of ${text}`);

    await forgetIn(database.db, paymentsDataSets, mine.payment.learnerId, clock);
    assert.deepEqual(await rowsOf(mine.payment.id), after, 'forgetting again changes nothing');
    assert.deepEqual(await rowsOf(theirs.payment.id), theirsBefore, 'another learner’s payments are untouched');
    assert.equal((await storedFileInfo(database.db, [theirs.fileId])).size, 1);
  });

  it('ACC-14 a payment is deleted `paymentRetentionYears` after its settlement, with its attempts, links and refunds; never one due or with a refund to decide', async () => {
    const db = database.db;
    const old = await fullPayment({ paidAt: new Date('2015-06-01T10:00:00Z') });
    await db.update(refunds).set({ decidedAt: new Date('2015-07-01T10:00:00Z'), refundedOn: '2015-07-01' }).where(eq(refunds.id, old.refund.id));
    const learnerId = old.payment.learnerId;
    // The same learner's payment of last year stays.
    const recent = await buildPayment(deps, 'PDS1', { paidAt: new Date('2025-10-01T10:00:00Z') });
    await db.update(payments).set({ learnerId }).where(eq(payments.id, recent.id));
    // Another learner's old payments in progress stay: one with a refund to decide, one still due.
    const refunding = await buildPayment(deps, 'PDS1', { paidAt: new Date('2014-01-01T10:00:00Z') });
    await db.insert(refunds).values({ paymentId: refunding.id, reason: 'bodily_accident', eventOn: '2014-01-10', explanation: 'Bras cassé.', requestedAt: new Date('2014-01-11T10:00:00Z'), requestedBy: refunding.learnerId });
    const unpaid = await buildPayment(deps, 'PDS1', { status: 'due' });
    await db.update(payments).set({ createdAt: new Date('2012-01-01T10:00:00Z') }).where(eq(payments.id, unpaid.id));
    // A statement line matched to the old payment, in a statement imported then.
    const [imported] = await db.insert(statementImports).values({ source: 'treasury', filename: 'releve-2015.csv', importedBy: staffId, importedAt: new Date('2015-08-01T10:00:00Z'), lineCount: 1 }).returning();
    const [line] = await db
      .insert(statementLines)
      .values({ importId: imported.id, lineNo: 1, reference: old.payment.reference, amountCents: 15_000, paidOn: '2015-06-01', state: 'matched', paymentId: old.payment.id })
      .returning();

    const policies = defaultPolicies;
    const notYet = await set.retention!.due!(db, { at: new Date('2025-07-01T09:00:00Z'), policies, limit: 100 });
    assert.ok(!notYet.some((d) => d.userId === learnerId), 'ten years after the refund’s last decision, not before');
    const due = await set.retention!.due!(db, { at: clock.now(), policies, limit: 100 });
    assert.deepEqual(
      due.map((d) => [d.userId, d.what, d.dueAt.toISOString()]),
      [[learnerId, 'privacy.due.payments', '2025-07-01T10:00:00.000Z']],
      'only the learner whose payment is settled for ten years, not those in progress',
    );
    assert.deepEqual(await set.retention!.due!(db, { at: clock.now(), policies, limit: 100, afterUserId: learnerId }), []);

    const count = await db.transaction((tx) => set.retention!.expire!(tx, { userId: learnerId, at: clock.now(), policies, clock }));
    assert.equal(count, 4, 'the payment, its attempt, its link and its refund');
    assert.deepEqual((await db.select({ id: payments.id }).from(payments).where(eq(payments.learnerId, learnerId))).map((p) => p.id), [recent.id]);
    assert.equal((await db.select().from(paymentAttempts).where(eq(paymentAttempts.paymentId, old.payment.id))).length, 0);
    assert.equal((await storedFileInfo(db, [old.fileId])).size, 0, 'the refund’s proof goes with it');
    assert.deepEqual((await db.select().from(statementLines).where(eq(statementLines.id, line.id))).map((l) => l.paymentId), [null], 'the statement line stays, without the link');
    assert.equal(await db.transaction((tx) => set.retention!.expire!(tx, { userId: learnerId, at: clock.now(), policies, clock })), 0, 'run again: nothing more');
    assert.equal((await db.select().from(payments).where(inArray(payments.id, [refunding.id, unpaid.id]))).length, 2, 'never a payment in progress');

    // The statements imported ten years ago go, their lines with them.
    const [kept] = await db.insert(statementImports).values({ source: 'payfip', filename: 'releve-2025.csv', importedBy: staffId, importedAt: new Date('2025-08-01T10:00:00Z'), lineCount: 0 }).returning();
    assert.equal(await set.retention!.sweep!(db, { at: clock.now(), policies, limit: 100 }), 1);
    assert.deepEqual((await db.select({ id: statementImports.id }).from(statementImports)).map((i) => i.id), [kept.id]);
    assert.equal((await db.select().from(statementLines).where(eq(statementLines.id, line.id))).length, 0);
  });
});
