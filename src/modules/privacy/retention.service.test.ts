import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { migrationsFolder, type Database, type Db } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { audit } from '../../platform/audit';
import { outbox } from '../../platform/platform.table';
import type { PersonalDataSet } from '../../platform/personal-data';
import { setPolicy } from '../../platform/policies';
import { userSessions, users } from '../accounts/accounts.table';
import { createSession } from '../accounts/sessions.service';
import { preselectSession } from '../applications/applications.service';
import { buildLearner } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { closeAccount } from './closure.service';
import { addPeriod } from './retention.rules';
import { INACTIVE_ACCOUNT, runDailyRetention, runRetention, type CloseAccount, type RetentionDeps } from './retention.service';
import { retentionNotices, retentionRuns } from './retention.table';

const START = new Date('2026-03-02T08:00:00Z');
const BASE = 'http://localhost:3000';

/** Each test on its own database: the inactive-account rule looks at every account there is. */
async function withDatabase(run: (database: Database, clock: FixedClock) => Promise<void>) {
  const database = await createTestDatabase();
  try {
    await database.db.execute(sql`create table retention_fixture (
      id serial primary key, user_id uuid not null, kind text not null, due_at timestamptz not null, busy boolean not null default false)`);
    await run(database, new FixedClock(START));
  } finally {
    await database.close();
  }
}

/**
 * A data set of the tests, over a table of their own: items of one `kind` fall due at their
 * `due_at`, never while `busy` (in progress, which also blocks a closure). Its expiries are logged.
 */
function fixtureSet(kind: string, notice: boolean, log: { user: string; kind: string; rows: number }[]): PersonalDataSet {
  return {
    name: `fixture.${kind}`,
    tables: [],
    exportOf: async () => [],
    forget: async (tx, userId) => {
      await tx.execute(sql`delete from retention_fixture where user_id = ${userId}`);
    },
    blocksClosure: async (db, userId) => ((await db.execute(sql`select 1 from retention_fixture where user_id = ${userId} and busy`)).rows.length ? ['fixture.busy'] : []),
    retention: {
      notice,
      due: async (db, { at, limit, afterUserId }) => {
        const rows = await db.execute<{ user_id: string; due_at: Date }>(sql`
          select user_id::text as user_id, min(due_at) as due_at from retention_fixture
          where kind = ${kind} and not busy and due_at <= ${at.toISOString()}::timestamptz ${afterUserId ? sql`and user_id > ${afterUserId}::uuid` : sql``}
          group by user_id order by user_id limit ${limit}`);
        return rows.rows.map((r) => ({ userId: r.user_id, what: `fixture.${kind}`, dueAt: new Date(r.due_at) }));
      },
      expire: async (tx, { userId, at }) => {
        const rows = await tx.execute(sql`delete from retention_fixture where user_id = ${userId} and kind = ${kind} and not busy and due_at <= ${at.toISOString()}::timestamptz returning id`);
        if (rows.rows.length) log.push({ user: userId, kind, rows: rows.rows.length });
        return rows.rows.length;
      },
    },
  };
}

async function item(db: Db, userId: string, kind: string, dueAt: Date, busy = false) {
  await db.execute(sql`insert into retention_fixture (user_id, kind, due_at, busy) values (${userId}, ${kind}, ${dueAt.toISOString()}::timestamptz, ${busy})`);
}
const left = async (db: Db) => (await db.execute<{ user_id: string; kind: string }>(sql`select user_id::text as user_id, kind from retention_fixture order by id`)).rows;
const mails = (db: Db, to: string) => db.select().from(outbox).where(eq(outbox.to, to));
const days = (n: number) => n * DAY;

describe('ACC-14 the retention job', () => {
  it('ACC-14 sends one notice per learner retentionNoticeDays before, listing all that falls due, never twice', async () => {
    await withDatabase(async ({ db }, clock) => {
      const log: { user: string; kind: string; rows: number }[] = [];
      const sets = [fixtureSet('proofs', true, log), fixtureSet('answers', true, log)];
      const deps: RetentionDeps = { db, clock, baseUrl: BASE, sets };
      const a = await buildLearner(db, clock);
      const b = await buildLearner(db, clock);
      await db.update(users).set({ locale: 'en' }).where(eq(users.id, b.id));
      await item(db, a.id, 'proofs', new Date(START.getTime() + days(10)));
      await item(db, a.id, 'answers', new Date(START.getTime() + days(12)));
      await item(db, b.id, 'proofs', new Date(START.getTime() + days(30)));

      const first = await runRetention(deps);
      assert.equal(first.notices, 1);
      const [notice] = await mails(db, a.email);
      assert.match(notice.subject, /conservation/);
      assert.match(notice.text, /fixture\.proofs : supprimé à partir du 16 mars 2026/);
      assert.match(notice.text, /fixture\.answers : supprimé à partir du 16 mars 2026/);
      assert.match(notice.text, /http:\/\/localhost:3000\/compte\/donnees\/conservation/);
      assert.equal((await mails(db, b.email)).length, 0, 'b is not due within the notice period yet');

      clock.advance(days(1));
      assert.equal((await runRetention(deps)).notices, 0, 'the next day: nothing new, no second notice');
      assert.equal((await mails(db, a.email)).length, 1);

      clock.set(new Date(START.getTime() + days(16)));
      await runRetention(deps);
      const [english] = await mails(db, b.email);
      assert.ok(english, 'b is told 14 days before');
      assert.match(english.subject, /some of your data reaches the end of its retention period/);
      assert.match(english.text, /fixture\.proofs: deleted from 1 April 2026/);
      assert.match(english.text, /You can download your data before then: http:\/\/localhost:3000\/compte\/donnees/);
      assert.equal((await mails(db, a.email)).length, 1);
    });
  });

  it('ACC-14 deletes only after a notice sent retentionNoticeDays before, and at once what needs no notice', async () => {
    await withDatabase(async ({ db }, clock) => {
      const log: { user: string; kind: string; rows: number }[] = [];
      const sets = [fixtureSet('proofs', true, log), fixtureSet('logs', false, log)];
      const deps: RetentionDeps = { db, clock, baseUrl: BASE, sets };
      const a = await buildLearner(db, clock);
      // Already past its period when the job first sees it: told now, deleted 14 days later, not before.
      await item(db, a.id, 'proofs', new Date(START.getTime() - days(1)));
      await item(db, a.id, 'logs', new Date(START.getTime() - days(1)));

      const first = await runRetention(deps);
      assert.deepEqual([first.notices, first.rows, first.waiting], [1, 1, 1]);
      assert.deepEqual((await left(db)).map((r) => r.kind), ['proofs'], 'the log went at once, the proof waits for its notice');

      clock.advance(days(13));
      assert.equal((await runRetention(deps)).rows, 0, 'a notice 13 days old is not enough');
      assert.equal((await left(db)).length, 1);

      clock.advance(days(1));
      const due = await runRetention(deps);
      assert.deepEqual([due.rows, due.learners, due.notices], [1, 1, 0]);
      assert.deepEqual(await left(db), []);
      const [notice] = await db.select().from(retentionNotices).where(eq(retentionNotices.userId, a.id));
      assert.ok(notice.expiredAt, 'the notice is done');
      assert.equal((await mails(db, a.email)).length, 1);
    });
  });

  it('ACC-14 expires nothing in progress, and re-checks when it runs', async () => {
    await withDatabase(async ({ db }, clock) => {
      const log: { user: string; kind: string; rows: number }[] = [];
      const sets = [fixtureSet('proofs', true, log)];
      const deps: RetentionDeps = { db, clock, baseUrl: BASE, sets };
      const a = await buildLearner(db, clock);
      await item(db, a.id, 'proofs', new Date(START.getTime() + days(5)));
      assert.equal((await runRetention(deps)).notices, 1);
      // Meanwhile the item came back in progress (a new application uses it): the run 14 days later leaves it and cancels the notice.
      await db.execute(sql`update retention_fixture set busy = true`);
      clock.advance(days(14));
      const run = await runRetention(deps);
      assert.deepEqual([run.rows, run.cancelled], [0, 1]);
      assert.equal((await left(db)).length, 1);
      assert.deepEqual(log, []);
    });
  });

  it('ACC-14 works in bounded batches that never split a learner; stopped after a batch then run again, it deletes nothing twice and misses nothing', async () => {
    await withDatabase(async ({ db }, clock) => {
      const log: { user: string; kind: string; rows: number }[] = [];
      const sets = [fixtureSet('logs', false, log), fixtureSet('traces', false, log), fixtureSet('proofs', true, log)];
      const learners = [];
      for (let i = 0; i < 7; i++) {
        const learner = await buildLearner(db, clock);
        learners.push(learner);
        await item(db, learner.id, 'logs', new Date(START.getTime() - days(1)));
        await item(db, learner.id, 'logs', new Date(START.getTime() - days(2)));
        // Two sets for some learners only: a page of one set ends before the other's.
        if (i % 2 === 0) await item(db, learner.id, 'traces', new Date(START.getTime() - days(1)));
        await item(db, learner.id, 'proofs', new Date(START.getTime() + days(3)));
      }
      // Killed after its first batch of 3 learners (expiry).
      const killed = await runRetention({ db, clock, baseUrl: BASE, sets, batchSize: 3, maxBatches: 1 });
      assert.equal(killed.complete, false);
      assert.equal(killed.learners, 3);
      const byLearner = new Map<string, string[]>();
      for (const row of await left(db)) byLearner.set(row.user_id, [...(byLearner.get(row.user_id) ?? []), row.kind]);
      const done = learners.filter((l) => !byLearner.get(l.id)?.includes('logs'));
      assert.equal(done.length, 3);
      for (const l of done) assert.ok(!byLearner.get(l.id)?.includes('traces'), 'a learner is done whole in one batch: logs and traces together');

      // Killed again in the notices, after one batch of them (two batches of expiry first: 3 learners, then 1).
      const again = await runRetention({ db, clock, baseUrl: BASE, sets, batchSize: 3, maxBatches: 3 });
      assert.equal(again.complete, false);
      assert.equal(again.notices, 3);

      const rest = await runRetention({ db, clock, baseUrl: BASE, sets, batchSize: 3 });
      assert.equal(rest.complete, true);
      assert.deepEqual((await left(db)).map((r) => r.kind), Array(7).fill('proofs'));
      // Each learner's logs and traces expired exactly once, every learner told exactly once.
      const expiries = log.map((e) => `${e.user}:${e.kind}`);
      assert.equal(new Set(expiries).size, expiries.length, 'nothing expired twice');
      assert.equal(log.filter((e) => e.kind === 'logs').length, 7);
      assert.equal(log.filter((e) => e.kind === 'traces').length, 4);
      for (const l of learners) assert.equal((await mails(db, l.email)).length, 1, 'one notice each');

      clock.advance(days(14));
      await runRetention({ db, clock, baseUrl: BASE, sets, batchSize: 3, maxBatches: 2 });
      await runRetention({ db, clock, baseUrl: BASE, sets, batchSize: 3 });
      assert.deepEqual(await left(db), []);
      assert.equal(log.filter((e) => e.kind === 'proofs').length, 7);
    });
  });

  it('ACC-14 an account with no sign-in and no application activity for inactiveAccountMonths is told, then closed with the closure; a sign-in after the notice cancels it', async () => {
    await withDatabase(async ({ db }, clock) => {
      const calls: { userId: string; reason: string }[] = [];
      const close: CloseAccount = async (d, input) => {
        calls.push({ userId: input.userId, reason: input.reason });
        return closeAccount(d, input);
      };
      const log: { user: string; kind: string; rows: number }[] = [];
      const sets = [fixtureSet('proofs', true, log)];
      const deps: RetentionDeps = { db, clock, baseUrl: BASE, sets, closeAccount: close };
      const idle = await buildLearner(db, clock);
      const back = await buildLearner(db, clock);
      const busy = await buildLearner(db, clock);
      await item(db, busy.id, 'proofs', START, true);
      const applicant = await buildLearner(db, clock);
      // The applicant signed up long ago but applied a year later: their activity counts from then.
      clock.set(addPeriod(START, 12, 'months'));
      await buildCatalogue(db, clock, [{ code: 'S1', weekday: 2, startsAt: '18:00', endsAt: '20:00' }]);
      assert.ok((await preselectSession({ db, clock, baseUrl: BASE }, { learnerId: applicant.id, sessionCode: 'S1' })).ok);

      // 36 months after the sign-up, less 14 days: the idle accounts are told.
      clock.set(addPeriod(addPeriod(START, 36, 'months'), -13, 'days'));
      const told = await runRetention(deps);
      assert.equal(told.notices, 2, 'idle and back are told; busy has something in progress');
      const [mail] = await mails(db, idle.email);
      assert.match(mail.text, /votre compte et tout ce qu’il contient : fermé à partir du/);
      assert.match(mail.text, /il suffit de vous connecter avant le .*http:\/\/localhost:3000\/connexion/);
      assert.equal((await mails(db, busy.email)).length, 0);
      assert.equal((await mails(db, applicant.email)).length, 0);

      // `back` signs in after the notice: the account is active again.
      clock.advance(days(2));
      await createSession({ db, clock }, { userId: back.id, ip: null, userAgent: null });
      const next = await runRetention(deps);
      assert.equal(next.cancelled, 1);
      const [cancelled] = await db.select().from(retentionNotices).where(eq(retentionNotices.userId, back.id));
      assert.ok(cancelled.cancelledAt && cancelled.setName === INACTIVE_ACCOUNT);

      clock.advance(days(12));
      const closing = await runRetention(deps);
      assert.equal(closing.closed, 1);
      assert.deepEqual(calls, [{ userId: idle.id, reason: 'retention' }]);
    });
  });

  it('ACC-14 the accounts that signed in before users.last_sign_in_at existed count from their last sign-in (migration 0019\'s backfill), not their creation', async () => {
    await withDatabase(async ({ db }, clock) => {
      const byLogin = await buildLearner(db, clock);
      const bySession = await buildLearner(db, clock);
      const never = await buildLearner(db, clock);
      // Signed in last week, before the column was there (its rows are what the service had: the audit log, the sessions).
      clock.set(addPeriod(addPeriod(START, 36, 'months'), -20, 'days'));
      await audit(db, clock, { action: 'login.succeeded', actorId: byLogin.id, subjectId: byLogin.id });
      const now = clock.now();
      await db.insert(userSessions).values({ id: `s-${bySession.id}`, userId: bySession.id, createdAt: START, lastSeenAt: now, expiresAt: addPeriod(now, 1, 'days') });
      await db.update(users).set({ lastSignInAt: null });
      // The migration's statements that fill the column, as written in it.
      const migration = readFileSync(join(migrationsFolder, '0019_consents_replace_user_columns.sql'), 'utf8');
      const backfill = migration.split('--> statement-breakpoint').filter((s) => /UPDATE "users" SET "last_sign_in_at"/.test(s));
      for (const statement of backfill) await db.execute(sql.raw(statement));

      clock.set(addPeriod(addPeriod(START, 36, 'months'), -13, 'days'));
      const report = await runRetention({ db, clock, baseUrl: BASE, sets: [] });
      assert.equal(report.notices, 1, 'only the account never signed in is told');
      assert.equal((await mails(db, never.email)).length, 1);
      assert.equal((await mails(db, byLogin.email)).length, 0, 'a login.succeeded row of last week');
      assert.equal((await mails(db, bySession.email)).length, 0, 'a session seen last week');
      const [filled] = await db.select({ at: users.lastSignInAt }).from(users).where(eq(users.id, byLogin.id));
      assert.equal(filled.at?.toISOString(), now.toISOString());
    });
  });

  it('ACC-14 ACC-11 an inactive account is re-checked under the closure\'s lock: a sign-in after the job found it due keeps it open', async () => {
    await withDatabase(async ({ db }, clock) => {
      const idle = await buildLearner(db, clock);
      const closing: CloseAccount = async (d, input) => {
        // The learner signs in between the job's finding and the closure's transaction.
        await createSession({ db, clock }, { userId: input.userId, ip: null, userAgent: null });
        return closeAccount(d, input);
      };
      const deps: RetentionDeps = { db, clock, baseUrl: BASE, sets: [], closeAccount: closing };
      clock.set(addPeriod(addPeriod(START, 36, 'months'), -13, 'days'));
      assert.equal((await runRetention(deps)).notices, 1);
      clock.advance(days(14));
      const report = await runRetention(deps);
      assert.equal(report.closed, 0);
      const [account] = await db.select({ status: users.status, email: users.email }).from(users).where(eq(users.id, idle.id));
      assert.deepEqual(account, { status: 'active', email: idle.email });
    });
  });

  it('ACC-14 the daily run happens at most once per Paris day, and a run stopped halfway is taken up by the next tick', async () => {
    await withDatabase(async ({ db }, clock) => {
      const log: { user: string; kind: string; rows: number }[] = [];
      const sets = [fixtureSet('logs', false, log)];
      for (let i = 0; i < 3; i++) await item(db, (await buildLearner(db, clock)).id, 'logs', START);
      clock.set(new Date('2026-03-02T22:30:00Z')); // 23:30 in Paris
      assert.equal(await runDailyRetention({ db, clock, baseUrl: BASE, sets, batchSize: 1, maxBatches: 1 }), 'unfinished');
      assert.equal(log.length, 1);
      assert.equal(await runDailyRetention({ db, clock, baseUrl: BASE, sets, batchSize: 1 }), 'done');
      assert.equal(log.length, 3);
      assert.equal(await runDailyRetention({ db, clock, baseUrl: BASE, sets }), 'skipped', 'done for the day');
      clock.set(new Date('2026-03-02T23:10:00Z')); // 00:10 on the 3rd in Paris
      assert.equal(await runDailyRetention({ db, clock, baseUrl: BASE, sets }), 'done');
      const runs = await db.select().from(retentionRuns).orderBy(retentionRuns.day);
      assert.deepEqual(runs.map((r) => [r.day, Boolean(r.finishedAt)]), [['2026-03-02', true], ['2026-03-03', true]]);
      assert.equal(runs[0].report?.rows, 2, 'the run that finished the day did the two learners left');
    });
  });

  it('ACC-14 the notice period is a policy setting', async () => {
    await withDatabase(async ({ db }, clock) => {
      const log: { user: string; kind: string; rows: number }[] = [];
      await setPolicy(db, 'retentionNoticeDays', 30);
      const a = await buildLearner(db, clock);
      await item(db, a.id, 'proofs', new Date(START.getTime() + days(25)));
      assert.equal((await runRetention({ db, clock, baseUrl: BASE, sets: [fixtureSet('proofs', true, log)] })).notices, 1);
    });
  });
});
