import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { eq, sql } from 'drizzle-orm';
import { buildLearner, emailsTo } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { chainLevels } from '../../../test/levels';
import type { Database, Db } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { defaultPolicies } from '../../platform/policies';
import { courseStandings } from '../applications';
import { catalogueIds } from '../catalogue';
import { nextLevelPage } from '../certification';
import { previousLevels, repeatsUsedUp } from '../selection';
import { importLegacyFiles, type LegacyFile } from './legacy.import';
import { legacyDataSet } from './legacy.personal';
import { sha256LegacyHash } from './legacy.rules';
import { legacyHistoryOf, legacyPassedCourses, linkOf, linkWithCode, linkWithPassword, requestLinkCode } from './legacy.service';
import { legacyAccounts, legacyEnrolments, legacyImports, legacyLinks } from './legacy.table';

const file = (name: string, text: string, encoding: BufferEncoding = 'utf8'): LegacyFile => ({ name, content: Buffer.from(text, encoding) });
const bcryptOf = (password: string, prefix = '$2y$') => bcrypt.hashSync(password, 4).replace('$2b$', prefix);
const counts = async (db: Db) =>
  (await db.execute<{ a: number; e: number; i: number }>(sql`select (select count(*) from legacy_accounts)::int as a, (select count(*) from legacy_enrolments)::int as e, (select count(*) from legacy_imports)::int as i`)).rows[0];
/** The code in the latest email to an old address. */
const codeIn = async (db: Db, address: string) => /(\d{4}) (\d{4})/.exec((await emailsTo(db, address))[0]?.text ?? '')?.slice(1).join('') ?? null;

const ACCOUNTS = `email,password_hash,civility,last_name,first_name,birth_date,postal_code,city
ana@old.example,${bcryptOf('Ana-2015')},MME,Lopez,Ana,1985-03-02,75011,Paris
ben@old.example,${sha256LegacyHash('Ben-2014', '00ff10aa')},M,Morel,Ben,10/10/1970,75020,Paris
cleo@old.example,${bcryptOf('Cleo-2016', '$2a$')},MME,Roy,Cléo,,,
dan@old.example,${bcryptOf('Dan-2013', '$2b$')},M,Petit,Dan,,,
`;
const ENROLMENTS = `email,course_code,school,period,started_on,ended_on,attendance_percent,attendance_certificate,outcome,certificate_on,certificate_number
ana@old.example,LG1,École Keller,2015-2016,2015-09-21,2016-06-13,92,oui,réussi,2016-07-04,CMA-2016-1
ben@old.example,LG1,École Keller,2014-2015,2014-09-22,2015-06-12,60,non,échoué,,
ben@old.example,LG1,École Keller,2015-2016,2015-09-21,2016-06-13,70,non,absent,,
cleo@old.example,LG1,École Keller,2015-2016,2015-09-21,2016-06-13,80,oui,,,
`;

describe('legacy import (ACC-9): all or nothing, with a line report', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  const deps = () => ({ db: database.db, clock });
  let latinFile: LegacyFile;
  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [{ code: 'LG1-S', course: 'LG1', weekday: 1, startsAt: '18:00', endsAt: '20:00' }]);
  });
  after(() => database.close());

  it('ACC-9 a bad hash format, a duplicate address, an unknown course and a bad date refuse both files whole; the report names each line', async () => {
    const accounts = `email,password_hash,last_name,first_name
good@old.example,${bcryptOf('x')},Good,One
md5@old.example,5f4dcc3b5aa765d61d8327deb882cf99,Bad,Hash
Good@Old.example,${bcryptOf('y')},Good,Twice
`;
    const enrolments = `email,course_code,school,period,started_on,ended_on,attendance_certificate
good@old.example,NOPE,École,2015-2016,2015-09-21,2016-06-13,oui
good@old.example,LG1,École,2015-2016,31/02/2016,2016-06-13,oui
nobody@old.example,LG1,École,2015-2016,2015-09-21,2016-06-13,oui
good@old.example,LG1,École,2015-2016,2015-09-21,2016-06-13,oui
`;
    const report = await importLegacyFiles(deps(), [file('accounts.csv', accounts), file('enrolments.csv', enrolments)]);
    assert.equal(report.ok, false);
    const lines = !report.ok ? report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`) : [];
    assert.deepEqual(lines, [
      'accounts.csv:3: password_hash: not a password hash of a known scheme (bcrypt $2a$/$2b$/$2y$, or sha256$<salt hex>$<hash hex>)',
      'accounts.csv:4: email: this address is already at accounts.csv:2',
      'enrolments.csv:2: course_code: no course with the code NOPE in the catalogue',
      'enrolments.csv:3: started_on: not a date: "31/02/2016" (2016-09-19 or 19/09/2016)',
      'enrolments.csv:4: email: no account with this address in the accounts file',
    ]);
    assert.deepEqual(await counts(database.db), { a: 0, e: 0, i: 0 }, 'nothing written, not even the good lines');
  });

  it('ACC-9 a bcrypt cost above 12 refuses its line, the report saying why (each link try would cost seconds of CPU)', async () => {
    const accounts = `email,password_hash,last_name,first_name\nslow@old.example,${bcryptOf('x').replace('$04$', '$13$')},Slow,Hash\nok@old.example,${bcryptOf('y')},Quick,Hash\n`;
    const report = await importLegacyFiles(deps(), [file('costly.csv', accounts)]);
    assert.ok(!report.ok);
    assert.deepEqual(
      report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
      ['costly.csv:2: password_hash: bcrypt cost 13 is above the highest accepted, 12: checking the password at each link try would take seconds of CPU or more'],
    );
    assert.deepEqual(await counts(database.db), { a: 0, e: 0, i: 0 });
  });

  it('ACC-9 a header without the required columns, or with an unknown one, refuses the file at line 1; a quoted line break keeps the line numbers true', async () => {
    const report = await importLegacyFiles(deps(), [
      file('a.csv', 'email,password_hash,last_name\nx@old.example,h,X\n'),
      file('b.csv', `email,password_hash,last_name,first_name,nickname\n`),
      file('c.csv', `email,password_hash,last_name,first_name,address\nq@old.example,${bcryptOf('q')},Q,Q,"1 rue\nbâtiment B"\nr@old.example,bad,R,R,\n`),
    ]);
    assert.ok(!report.ok);
    assert.deepEqual(
      report.problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
      ['a.csv:1: missing columns: first_name', 'b.csv:1: unknown columns: nickname', `c.csv:4: password_hash: ${report.problems.at(-1)!.message.replace('password_hash: ', '')}`],
    );
  });

  it('ACC-9 good files are written in one transaction: Windows-1252 with semicolons is read, the accounts and their enrolments matched to the catalogue by code', async () => {
    const latin = `email;password_hash;last_name;first_name;city\nhelene@old.example;${bcryptOf('Hélène-1')};Hélène;Béatrice;Créteil\n`;
    const report = await importLegacyFiles(deps(), [file('latin.csv', latin, 'latin1'), file('accounts.csv', ACCOUNTS), file('enrolments.csv', ENROLMENTS)]);
    assert.ok(report.ok, JSON.stringify(report));
    latinFile = file('latin.csv', latin, 'latin1');
    assert.deepEqual([report.accounts, report.enrolments], [5, 4]);
    const [helene] = await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'helene@old.example'));
    assert.deepEqual([helene.lastName, helene.firstName, helene.city, helene.passwordScheme], ['Hélène', 'Béatrice', 'Créteil', 'bcrypt']);
    const [ben] = await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'ben@old.example'));
    assert.deepEqual([ben.passwordScheme, ben.birthDate], ['sha256', '1970-10-10']);
    const { courses } = await catalogueIds(database.db, { courses: ['LG1'] });
    const rows = await database.db.select().from(legacyEnrolments).where(eq(legacyEnrolments.legacyAccountId, ben.id));
    assert.deepEqual(rows.map((r) => [r.courseId, r.outcome, r.attendancePercent, r.attendanceCertified]).sort(), [
      [courses.get('LG1'), 'absent', 70, false],
      [courses.get('LG1'), 'failed', 60, false],
    ]);
  });

  it('ACC-9 running the same files again is refused (not repeated): the report says when they were imported, each address already imported, nothing twice', async () => {
    const before = await counts(database.db);
    const report = await importLegacyFiles(deps(), [file('enrolments.csv', ENROLMENTS), latinFile, file('accounts.csv', ACCOUNTS)]);
    assert.ok(!report.ok);
    assert.match(report.problems[0].message, /these files were imported already \(import \d+, 2026-09-01 08:00 UTC\)/);
    assert.equal(report.problems.filter((p) => p.message === 'email: an old account with this address was imported already').length, 5);
    // The same accounts in another file are refused too, line by line.
    const again = await importLegacyFiles(deps(), [file('other.csv', ACCOUNTS.replace('Ana', 'Anna'))]);
    assert.ok(!again.ok);
    assert.equal(again.problems.length, 4);
    assert.deepEqual(await counts(database.db), before);
  });
});

describe('linking a former account (ACC-9)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  const deps = () => ({ db: database.db, clock, baseUrl: 'http://localhost:3000' });
  let lg1: number;
  let lg2: number;
  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [
      { code: 'LG1-S', course: 'LG1', weekday: 1, startsAt: '18:00', endsAt: '20:00', period: 'closed' },
      { code: 'LG2-S', course: 'LG2', weekday: 2, startsAt: '18:00', endsAt: '20:00' },
    ]);
    await chainLevels(database.db, 'LG1', 'LG2');
    const ids = (await catalogueIds(database.db, { courses: ['LG1', 'LG2'] })).courses;
    [lg1, lg2] = [ids.get('LG1')!, ids.get('LG2')!];
    const report = await importLegacyFiles({ db: database.db, clock }, [file('accounts.csv', ACCOUNTS), file('enrolments.csv', ENROLMENTS)]);
    assert.ok(report.ok);
  });
  after(() => database.close());

  it('ACC-9 with the old password (bcrypt $2y$): a wrong one or an unknown address get the same refusal; the right one links, erases the old hash and tells the old address', async () => {
    const learner = await buildLearner(database.db, clock);
    assert.deepEqual(await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'ana@old.example', password: 'ana-2015' }), { ok: false, code: 'wrong' });
    assert.deepEqual(await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'nobody@old.example', password: 'Ana-2015' }), { ok: false, code: 'wrong' });
    assert.deepEqual(await linkWithPassword(deps(), { userId: learner.id, oldEmail: ' ANA@old.example ', password: 'Ana-2015' }), { ok: true, oldEmail: 'ana@old.example' });
    const [ana] = await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'ana@old.example'));
    assert.deepEqual([ana.passwordScheme, ana.passwordHash], [null, null], 'the old password is never used again');
    const link = await linkOf(database.db, learner.id);
    assert.equal(link?.oldEmail, 'ana@old.example');
    assert.equal(link?.record.lastName, 'Lopez');
    assert.match((await emailsTo(database.db, 'ana@old.example'))[0].subject, /ancien compte est rattaché/);
  });

  it('ACC-9 linking twice from the same account says it is done; another account cannot link it again (nothing left to verify, the same refusal), and asking for a code tells only the old mailbox', async () => {
    const learner = await buildLearner(database.db, clock);
    assert.ok((await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'cleo@old.example', password: 'Cleo-2016' })).ok);
    assert.deepEqual(await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'cleo@old.example', password: 'Cleo-2016' }), { ok: false, code: 'done' });
    assert.deepEqual(await requestLinkCode(deps(), { userId: learner.id, oldEmail: 'cleo@old.example' }), { ok: false, code: 'done' });
    const other = await buildLearner(database.db, clock);
    assert.deepEqual(await linkWithPassword(deps(), { userId: other.id, oldEmail: 'cleo@old.example', password: 'Cleo-2016' }), { ok: false, code: 'wrong' });
    const sent = (await emailsTo(database.db, 'cleo@old.example')).length;
    assert.deepEqual(await requestLinkCode(deps(), { userId: other.id, oldEmail: 'cleo@old.example' }), { ok: true }, 'the page says the same as for any address');
    const mails = await emailsTo(database.db, 'cleo@old.example');
    assert.equal(mails.length, sent + 1);
    assert.match(mails[0].subject, /déjà rattaché/);
    assert.equal(await codeIn(database.db, 'cleo@old.example'), null, 'no code for an old account linked already');
    assert.equal((await database.db.select().from(legacyLinks).where(eq(legacyLinks.userId, other.id))).length, 0);
  });

  it('ACC-9 two accounts linking one old account at the same moment: one link only (the unique constraint decides), the other refused', async () => {
    const report = await importLegacyFiles({ db: database.db, clock }, [file('race.csv', `email,password_hash,last_name,first_name\nrace@old.example,${bcryptOf('Race-1')},Race,Ray\n`)]);
    assert.ok(report.ok);
    const [a, b] = [await buildLearner(database.db, clock), await buildLearner(database.db, clock)];
    const results = await Promise.all([a, b].map((u) => linkWithPassword(deps(), { userId: u.id, oldEmail: 'race@old.example', password: 'Race-1' })));
    assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
    const loser = results.find((r) => !r.ok)!;
    assert.ok(!loser.ok && ['taken', 'wrong'].includes(loser.code), JSON.stringify(loser));
    const [race] = await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'race@old.example'));
    assert.equal((await database.db.select().from(legacyLinks).where(eq(legacyLinks.legacyAccountId, race.id))).length, 1);
  });

  it('ACC-9 with a single-use code sent to the old address (salted SHA-256 account): a wrong code counts a try, the right one links once', async () => {
    const learner = await buildLearner(database.db, clock);
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: '12345678' }), { ok: false, code: 'no_code' }, 'no code asked yet');
    assert.deepEqual(await requestLinkCode(deps(), { userId: learner.id, oldEmail: 'nobody@old.example' }), { ok: true });
    assert.equal((await emailsTo(database.db, 'nobody@old.example')).length, 0, 'an unknown address gets nothing, the page says the same');
    assert.deepEqual(await requestLinkCode(deps(), { userId: learner.id, oldEmail: 'Ben@Old.example' }), { ok: true });
    const code = await codeIn(database.db, 'ben@old.example');
    assert.ok(code);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: wrong }), { ok: false, code: 'wrong_code', attemptsLeft: 4 });
    const other = await buildLearner(database.db, clock);
    assert.deepEqual(await linkWithCode(deps(), { userId: other.id, code }), { ok: false, code: 'no_code' }, 'a code works only for the account that asked');
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: `${code.slice(0, 4)} ${code.slice(4)}` }), { ok: true, oldEmail: 'ben@old.example' });
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code }), { ok: false, code: 'done' });
    const [ben] = await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'ben@old.example'));
    assert.equal(ben.passwordHash, null);
  });

  it('ACC-9 a code expires after 30 minutes, and dies after 5 wrong tries', async () => {
    const report = await importLegacyFiles({ db: database.db, clock }, [file('codes.csv', `email,password_hash,last_name,first_name\neve@old.example,${bcryptOf('Eve-1')},Eve,Eve\n`)]);
    assert.ok(report.ok);
    const learner = await buildLearner(database.db, clock);
    await requestLinkCode(deps(), { userId: learner.id, oldEmail: 'eve@old.example' });
    const first = (await codeIn(database.db, 'eve@old.example'))!;
    clock.advance(31 * 60_000);
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: first }), { ok: false, code: 'no_code' });
    await requestLinkCode(deps(), { userId: learner.id, oldEmail: 'eve@old.example' });
    const second = (await codeIn(database.db, 'eve@old.example'))!;
    const wrong = second === '00000000' ? '11111111' : '00000000';
    for (let left = 4; left >= 1; left--) assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: wrong }), { ok: false, code: 'wrong_code', attemptsLeft: left });
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: wrong }), { ok: false, code: 'no_code' });
    assert.deepEqual(await linkWithCode(deps(), { userId: learner.id, code: second }), { ok: false, code: 'no_code' }, 'the right code is dead too');
  });

  it('ACC-9 wrong old passwords are throttled per account (decision 009): past 5, a wait; it ends', async () => {
    const learner = await buildLearner(database.db, clock);
    for (let i = 0; i < 5; i++) assert.deepEqual(await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'dan@old.example', password: `guess-${i}` }), { ok: false, code: 'wrong' });
    const waiting = await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'dan@old.example', password: 'Dan-2013' });
    assert.deepEqual(waiting, { ok: false, code: 'wait', waitMs: 1000 });
    clock.advance(1000);
    assert.deepEqual(await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'dan@old.example', password: 'Dan-2013' }), { ok: true, oldEmail: 'dan@old.example' });
  });

  it('ACC-9 SEL-1 SEL-2 CERT-6 the linked history shows in the history and counts for the previous level, the next level and its priority', async () => {
    const ana = (await database.db.select({ userId: legacyLinks.userId }).from(legacyLinks).innerJoin(legacyAccounts, eq(legacyAccounts.id, legacyLinks.legacyAccountId)).where(eq(legacyAccounts.email, 'ana@old.example')))[0].userId;
    const history = await legacyHistoryOf(database.db, ana);
    assert.deepEqual(
      history.map((h) => [h.courseTitle, h.period, h.attendancePercent, h.outcome, h.certificateNumber]),
      [['Cours LG1', '2015-2016', 92, 'passed', 'CMA-2016-1']],
    );
    assert.deepEqual([...(await legacyPassedCourses(database.db, ana))], [lg1]);
    const levels = await previousLevels.ask(database.db, { courseId: lg1, learnerIds: [ana] });
    assert.deepEqual(levels.get(ana), { passed: true, certificate: true, attendancePercent: 92 });
    const standing = await courseStandings.ask(database.db, ana, [{ courseId: lg2, previousCourseId: lg1 }]);
    assert.deepEqual(standing.get(lg2), { repeatsUsedUp: false, priority: true });
    const page = await nextLevelPage(database.db, clock, ana);
    assert.deepEqual(page.passed, [{ courseId: lg1, title: 'Cours LG1', applicationId: null }]);
    assert.deepEqual(page.sessions.map((s) => s.session.code), ['LG2-S']);
    // Someone never linked has none of it.
    const stranger = await buildLearner(database.db, clock);
    assert.deepEqual(await legacyHistoryOf(database.db, stranger.id), []);
    assert.equal((await previousLevels.ask(database.db, { courseId: lg1, learnerIds: [stranger.id] })).get(stranger.id)?.passed, false);
  });

  it('ACC-9 CERT-3 failures in the old system count as attempts: two failed, no third', async () => {
    const ben = (await database.db.select({ userId: legacyLinks.userId }).from(legacyLinks).innerJoin(legacyAccounts, eq(legacyAccounts.id, legacyLinks.legacyAccountId)).where(eq(legacyAccounts.email, 'ben@old.example')))[0].userId;
    const standing = await courseStandings.ask(database.db, ben, [{ courseId: lg1, previousCourseId: null }]);
    assert.equal(standing.get(lg1)?.repeatsUsedUp, true);
    const used = await repeatsUsedUp.ask(database.db, { courseId: lg1, applications: [{ id: '00000000-0000-4000-8000-000000000001', learnerId: ben }] });
    assert.equal(used.size, 1);
  });

  it('ACC-9 ACC-11 ACC-14 its data set: the linked account exported without its hash, forgotten at closure; an old account never linked deleted after inactiveAccountMonths', async () => {
    const learner = await buildLearner(database.db, clock);
    const report = await importLegacyFiles({ db: database.db, clock }, [
      file('gdpr.csv', `email,password_hash,last_name,first_name\nfay@old.example,${bcryptOf('Fay-1')},Fay,Fay\nold@old.example,${bcryptOf('Old-1')},Old,Old\n`),
      file('gdpr-enrolments.csv', `email,course_code,school,period,started_on,ended_on,attendance_certificate\nfay@old.example,LG1,École,2012-2013,2012-09-17,2013-06-10,oui\n`),
    ]);
    assert.ok(report.ok);
    assert.ok((await linkWithPassword(deps(), { userId: learner.id, oldEmail: 'fay@old.example', password: 'Fay-1' })).ok);
    const sections = await legacyDataSet.exportOf(database.db, learner.id);
    const of = (key: string) => sections.find((s) => s.key === key)!.rows;
    assert.equal(of('legacyAccount')[0].email, 'fay@old.example');
    assert.ok(!('passwordHash' in of('legacyAccount')[0]));
    assert.equal(of('legacyEnrolments').length, 1);
    assert.equal(of('legacyLink').length, 1);
    await database.db.transaction((tx) => legacyDataSet.forget(tx, learner.id, clock));
    await database.db.transaction((tx) => legacyDataSet.forget(tx, learner.id, clock)); // twice: nothing more
    assert.equal((await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'fay@old.example'))).length, 0);
    assert.deepEqual(await legacyHistoryOf(database.db, learner.id), []);

    const at = new Date(clock.now());
    assert.equal(await legacyDataSet.retention!.sweep!(database.db, { at, policies: defaultPolicies, limit: 100 }) >= 0, true);
    assert.equal((await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'old@old.example'))).length, 1, 'not yet');
    const later = new Date(at);
    later.setUTCMonth(later.getUTCMonth() + defaultPolicies.inactiveAccountMonths + 1);
    await legacyDataSet.retention!.sweep!(database.db, { at: later, policies: defaultPolicies, limit: 1000 });
    assert.equal((await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'old@old.example'))).length, 0, 'never linked: deleted');
    assert.equal((await database.db.select().from(legacyAccounts).where(eq(legacyAccounts.email, 'ana@old.example'))).length, 1, 'a linked one stays with its account');
    assert.ok((await database.db.select().from(legacyImports)).length >= 1, 'the imports’ record (no personal data) stays');
  });
});
