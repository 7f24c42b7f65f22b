import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { GOOD_PASSWORD, buildLearner, buildStaff, emailsTo, linkIn, uniqueEmail } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { isMessageKey } from '../../platform/i18n';
import type { PersonalDataSet } from '../../platform/personal-data';
import { getPolicies } from '../../platform/policies';
import { accountsDataSet, accountsDataSets, connectionsDataSet } from './accounts.personal';
import { accountTokens, learnerProfiles, loginFailures, nameChangeRequests, pendingLogins, userSessions, users } from './accounts.table';
import { activateAccount, authenticate, requestPasswordReset, resetPassword, signUp } from './credentials.service';
import { confirmEmailChange, requestEmailChange } from './email-change.service';
import { requestNameChange } from './record.service';
import { createSession } from './sessions.service';
import { findUserByEmail, type AccountDeps } from './users.service';

describe('the accounts’ personal data (ACC-11, ACC-14)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: AccountDeps;
  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
  });
  after(() => database.close());

  const exportOf = async (userId: string) => {
    const sections = (await Promise.all(accountsDataSets.map((set) => set.exportOf(database.db, userId)))).flat();
    return Object.fromEntries(sections.map((s) => [s.key, s.rows]));
  };
  const forget = (set: PersonalDataSet[] | readonly PersonalDataSet[], userId: string) =>
    database.db.transaction(async (tx) => {
      for (const s of set) await s.forget(tx, userId, clock);
    });
  const tokenOf = (path: string) => path.split('/').pop()!;

  /** A learner with something in every table of the module. */
  async function busyLearner() {
    const learner = await buildLearner(database.db, clock);
    await requestNameChange(deps, { userId: learner.id, lastName: 'MARTIN', firstName: 'Léa', birthName: null, reason: 'Mariage' });
    await createSession(deps, { userId: learner.id, ip: '192.0.2.7', userAgent: 'Firefox test' });
    await requestPasswordReset(deps, learner.email);
    await authenticate(deps, { email: learner.email, password: 'Wrong-pass1' }, '198.51.100.3');
    return learner;
  }

  it('ACC-14 every column of the module’s tables is declared, and every word of the sets is a message', () => {
    for (const set of accountsDataSets)
      for (const table of set.tables)
        for (const column of Object.values(table.personal)) {
          assert.ok(isMessageKey(column.purpose), `${table.table}: ${column.purpose}`);
          assert.ok(isMessageKey(column.retention.from), `${table.table}: ${column.retention.from}`);
        }
    const declared = new Map(accountsDataSets.flatMap((s) => s.tables).map((t) => [t.table, [...Object.keys(t.personal), ...t.other].sort()]));
    for (const table of [users, learnerProfiles, accountTokens, nameChangeRequests, userSessions, loginFailures, pendingLogins]) {
      const config = getTableConfig(table);
      assert.deepEqual(declared.get(config.name), config.columns.map((c) => c.name).sort(), config.name);
    }
  });

  it('ACC-11 the export holds the learner’s account, record, requests, links, sessions and failed logins, no one else’s, and no secret', async () => {
    const learner = await busyLearner();
    const other = await busyLearner();
    const data = await exportOf(learner.id);
    const profile = (await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, learner.id)))[0];
    assert.equal(data.account.length, 1);
    assert.equal((data.account[0] as { email: string }).email, learner.email);
    assert.equal((data.learnerRecord[0] as { lastName: string }).lastName, profile.lastName);
    assert.equal((data.nameChanges[0] as { reason: string }).reason, 'Mariage');
    assert.deepEqual(
      data.accountLinks.map((l) => (l as { purpose: string }).purpose),
      ['password_reset'],
    );
    assert.equal((data.sessions[0] as { ip: string }).ip, '192.0.2.7');
    assert.equal(data.loginFailures.length, 1);
    const json = JSON.stringify(data);
    assert.ok(!json.includes(other.email) && !json.includes((await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, other.id)))[0].lastName), 'nothing of another learner');
    const [row] = await database.db.select().from(users).where(eq(users.id, learner.id));
    assert.ok(!json.includes(row.passwordHash) && !json.includes('argon2'), 'no password hash');
    const [token] = await database.db.select().from(accountTokens).where(eq(accountTokens.userId, learner.id));
    assert.ok(!json.includes(token.tokenHash), 'no token hash');
    assert.ok(!json.includes(profile.identityKey), 'no identity key');
  });

  it('ACC-11 forgetting leaves a tombstone and nothing personal; twice changes nothing more', async () => {
    const learner = await busyLearner();
    const other = await busyLearner();
    await database.db.update(users).set({ locale: 'en' }).where(eq(users.id, learner.id));
    await forget(accountsDataSets, learner.id);
    const [tomb] = await database.db.select().from(users).where(eq(users.id, learner.id));
    assert.equal(tomb.locale, 'fr', 'the language chosen goes back to the default');
    assert.equal(tomb.status, 'closed');
    assert.equal(tomb.email, `closed-${learner.id}@closed.invalid`);
    assert.deepEqual(
      [tomb.mobilePhone, tomb.displayName, tomb.totpSecret, tomb.totpLastStep, tomb.passwordChangedAt, tomb.lastSignInAt],
      [null, null, null, null, null, null],
    );
    assert.ok(!tomb.passwordHash.startsWith('$argon2'), 'no password matches');
    for (const table of [learnerProfiles, accountTokens, nameChangeRequests, userSessions, pendingLogins] as const)
      assert.equal((await database.db.select().from(table).where(eq(table.userId, learner.id))).length, 0);
    assert.equal((await database.db.select().from(loginFailures).where(eq(loginFailures.email, learner.email))).length, 0);
    // The other learner keeps everything.
    assert.equal((await database.db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, other.id))).length, 1);
    assert.equal((await database.db.select().from(userSessions).where(eq(userSessions.userId, other.id))).length, 1);
    assert.equal((await database.db.select().from(loginFailures).where(eq(loginFailures.email, other.email))).length, 1);
    // Twice: nothing more.
    await forget(accountsDataSets, learner.id);
    assert.deepEqual((await database.db.select().from(users).where(eq(users.id, learner.id)))[0], tomb);
    const data = await exportOf(learner.id);
    assert.deepEqual([data.learnerRecord, data.nameChanges, data.accountLinks, data.sessions, data.loginFailures], [[], [], [], [], []]);
  });

  it('ACC-11 a closed account cannot sign in, reset its password, activate, change its address or be found by email; its address may sign up again', async () => {
    const learner = await buildLearner(database.db, clock);
    // Links sent before the closure.
    await requestPasswordReset(deps, learner.email);
    const reset = tokenOf(linkIn((await emailsTo(database.db, learner.email))[0].text, '/mot-de-passe/'));
    const newAddress = uniqueEmail('new');
    assert.equal((await requestEmailChange(deps, { userId: learner.id, newEmail: newAddress, currentPassword: GOOD_PASSWORD })).outcome, 'sent');
    const change = tokenOf(linkIn((await emailsTo(database.db, newAddress))[0].text, '/compte/adresse/'));
    const pendingEmail = uniqueEmail('pending');
    await signUp(deps, { email: pendingEmail, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn: false, locale: 'fr' });
    const pending = (await findUserByEmail(database.db, pendingEmail))!;
    const activation = tokenOf(linkIn((await emailsTo(database.db, pendingEmail))[0].text, '/activation/'));

    await forget(accountsDataSets, learner.id);
    await forget(accountsDataSets, pending.id);

    assert.deepEqual(await authenticate(deps, { email: learner.email, password: GOOD_PASSWORD }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await authenticate(deps, { email: `closed-${learner.id}@closed.invalid`, password: GOOD_PASSWORD }), { ok: false, reason: 'invalid' });
    assert.equal(await findUserByEmail(database.db, learner.email), null);
    assert.equal(await findUserByEmail(database.db, `closed-${learner.id}@closed.invalid`), null, 'the tombstone is not found by its own address either');
    assert.equal(await resetPassword(deps, { token: reset, password: 'Nouveau-mot-2026' }), 'invalid');
    assert.deepEqual(await confirmEmailChange(deps, change), { ok: false });
    assert.equal((await activateAccount(deps, { token: activation, password: GOOD_PASSWORD })).outcome, 'invalid');
    const before = (await emailsTo(database.db, `closed-${learner.id}@closed.invalid`)).length;
    await requestPasswordReset(deps, `closed-${learner.id}@closed.invalid`);
    assert.equal((await emailsTo(database.db, `closed-${learner.id}@closed.invalid`)).length, before, 'no reset link for a tombstone');

    // The former address is free: a new account, another row.
    await signUp(deps, { email: learner.email, password: GOOD_PASSWORD, mobilePhone: null, newsOptIn: false, locale: 'fr' });
    const again = await findUserByEmail(database.db, learner.email);
    assert.ok(again && again.id !== learner.id && again.status === 'pending');
  });

  it('ACC-11 a staff member’s account closes too (its second factor goes)', async () => {
    const staff = await buildStaff(database.db, clock, 'school_head');
    await forget(accountsDataSets, staff.userId);
    const [tomb] = await database.db.select().from(users).where(eq(users.id, staff.userId));
    assert.deepEqual([tomb.status, tomb.totpSecret], ['closed', null]);
  });

  it('ACC-14 the sweep deletes the links expired longer ago than the connection log’s period, not the others', async () => {
    const learner = await buildLearner(database.db, clock);
    const policies = await getPolicies(database.db);
    const now = clock.now();
    const old = new Date(now.getTime() - (policies.connectionLogMonths * 31 + 1) * DAY);
    const recent = new Date(now.getTime() - 10 * DAY);
    const [a, b] = await database.db
      .insert(accountTokens)
      .values([
        { userId: learner.id, purpose: 'password_reset', tokenHash: `old-${learner.id}`, createdAt: old, expiresAt: old },
        { userId: learner.id, purpose: 'password_reset', tokenHash: `recent-${learner.id}`, createdAt: recent, expiresAt: recent },
      ])
      .returning();
    let swept = 0;
    for (;;) {
      const n = await accountsDataSet.retention!.sweep!(database.db, { at: now, policies, limit: 2 });
      swept += n;
      if (n < 2) break;
    }
    assert.ok(swept >= 1);
    const left = (await database.db.select().from(accountTokens).where(eq(accountTokens.userId, learner.id))).map((t) => t.id);
    assert.ok(!left.includes(a.id) && left.includes(b.id));
    assert.equal(await accountsDataSet.retention!.sweep!(database.db, { at: now, policies, limit: 10 }), 0, 'run again: nothing more');
    assert.equal(connectionsDataSet.retention, undefined, 'sessions and failed logins: pruned by the worker');
  });
});
