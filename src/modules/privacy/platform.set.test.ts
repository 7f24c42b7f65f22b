import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, inArray, sql } from 'drizzle-orm';
import { buildLearner, buildStaff } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { audit } from '../../platform/audit';
import { isMessageKey } from '../../platform/i18n';
import { enqueueJob } from '../../platform/jobs';
import { queueEmail } from '../../platform/outbox';
import { auditLog, jobs, outbox, smsOutbox } from '../../platform/platform.table';
import { getPolicies } from '../../platform/policies';
import { queueSms } from '../../platform/sms';
import { buildCatalogue } from '../../../test/catalogue';
import { confirmedApplicants } from '../../../test/applications';
import { samples } from '../../../test/multipart';
import { storedFiles } from '../../platform/platform.table';
import { learnerProfiles, users } from '../accounts/accounts.table';
import { applications } from '../applications/applications.table';
import { uploadProof } from '../applications/proofs.service';
import { personalDataSets } from './owners';
import { auditDataSet, messagesDataSet, platformDataSets, technicalDataSet } from './platform.set';

describe('the platform’s personal data: messages, audit log, jobs (ACC-11, ACC-14)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  const sections = async (userId: string) => Object.fromEntries((await Promise.all(platformDataSets.map((s) => s.exportOf(database.db, userId)))).flat().map((s) => [s.key, s.rows as Record<string, unknown>[]]));
  const forgetIn = (sets: typeof personalDataSets) => (userId: string) =>
    database.db.transaction(async (tx) => {
      for (const set of sets) await set.forget(tx, userId, clock);
    });
  const forget = () => forgetIn(platformDataSets);
  const markSent = (to: string, at: Date) => database.db.update(outbox).set({ sentAt: at }).where(eq(outbox.to, to));

  /** A learner (record mobile +33612345678, as typed), with emails, SMS and audit rows. */
  async function learnerWithTraces(mobile: string) {
    const learner = await buildLearner(database.db, clock, { record: { mobilePhone: mobile } });
    const staff = await buildStaff(database.db, clock, 'school_head');
    await queueEmail(database.db, { to: learner.email, subject: `Sent to ${learner.id}`, text: 'Bonjour' });
    await markSent(learner.email, clock.now());
    await queueEmail(database.db, { to: learner.email, subject: `Pending for ${learner.id}`, text: 'À envoyer' });
    await queueSms(database.db, { to: '+33' + mobile.replace(/\s/g, '').slice(1), text: `SMS ${learner.id}`, purpose: 'sms.test' });
    await database.db.update(smsOutbox).set({ state: 'delivered', sentAt: clock.now() }).where(sql`${smsOutbox.body} = ${`SMS ${learner.id}`}`);
    await queueSms(database.db, { to: '+33' + mobile.replace(/\s/g, '').slice(1), text: `Pending SMS ${learner.id}`, purpose: 'sms.test' });
    await audit(database.db, clock, { action: 'login.failed', subjectId: learner.id, ip: '192.0.2.1' });
    await audit(database.db, clock, { action: 'login.throttled', ip: '192.0.2.1', data: { email: learner.email } });
    await audit(database.db, clock, { action: 'applications.proof_decided', actorId: staff.userId, subjectId: learner.id, ip: '10.0.0.1', data: { reason: 'Illisible' } });
    return { learner, staff };
  }

  it('ACC-14 every word of the platform’s sets is a message, and no table is declared twice across the sets', () => {
    for (const set of personalDataSets)
      for (const table of set.tables)
        for (const column of Object.values(table.personal)) {
          assert.ok(isMessageKey(column.purpose), `${set.name} ${table.table}: ${column.purpose}`);
          assert.ok(isMessageKey(column.retention.from), `${set.name} ${table.table}: ${column.retention.from}`);
        }
    const tables = personalDataSets.flatMap((s) => s.tables.map((t) => t.table));
    assert.equal(new Set(tables).size, tables.length);
    assert.equal(new Set(personalDataSets.map((s) => s.name)).size, personalDataSets.length);
  });

  it('ACC-11 the export holds the emails and SMS sent to the learner and the audit rows about them (the staff by name), no one else’s', async () => {
    const { learner } = await learnerWithTraces('06 12 34 56 78');
    const { learner: other } = await learnerWithTraces('06 98 76 54 32');
    const data = await sections(learner.id);
    assert.deepEqual(data.emails.map((e) => e.subject), [`Sent to ${learner.id}`, `Pending for ${learner.id}`]);
    assert.deepEqual(data.sms.map((s) => s.text), [`SMS ${learner.id}`, `Pending SMS ${learner.id}`]);
    assert.deepEqual(data.audit.map((a) => a.action), ['learner.record_created', 'login.failed', 'login.throttled', 'applications.proof_decided']);
    assert.equal(data.audit[3].by, `Test school_head (school_head)`);
    assert.equal(data.audit[3].ip, '10.0.0.1');
    assert.ok(!JSON.stringify(data).includes(other.id) && !JSON.stringify(data).includes(other.email));
  });

  it('ACC-11 a staff member without a display name is shown by their role in the download, never by their address', async () => {
    const learner = await buildLearner(database.db, clock);
    const staff = await buildStaff(database.db, clock, 'coordinator');
    await database.db.update(users).set({ displayName: null }).where(eq(users.id, staff.userId));
    await audit(database.db, clock, { action: 'learner.file_viewed', actorId: staff.userId, subjectId: learner.id });
    const data = await sections(learner.id);
    assert.deepEqual(data.audit.at(-1), { at: clock.now(), action: 'learner.file_viewed', by: 'coordinator', ip: null, data: {} });
    assert.ok(!JSON.stringify(data).includes(staff.email));
  });

  it('ACC-11 the emails sent to a former address (before an email change) are exported and forgotten; sent to it after, they are its new owner\'s', async () => {
    const learner = await buildLearner(database.db, clock);
    const before = learner.email;
    await queueEmail(database.db, { to: before, subject: `Before the change ${learner.id}`, text: 'Bonjour' });
    await markSent(before, clock.now());
    // The change (email-change.service): the address, and its audit row with the former one.
    // (queueEmail dates its rows by the database's clock.)
    const changedAt = new FixedClock(new Date(Date.now() + 60_000));
    await database.db.update(users).set({ email: `new.${before}` }).where(eq(users.id, learner.id));
    await audit(database.db, changedAt, { action: 'account.email_changed', actorId: learner.id, subjectId: learner.id, data: { from: before } });
    // The freed address is someone else's now.
    const later = new FixedClock(new Date(Date.now() + 120_000));
    await database.db.insert(outbox).values({ to: before, subject: 'For the new owner', text: 'Hello', createdAt: later.now(), sentAt: later.now(), nextAttemptAt: later.now() });
    const data = await sections(learner.id);
    assert.deepEqual(data.emails.map((e) => e.subject), [`Before the change ${learner.id}`]);
    await forget()(learner.id);
    assert.deepEqual((await database.db.select().from(outbox).where(eq(outbox.to, before))).map((e) => e.subject), ['For the new owner']);
  });

  it('ACC-11 forgetting deletes the messages sent (those still to send go on) and anonymises the audit rows; the others’ stay; twice: nothing more', async () => {
    const { learner } = await learnerWithTraces('06 11 11 11 11');
    const { learner: other } = await learnerWithTraces('06 22 22 22 22');
    await forget()(learner.id);
    assert.deepEqual((await database.db.select().from(outbox).where(eq(outbox.to, learner.email))).map((e) => e.subject), [`Pending for ${learner.id}`]);
    assert.deepEqual((await database.db.select().from(smsOutbox).where(eq(smsOutbox.to, '+33611111111'))).map((s) => s.state), ['pending']);
    const rows = await database.db.select().from(auditLog).where(sql`${auditLog.subjectId} = ${learner.id} or ${auditLog.data}->>'email' = ${learner.email} or ${auditLog.action} = 'login.throttled'`);
    const mine = rows.filter((r) => r.subjectId === learner.id);
    assert.equal(mine.length, 3); // the record's creation, the failed login, the staff's decision
    assert.ok(mine.every((r) => r.ip === null && JSON.stringify(r.data) === '{}'));
    assert.ok(!rows.some((r) => JSON.stringify(r.data).includes(learner.email)));
    assert.equal((await database.db.select().from(outbox).where(eq(outbox.to, other.email))).length, 2);
    assert.ok((await database.db.select().from(auditLog).where(eq(auditLog.subjectId, other.id))).some((r) => r.ip === '192.0.2.1'), 'the other learner’s rows keep their IP');
    const before = await database.db.select().from(auditLog).orderBy(auditLog.id);
    await forget()(learner.id);
    assert.deepEqual(await database.db.select().from(auditLog).orderBy(auditLog.id), before);
  });

  it('ACC-14 the sweeps delete the messages sent before sentMessageMonths, the sign-in traces and finished jobs before connectionLogMonths, clear old IPs, and touch nothing recent or pending', async () => {
    const policies = await getPolicies(database.db);
    const monthsAgo = (months: number) => {
      const d = new Date(clock.now());
      d.setUTCMonth(d.getUTCMonth() - months);
      return new Date(d.getTime() - DAY);
    };
    const old = 'old.sweep@example.org';
    const recent = 'recent.sweep@example.org';
    await queueEmail(database.db, { to: old, subject: 'old', text: 'x' });
    await markSent(old, monthsAgo(policies.sentMessageMonths));
    await queueEmail(database.db, { to: recent, subject: 'recent', text: 'x' });
    await markSent(recent, monthsAgo(policies.sentMessageMonths - 1));
    await queueEmail(database.db, { to: old, subject: 'pending', text: 'x' });
    await database.db.update(outbox).set({ createdAt: monthsAgo(policies.sentMessageMonths * 2) }).where(eq(outbox.subject, 'pending'));
    await queueSms(database.db, { to: '+33633333333', text: 'old sms', purpose: 'sms.test' });
    await database.db.update(smsOutbox).set({ state: 'delivered', sentAt: monthsAgo(policies.sentMessageMonths) }).where(eq(smsOutbox.to, '+33633333333'));
    await queueSms(database.db, { to: '+33644444444', text: 'pending sms', purpose: 'sms.test' });
    await database.db.update(smsOutbox).set({ createdAt: monthsAgo(policies.sentMessageMonths * 2) }).where(eq(smsOutbox.to, '+33644444444'));

    const longAgo = new FixedClock(monthsAgo(policies.connectionLogMonths));
    await audit(database.db, longAgo, { action: 'login.succeeded', ip: '203.0.113.9', data: { marker: 'old-login' } });
    await audit(database.db, longAgo, { action: 'learner.file_viewed', ip: '203.0.113.9', data: { marker: 'old-view' } });
    await audit(database.db, longAgo, { action: 'payment.validated', ip: '203.0.113.9', data: { marker: 'old-change' } });
    await audit(database.db, clock, { action: 'login.succeeded', ip: '203.0.113.10', data: { marker: 'new-login' } });
    await enqueueJob(database.db, { kind: 'test.old', payload: { userId: 'x' }, runAt: clock.now() });
    await database.db.update(jobs).set({ doneAt: monthsAgo(policies.connectionLogMonths) }).where(eq(jobs.kind, 'test.old'));
    await enqueueJob(database.db, { kind: 'test.pending', payload: {}, runAt: clock.now() });

    for (const set of [messagesDataSet, auditDataSet, technicalDataSet]) {
      for (;;) if ((await set.retention!.sweep!(database.db, { at: clock.now(), policies, limit: 2 })) < 2) break;
      assert.equal(await set.retention!.sweep!(database.db, { at: clock.now(), policies, limit: 2 }), 0, `${set.name}: run again, nothing more`);
    }
    assert.deepEqual((await database.db.select().from(outbox).where(inArray(outbox.to, [old, recent]))).map((e) => e.subject).sort(), ['pending', 'recent']);
    assert.deepEqual((await database.db.select().from(smsOutbox).where(inArray(smsOutbox.to, ['+33633333333', '+33644444444']))).map((s) => s.body), ['pending sms']);
    const markers = await database.db.select({ marker: sql<string>`${auditLog.data}->>'marker'`, ip: auditLog.ip }).from(auditLog).where(sql`${auditLog.data} ? 'marker'`);
    assert.deepEqual(markers.map((m) => [m.marker, m.ip]).sort(), [['new-login', '203.0.113.10'], ['old-change', null]]);
    assert.deepEqual((await database.db.select({ kind: jobs.kind }).from(jobs).where(inArray(jobs.kind, ['test.old', 'test.pending']))).map((j) => j.kind), ['test.pending']);
  });

  it('ACC-11 the closure runs every set in personalDataSets’ order in one transaction: nothing personal is left, the account is a tombstone, twice is harmless', async () => {
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'Z1', weekday: 4, startsAt: '18:30', endsAt: '20:30' }]);
    const [a] = await confirmedApplicants(deps, 'Z1', 1, () => 'welfare_recipient');
    const sent = await uploadProof(deps, { learnerId: a.learnerId, applicationId: a.applicationId, allowance: 'rsa', proofDate: '2026-10-01', file: { name: 'caf.png', data: samples.png } });
    assert.ok(sent.ok);
    await markSent(a.email, clock.now());
    for (let i = 0; i < 2; i++) await forgetIn(personalDataSets)(a.learnerId);
    const [tomb] = await database.db.select().from(users).where(eq(users.id, a.learnerId));
    assert.deepEqual([tomb.status, tomb.email], ['closed', `closed-${a.learnerId}@closed.invalid`]);
    assert.deepEqual(await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, a.learnerId)), []);
    assert.deepEqual(await database.db.select().from(storedFiles).where(eq(storedFiles.ownerId, a.learnerId)), []);
    assert.deepEqual(await database.db.select().from(outbox).where(eq(outbox.to, a.email)), [], 'the emails sent to the former address');
    const [app] = await database.db.select().from(applications).where(eq(applications.id, a.applicationId));
    assert.deepEqual([app.motivations, app.allowance], ['', null]);
    const exported = JSON.stringify((await Promise.all(personalDataSets.map((s) => s.exportOf(database.db, a.learnerId)))).flat());
    assert.ok(!exported.includes(a.email) && !exported.includes('caf.png'));
  });
});
