import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildLearner, emailsTo } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { acceptedApplicants, awaitingPayment } from '../../../test/payments';
import { BLOCK_APPLICATION, BLOCK_UNPAID, testSets } from '../../../test/privacy';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import type { PersonalDataSet } from '../../platform/personal-data';
import { auditLog } from '../../platform/platform.table';
import { learnerProfiles, loginFailures, userSessions, users } from '../accounts/accounts.table';
import { createSession } from '../accounts/sessions.service';
import { closeAccount, closeOwnAccount, closurePage, type ClosureDeps } from './closure.service';
import { requestDataExport } from './export.service';
import { accountClosures, dataExports } from './privacy.table';

describe('close my account (ACC-11)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: ClosureDeps;
  const baseUrl = 'http://localhost:3000';

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    await buildCatalogue(database.db, clock, [
      { code: 'CLO-A', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'CLO-PAY', weekday: 2, startsAt: '18:00', endsAt: '20:00' },
    ]);
    deps = { db: database.db, clock, baseUrl, sets: testSets };
  });
  after(() => database.close());

  const userRow = async (id: string) => (await database.db.select().from(users).where(eq(users.id, id)))[0];
  const closureRow = async (id: string) => (await database.db.select().from(accountClosures).where(eq(accountClosures.userId, id)))[0];
  const sessionsOf = async (id: string) => database.db.select().from(userSessions).where(eq(userSessions.userId, id));

  it('ACC-11 closing an account: every set forgets the learner, the sessions end, a closure row with no personal data, the former address is told', async () => {
    const learner = await buildLearner(database.db, clock);
    await createSession(deps, { userId: learner.id, ip: '192.0.2.1', userAgent: 'Firefox' });
    await createSession(deps, { userId: learner.id, ip: '192.0.2.2', userAgent: 'Chrome' });
    await requestDataExport({ db: database.db, clock, sets: testSets }, { userId: learner.id });
    assert.deepEqual((await closurePage(deps, { userId: learner.id, sessionId: 'none' })).blocks, []);

    assert.deepEqual(await closeAccount(deps, { userId: learner.id, reason: 'learner', actorId: learner.id }), { ok: true });

    const after = await userRow(learner.id);
    assert.equal(after.email, `closed-${learner.id}@closed.invalid`, 'the stand-in account set forgot the address');
    assert.equal((await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, learner.id))).length, 0);
    assert.equal((await database.db.select().from(dataExports).where(eq(dataExports.userId, learner.id))).length, 0, 'the privacy set forgot the downloads');
    assert.deepEqual(await sessionsOf(learner.id), []);
    const closure = await closureRow(learner.id);
    assert.deepEqual(closure, { userId: learner.id, closedAt: clock.now(), reason: 'learner' });
    const [mail] = await emailsTo(database.db, learner.email);
    assert.equal(mail.subject, 'Votre compte des cours municipaux d’adultes est fermé');
    assert.match(mail.text, /paiements \(10 ans\)/);
    assert.match(mail.text, /délivrés \(50 ans\)/);
    assert.match(mail.text, /http:\/\/localhost:3000\/inscription/);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.closed'), eq(auditLog.subjectId, learner.id)));
    assert.equal(entry.actorId, learner.id);
    assert.deepEqual(entry.data, { reason: 'learner' });
    assert.equal((await closurePage(deps, { userId: learner.id, sessionId: 'none' })).alreadyClosed, true);
  });

  it('ACC-11 the closure\'s email is in the learner\'s language, read before the account forgets it (back to the default)', async () => {
    const learner = await buildLearner(database.db, clock);
    await database.db.update(users).set({ locale: 'en' }).where(eq(users.id, learner.id));
    assert.deepEqual(await closeAccount(deps, { userId: learner.id, reason: 'learner', actorId: learner.id }), { ok: true });
    const [mail] = await emailsTo(database.db, learner.email);
    assert.equal(mail.subject, 'Your municipal adult courses account is closed');
    assert.equal((await userRow(learner.id)).locale, 'fr');
  });

  it('ACC-11 closing twice: the second answers “already closed”, changes nothing and sends no second email; never an error', async () => {
    const learner = await buildLearner(database.db, clock);
    assert.deepEqual(await closeAccount(deps, { userId: learner.id, reason: 'learner' }), { ok: true });
    const first = await closureRow(learner.id);
    clock.advance(60_000);
    assert.deepEqual(await closeAccount(deps, { userId: learner.id, reason: 'retention' }), { ok: true, alreadyClosed: true });
    assert.deepEqual(await closureRow(learner.id), first);
    assert.equal((await emailsTo(database.db, learner.email)).length, 1);
    // At once, from two places (two tabs, the learner and the retention job): one closure, one email.
    const other = await buildLearner(database.db, clock);
    const both = await Promise.all([closeAccount(deps, { userId: other.id, reason: 'learner' }), closeAccount(deps, { userId: other.id, reason: 'retention' })]);
    assert.deepEqual(both.map((r) => ('alreadyClosed' in r ? 'already' : r.ok)).sort(), ['already', true].sort());
    assert.equal((await emailsTo(database.db, other.email)).length, 1);
  });

  it('ACC-11 closure refused while an application is being processed: the reason, and nothing changes', async () => {
    const [learner] = await confirmedApplicants({ db: database.db, clock, baseUrl }, 'CLO-A', 1);
    const before = await userRow(learner.learnerId);
    // The stand-in's reason (and, once the modules' sets are merged, theirs too).
    assert.ok((await closurePage(deps, { userId: learner.learnerId, sessionId: 'none' })).blocks.includes(BLOCK_APPLICATION));
    const refused = await closeAccount(deps, { userId: learner.learnerId, reason: 'learner' });
    assert.ok(!refused.ok && refused.reasons.includes(BLOCK_APPLICATION), JSON.stringify(refused));
    assert.deepEqual(await userRow(learner.learnerId), before);
    assert.equal(await closureRow(learner.learnerId), undefined);
    assert.equal((await emailsTo(database.db, learner.email)).filter((m) => m.subject.includes('fermé')).length, 0);
  });

  it('ACC-11 closure refused while fees are unpaid (an enrolment awaiting payment)', async () => {
    const accepted = await acceptedApplicants({ db: database.db, clock, baseUrl }, { 'CLO-PAY': 1 });
    const { learners } = await awaitingPayment({ db: database.db, clock, baseUrl }, 'CLO-PAY', accepted['CLO-PAY']);
    const [learner] = learners;
    const refused = await closeAccount(deps, { userId: learner.learnerId, reason: 'retention' });
    assert.ok(!refused.ok && refused.reasons.includes(BLOCK_UNPAID), JSON.stringify(refused));
    assert.equal(await closureRow(learner.learnerId), undefined);
    assert.ok((await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, learner.learnerId))).length === 1);
  });

  it('ACC-11 the closure is one transaction: a set that fails leaves every set’s data, the sessions and the address as they were, and sends nothing', async () => {
    const learner = await buildLearner(database.db, clock);
    await createSession(deps, { userId: learner.id, ip: null, userAgent: null });
    const failing: PersonalDataSet = { name: 'test.failing', tables: [], exportOf: async () => [], forget: async () => Promise.reject(new Error('disk full')) };
    await assert.rejects(closeAccount({ ...deps, sets: [...testSets, failing] }, { userId: learner.id, reason: 'learner' }), /disk full/);
    assert.equal((await userRow(learner.id)).email, learner.email);
    assert.equal((await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, learner.id))).length, 1);
    assert.equal((await sessionsOf(learner.id)).length, 1);
    assert.equal(await closureRow(learner.id), undefined);
    assert.deepEqual(await emailsTo(database.db, learner.email), []);
  });

  it('ACC-11 the blocks are asked again inside the closure: a block that appears after the page was shown stops it', async () => {
    const learner = await buildLearner(database.db, clock);
    let blocked = false;
    const late: PersonalDataSet = { name: 'test.late', tables: [], exportOf: async () => [], blocksClosure: async () => (blocked ? ['test.late'] : []), forget: async () => {} };
    const withLate = { ...deps, sets: [...testSets, late] };
    assert.deepEqual((await closurePage(withLate, { userId: learner.id, sessionId: 'none' })).blocks, []);
    blocked = true;
    assert.deepEqual(await closeAccount(withLate, { userId: learner.id, reason: 'learner' }), { ok: false, reasons: ['test.late'] });
  });

  it('ACC-11 the learner confirms with their password: a wrong one is refused and counted as a failed login, the right one closes', async () => {
    const learner = await buildLearner(database.db, clock);
    assert.deepEqual(await closeOwnAccount(deps, { userId: learner.id, sessionId: 'none', password: 'not-the-password', ip: '192.0.2.9' }), { ok: false, reason: 'wrong_password' });
    assert.equal(await closureRow(learner.id), undefined);
    assert.ok((await database.db.select().from(loginFailures)).length > 0, 'the failure is counted');
    assert.deepEqual(await closeOwnAccount(deps, { userId: learner.id, sessionId: 'none', password: 'Bonjour-Paris-2026', ip: '192.0.2.9' }), { ok: true });
    assert.equal((await closureRow(learner.id))?.reason, 'learner');
    assert.deepEqual(await closeOwnAccount(deps, { userId: learner.id, sessionId: 'none', password: 'whatever', ip: '192.0.2.9' }), { ok: true, alreadyClosed: true });
  });

  it('ACC-11 the service says whether a password is needed: none typed for an account that has one is asked for, not counted as a failed login', async () => {
    const learner = await buildLearner(database.db, clock);
    const failures = (await database.db.select().from(loginFailures)).length;
    assert.deepEqual(await closeOwnAccount(deps, { userId: learner.id, sessionId: 'none', password: '', ip: '192.0.2.10' }), { ok: false, reason: 'password_required' });
    assert.deepEqual(await closeOwnAccount(deps, { userId: learner.id, sessionId: 'none', ip: '192.0.2.10' }), { ok: false, reason: 'password_required' });
    assert.equal((await database.db.select().from(loginFailures)).length, failures);
    assert.equal(await closureRow(learner.id), undefined);
  });

  it('ACC-11 ACC-14 a closure for the retention is asked again under the learner\'s lock whether it is still due: not due, nothing changes', async () => {
    const learner = await buildLearner(database.db, clock);
    let asked = 0;
    const result = await closeAccount(deps, { userId: learner.id, reason: 'retention', stillDue: async () => (asked++, false) });
    assert.deepEqual(result, { ok: false, reasons: ['privacy.closure.noLongerDue'] });
    assert.equal(asked, 1);
    assert.equal(await closureRow(learner.id), undefined);
    assert.equal((await userRow(learner.id)).email, learner.email);
    assert.equal((await emailsTo(database.db, learner.email)).length, 0);
  });

  it('ACC-11 ACC-13 an account without a password of its own (made through a provider) is closed only after a re-authentication with it', async () => {
    const learner = await buildLearner(database.db, clock);
    await database.db.update(users).set({ passwordHash: '!none' }).where(eq(users.id, learner.id));
    const page = await closurePage(deps, { userId: learner.id, sessionId: 'none' });
    assert.equal(page.localPassword, false);
    assert.equal(page.reauthenticated, false);
    assert.deepEqual(await closeOwnAccount(deps, { userId: learner.id, sessionId: 'none', password: '!none', ip: null }), { ok: false, reason: 'reauth_required' });
    assert.equal(await closureRow(learner.id), undefined);
  });

  it('ACC-11 staff accounts are not closed here; the page tells how the closure is confirmed and what is kept for how long', async () => {
    const { buildStaff } = await import('../../../test/app');
    const staff = await buildStaff(database.db, clock, 'trainer');
    assert.deepEqual(await closeAccount(deps, { userId: staff.userId, reason: 'retention' }), { ok: false, reasons: ['privacy.closure.staffAccount'] });
    const learner = await buildLearner(database.db, clock);
    const page = await closurePage(deps, { userId: learner.id, sessionId: 'none' });
    assert.deepEqual(page, { blocks: [], localPassword: true, providers: [], reauthenticated: false, alreadyClosed: false, policies: { paymentRetentionYears: 10, issuedDocumentRetentionYears: 50 } });
  });
});
