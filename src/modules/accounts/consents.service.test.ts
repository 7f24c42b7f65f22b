import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { GOOD_PASSWORD, buildLearner, buildStaff, uniqueEmail } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FILE_VIEWED, traceFileViewed } from '../../platform/audit';
import { FixedClock, HOUR, MINUTE } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { defaultPolicies, getPolicies } from '../../platform/policies';
import { consentsDataSet, signInsDataSet } from './consents.personal';
import { currentTerms } from './consents.rules';
import { acceptedCurrentTerms, acceptTerms, consentsOf, receivesNews, setNewsConsent } from './consents.service';
import { consents, signIns } from './consents.table';
import { signUp } from './credentials.service';
import { createSession, resumeSession } from './sessions.service';
import { signInsOf } from './sign-ins.service';
import { findUserByEmail, type AccountDeps } from './users.service';

describe('consents and the sign-in log', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: AccountDeps;
  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-12-02T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
  });
  after(() => database.close());

  const signUpWith = async (newsOptIn: boolean) => {
    const email = uniqueEmail('consent');
    await signUp(deps, { email, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn, locale: 'fr' });
    return (await findUserByEmail(database.db, email))!;
  };

  it('ACC-1 ACC-11 sign-up records the terms of use with their current version, and the news opt-in only when ticked', async () => {
    const ticked = await signUpWith(true);
    const rows = await consentsOf(database.db, ticked.id);
    assert.deepEqual(
      rows.map((c) => [c.kind, c.version, c.givenHow, c.givenAt.toISOString(), c.withdrawnAt]).sort(),
      [
        ['news', '1', 'sign_up', clock.now().toISOString(), null],
        ['terms', currentTerms.version, 'sign_up', clock.now().toISOString(), null],
      ],
    );
    const unticked = await signUpWith(false);
    assert.deepEqual((await consentsOf(database.db, unticked.id)).map((c) => c.kind), ['terms']);
    assert.equal(await receivesNews(database.db, unticked.id), false);
    assert.equal(await acceptedCurrentTerms(database.db, unticked.id), true);
  });

  it('ACC-11 the news opt-in withdrawn is recorded on its row, never deleted; given again, it is a new row', async () => {
    const learner = await signUpWith(true);
    clock.advance(HOUR);
    await setNewsConsent(deps, { userId: learner.id, agree: false });
    await setNewsConsent(deps, { userId: learner.id, agree: false }); // twice: nothing more
    assert.equal(await receivesNews(database.db, learner.id), false);
    let news = (await consentsOf(database.db, learner.id)).filter((c) => c.kind === 'news');
    assert.equal(news.length, 1, 'the withdrawal is kept on the consent');
    assert.equal(news[0].withdrawnAt?.toISOString(), clock.now().toISOString());
    assert.equal(news[0].withdrawnHow, 'account_page');
    clock.advance(HOUR);
    await setNewsConsent(deps, { userId: learner.id, agree: true });
    await setNewsConsent(deps, { userId: learner.id, agree: true });
    news = (await consentsOf(database.db, learner.id)).filter((c) => c.kind === 'news');
    assert.deepEqual(news.map((c) => [c.givenHow, c.withdrawnAt === null]), [['account_page', true], ['sign_up', false]], 'newest first');
    assert.equal(await receivesNews(database.db, learner.id), true);
    const audited = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, learner.id));
    assert.deepEqual(audited.map((a) => a.action).filter((a) => a.startsWith('consent.')).sort(), ['consent.given', 'consent.withdrawn']);
  });

  it('ACC-1 a learner who accepted an older version of the terms is asked for the current one at sign-in, once accepted no more', async () => {
    const learner = await buildLearner(database.db, clock);
    await database.db.update(consents).set({ version: '1' }).where(eq(consents.userId, learner.id));
    const policies = await getPolicies(database.db);
    const token = await createSession(deps, { userId: learner.id, ip: null, userAgent: null, signIn: { method: 'password' } });
    assert.equal((await resumeSession(deps, token, policies))?.termsToAccept, true);
    clock.advance(MINUTE);
    await acceptTerms(deps, { userId: learner.id });
    await acceptTerms(deps, { userId: learner.id });
    assert.equal((await resumeSession(deps, token, policies))?.termsToAccept, false);
    const terms = (await consentsOf(database.db, learner.id)).filter((c) => c.kind === 'terms');
    assert.deepEqual(terms.map((c) => [c.version, c.givenHow]), [[currentTerms.version, 'sign_in'], ['1', 'created']], 'the older acceptance stays');
    // Staff are not asked (they have no terms consent).
    const staff = await buildStaff(database.db, clock, 'coordinator');
    const staffToken = await createSession(deps, { userId: staff.userId, ip: null, userAgent: null });
    assert.equal((await resumeSession(deps, staffToken, policies))?.termsToAccept, false);
  });

  it('ACC-11 every sign-in is logged with when, how, the IP address and the user agent', async () => {
    const learner = await buildLearner(database.db, clock);
    await createSession(deps, { userId: learner.id, ip: '203.0.113.7', userAgent: 'Firefox/120', signIn: { method: 'password' } });
    clock.advance(MINUTE);
    await createSession(deps, { userId: learner.id, ip: '198.51.100.2', userAgent: 'x'.repeat(500), signIn: { method: 'provider', provider: 'franceconnect' } });
    const rows = await signInsOf(database.db, learner.id);
    assert.deepEqual(
      rows.map((s) => [s.method, s.provider, s.ip, s.userAgent?.length, s.at.toISOString()]),
      [
        ['provider', 'franceconnect', '198.51.100.2', 300, clock.now().toISOString()],
        ['password', null, '203.0.113.7', 11, new Date(clock.now().getTime() - MINUTE).toISOString()],
      ],
    );
  });

  it('ACC-11 a staff member opening a learner’s file is traced once an hour per staff member and learner', async () => {
    const learner = await buildLearner(database.db, clock);
    const [a, b] = [await buildStaff(database.db, clock, 'coordinator'), await buildStaff(database.db, clock, 'admin')];
    const traces = async () =>
      (await database.db.select().from(auditLog).where(and(eq(auditLog.action, FILE_VIEWED), eq(auditLog.subjectId, learner.id)))).map((r) => [r.actorId, r.at.toISOString()]);
    const first = clock.now().toISOString();
    await traceFileViewed(database.db, clock, { staffId: a.userId, learnerId: learner.id, page: 'learner' });
    clock.advance(59 * MINUTE);
    await traceFileViewed(database.db, clock, { staffId: a.userId, learnerId: learner.id, page: 'application' });
    await traceFileViewed(database.db, clock, { staffId: b.userId, learnerId: learner.id, page: 'learner' });
    const second = clock.now().toISOString();
    assert.deepEqual((await traces()).sort(), [[a.userId, first], [b.userId, second]].sort());
    clock.advance(2 * MINUTE);
    await traceFileViewed(database.db, clock, { staffId: a.userId, learnerId: learner.id, page: 'learner' });
    assert.equal((await traces()).length, 3, 'an hour later, traced again');
  });

  it('ACC-11 ACC-14 the data sets export the consents and sign-ins, forget them at closure, and sign-ins expire after connectionLogMonths', async () => {
    const learner = await buildLearner(database.db, clock);
    await setNewsConsent(deps, { userId: learner.id, agree: true });
    await createSession(deps, { userId: learner.id, ip: '203.0.113.9', userAgent: 'Safari/1', signIn: { method: 'password' } });
    const [consentsSection] = await consentsDataSet.exportOf(database.db, learner.id);
    assert.equal(consentsSection.key, 'consents');
    assert.deepEqual(consentsSection.rows.map((r) => r.kind).sort(), ['news', 'terms']);
    const [signInsSection] = await signInsDataSet.exportOf(database.db, learner.id);
    assert.deepEqual(signInsSection.rows.map((r) => [r.method, r.ip]), [['password', '203.0.113.9']]);

    // The sweep: what is older than the period goes, in batches of `limit`.
    const months = defaultPolicies.connectionLogMonths;
    const later = new Date(clock.now().getTime() + (months * 31 + 1) * 24 * HOUR);
    const policies = await getPolicies(database.db);
    const old = (await database.db.select().from(signIns)).length;
    assert.ok(old >= 2);
    assert.equal(await signInsDataSet.retention!.sweep!(database.db, { at: later, policies, limit: 1 }), 1);
    while ((await signInsDataSet.retention!.sweep!(database.db, { at: later, policies, limit: 100 })) > 0);
    assert.equal((await database.db.select().from(signIns)).length, 0, 'every sign-in past its period is gone');
    assert.equal(await signInsDataSet.retention!.sweep!(database.db, { at: clock.now(), policies, limit: 100 }), 0);

    await createSession(deps, { userId: learner.id, ip: null, userAgent: null, signIn: { method: 'password' } });
    await database.db.transaction(async (tx) => {
      await consentsDataSet.forget(tx, learner.id, clock);
      await signInsDataSet.forget(tx, learner.id, clock);
      await consentsDataSet.forget(tx, learner.id, clock); // twice: nothing more
    });
    assert.deepEqual(await consentsOf(database.db, learner.id), []);
    assert.deepEqual(await signInsOf(database.db, learner.id), []);
  });
});
