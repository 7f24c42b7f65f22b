import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { buildLearner, buildStaff, emailsTo, validRecord } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { auditLog, smsOutbox } from '../../platform/platform.table';
import { takeOverAccount } from '../accounts/assisted.service';
import { listApplications } from '../applications';
import { assignScope } from '../scopes';
import {
  addHelpDesk,
  assistedLearnerFile,
  deskHome,
  fillAndConfirm,
  preselectForLearner,
  registerAssistedLearner,
  resendTakeoverCode,
  resendTakeoverEmail,
  type DeskDeps,
  type Staff,
} from './desk.service';
import { assistedLearners } from './desk.table';
import { assignCounsellor } from './help-desks.service';

describe('SVC-5 help desk service', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: DeskDeps;
  let counsellor: Staff;
  let otherCounsellor: Staff;
  let coordinator: Staff;
  let mobiles = 20;
  const answers = { situation: 'job_seeker' as const, allowance: null, objective: 'personal' as const, motivations: 'Parler français au travail.' };

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'FLE-A1', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'FLE-A2', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
    ]);
    const desk = await addHelpDesk(database.db, clock, { code: 'ACC-11', name: 'Accueil Paris 11', address: '12 place Léon-Blum', hours: 'lundi au vendredi, 9 h – 12 h 30' });
    const elsewhere = await addHelpDesk(database.db, clock, { code: 'ACC-18', name: 'Accueil Paris 18', address: '1 place Jules-Joffrin', hours: 'mardi, 14 h – 17 h' });
    const c = await buildStaff(database.db, clock, 'counsellor');
    const o = await buildStaff(database.db, clock, 'counsellor');
    const k = await buildStaff(database.db, clock, 'coordinator');
    counsellor = { id: c.userId, role: 'counsellor' };
    otherCounsellor = { id: o.userId, role: 'counsellor' };
    coordinator = { id: k.userId, role: 'coordinator' };
    await assignCounsellor(database.db, { deskId: desk.id, userId: counsellor.id });
    await assignCounsellor(database.db, { deskId: elsewhere.id, userId: otherCounsellor.id });
    await assignScope(database.db, { userId: counsellor.id, sessions: ['FLE-A1'] });
    await assignScope(database.db, { userId: otherCounsellor.id, sessions: ['FLE-A1', 'FLE-A2'] });
  });
  after(() => database.close());

  const register = (staff: Staff, overrides: { email?: string | null; mobile?: string | null; consent?: boolean } = {}) => {
    const mobile = overrides.mobile === undefined ? `+336123457${String(mobiles++).padStart(2, '0')}` : overrides.mobile;
    return registerAssistedLearner(deps, staff, {
      email: overrides.email ?? null,
      accountLocale: 'fr',
      record: { ...validRecord(), mobilePhone: mobile },
      consent: overrides.consent ?? true,
    });
  };

  it('SVC-5 a counsellor registers a learner present with a mobile only: account, record, desk row, audit with the consent, code by SMS', async () => {
    const result = await register(counsellor, { mobile: '+33612345790' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.sent, { email: false, sms: '+33612345790' });
    const [row] = await database.db.select().from(assistedLearners).where(eq(assistedLearners.userId, result.learnerId));
    assert.equal(row.counsellorId, counsellor.id);
    assert.equal(row.takenOverAt, null);
    const actions = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, result.learnerId));
    const registered = actions.find((a) => a.action === 'desk.learner_registered');
    assert.ok(registered);
    assert.equal(registered.actorId, counsellor.id);
    assert.deepEqual(registered.data, { desk: 'ACC-11', consent: 'in_person' });
    const [sms] = await database.db.select().from(smsOutbox).where(eq(smsOutbox.to, '+33612345790'));
    assert.equal(sms.purpose, 'sms.takeover.code');
    assert.match(sms.body, /\d{4} \d{4}/);
    assert.match(sms.body, /\/compte\/reprendre/);
  });

  it('SVC-5 with an email too: the activation link goes to it as well', async () => {
    const result = await register(counsellor, { email: 'moussa.k@example.org' });
    assert.ok(result.ok);
    assert.equal(result.sent.email, true);
    const [mail] = await emailsTo(database.db, 'moussa.k@example.org');
    assert.match(mail.text, /\/activation\//);
  });

  it('SVC-5 the consent is required for every change', async () => {
    const refused = await register(counsellor, { consent: false });
    assert.ok(!refused.ok && refused.code === 'SVC-5');
    const learner = await register(counsellor);
    assert.ok(learner.ok);
    const code = await resendTakeoverCode(deps, counsellor, { learnerId: learner.learnerId, consent: false });
    assert.ok(!code.ok && code.code === 'SVC-5');
    const chosen = await preselectForLearner(deps, counsellor, { learnerId: learner.learnerId, sessionCode: 'FLE-A1', consent: false });
    assert.ok(!chosen.ok && chosen.code === 'SVC-5');
  });

  it('SVC-5 a counsellor acts only for the learners of their desk (403); an unknown learner is 404; other staff are refused', async () => {
    const mine = await register(counsellor);
    assert.ok(mine.ok);
    const alone = await buildLearner(database.db, clock);
    for (const learnerId of [mine.learnerId]) {
      const file = await assistedLearnerFile(deps, otherCounsellor, learnerId);
      assert.ok(!file.ok && file.code === 'SVC-5', 'another desk’s counsellor');
      const code = await resendTakeoverCode(deps, otherCounsellor, { learnerId, consent: true });
      assert.ok(!code.ok && code.code === 'SVC-5');
      const chosen = await preselectForLearner(deps, otherCounsellor, { learnerId, sessionCode: 'FLE-A1', consent: true });
      assert.ok(!chosen.ok && chosen.code === 'SVC-5');
      assert.ok(!(await assistedLearnerFile(deps, coordinator, learnerId)).ok, 'a coordinator does not use the desk');
    }
    const notAssisted = await assistedLearnerFile(deps, counsellor, alone.id);
    assert.ok(!notAssisted.ok && notAssisted.code === 'SVC-5', 'a learner who signed up alone');
    const unknown = await assistedLearnerFile(deps, counsellor, '00000000-0000-4000-8000-000000000000');
    assert.ok(!unknown.ok && unknown.code === 'not_found');
    const odd = await assistedLearnerFile(deps, counsellor, 'not-a-uuid');
    assert.ok(!odd.ok && odd.code === 'not_found');
    assert.ok(!(await registerAssistedLearner(deps, coordinator, { email: null, accountLocale: 'fr', record: validRecord(), consent: true })).ok);
  });

  it('SVC-5 the desk home lists the desk’s learners only, and finds them by name', async () => {
    const theirs = await register(otherCounsellor);
    assert.ok(theirs.ok);
    const home = await deskHome(database.db, counsellor);
    assert.ok(home.ok);
    assert.equal(home.home.desks[0].code, 'ACC-11');
    assert.ok(home.home.learners.length > 0);
    assert.ok(!home.home.learners.some((l) => l.userId === theirs.learnerId), 'not another desk’s');
    const file = await assistedLearnerFile(deps, counsellor, home.home.learners[0].userId);
    assert.ok(file.ok);
    const found = await deskHome(database.db, counsellor, { q: file.file.profile.lastName });
    assert.ok(found.ok);
    assert.deepEqual(found.home.learners.map((l) => l.userId), [file.file.learnerId]);
    const none = await deskHome(database.db, counsellor, { q: 'Zzzzzz' });
    assert.ok(none.ok && none.home.learners.length === 0);
  });

  it('SVC-5 sessions: only those of the counsellor’s scope are offered and accepted (403), an unknown one is 404', async () => {
    const learner = await register(counsellor);
    assert.ok(learner.ok);
    const file = await assistedLearnerFile(deps, counsellor, learner.learnerId);
    assert.ok(file.ok);
    assert.deepEqual(file.file.sessions.map((s) => s.code), ['FLE-A1']);
    const outside = await preselectForLearner(deps, counsellor, { learnerId: learner.learnerId, sessionCode: 'FLE-A2', consent: true });
    assert.ok(!outside.ok && outside.code === 'SVC-5');
    const unknown = await preselectForLearner(deps, counsellor, { learnerId: learner.learnerId, sessionCode: 'NOPE-1', consent: true });
    assert.ok(!unknown.ok && unknown.code === 'not_found');
  });

  it('SVC-5 APP-1 APP-4 the counsellor preselects, fills and sends the application; the events name the counsellor', async () => {
    const learner = await register(counsellor);
    assert.ok(learner.ok);
    const chosen = await preselectForLearner(deps, counsellor, { learnerId: learner.learnerId, sessionCode: 'FLE-A1', consent: true });
    assert.ok(chosen.ok, JSON.stringify(chosen));
    const sent = await fillAndConfirm(deps, counsellor, { learnerId: learner.learnerId, applicationId: chosen.applicationId, answers, consent: true });
    assert.ok(sent.ok, JSON.stringify(sent));
    const [application] = await listApplications(database.db, clock, learner.learnerId);
    assert.equal(application.status, 'confirmed');
    assert.equal(application.motivations, answers.motivations);
    assert.deepEqual(application.events.map((e) => [e.toStatus, e.actorId]), [
      ['preselected', counsellor.id],
      // SVC-5: the answers a counsellor fills in are an event of their own (the status stays).
      ['preselected', counsellor.id],
      ['confirmed', counsellor.id],
    ]);
    const theirs = await fillAndConfirm(deps, otherCounsellor, { learnerId: learner.learnerId, applicationId: chosen.applicationId, answers, consent: true });
    assert.ok(!theirs.ok && theirs.code === 'SVC-5');
    const twice = await preselectForLearner(deps, counsellor, { learnerId: learner.learnerId, sessionCode: 'FLE-A1', consent: true });
    assert.ok(!twice.ok && twice.code !== 'SVC-5' && twice.code !== 'not_found', 'the applications’ own refusal (already applied)');
  });

  it('SVC-5 the takeover marks the desk’s row; a new code or link is refused when there is nothing to send', async () => {
    const mobile = '+33612345799';
    const learner = await register(counsellor, { mobile });
    assert.ok(learner.ok);
    const again = await resendTakeoverCode(deps, counsellor, { learnerId: learner.learnerId, consent: true });
    assert.deepEqual(again, { ok: true, to: mobile });
    const [sms] = await database.db.select().from(smsOutbox).where(eq(smsOutbox.to, mobile)).orderBy(desc(smsOutbox.id)).limit(1);
    const code = /(\d{4}) (\d{4})/.exec(sms.body)!;
    const taken = await takeOverAccount(deps, { identifier: mobile, code: code[1] + code[2], password: 'Soleil-Belleville-2026' });
    assert.ok(taken.ok);
    const [row] = await database.db.select().from(assistedLearners).where(eq(assistedLearners.userId, learner.learnerId));
    assert.deepEqual(row.takenOverAt, clock.now());
    const file = await assistedLearnerFile(deps, counsellor, learner.learnerId);
    assert.ok(file.ok && !file.file.takeover.awaiting && file.file.takeover.mobileOnly);
    const email = await resendTakeoverEmail(deps, counsellor, { learnerId: learner.learnerId, consent: true });
    assert.ok(!email.ok && email.code === 'no_email');
  });

  it('SVC-5 ACC-5 a person already registered, or a mobile already an identifier, is refused next to the field', async () => {
    const record = { ...validRecord(), mobilePhone: '+33612345798' };
    const first = await registerAssistedLearner(deps, counsellor, { email: null, accountLocale: 'en', record, consent: true });
    assert.ok(first.ok);
    const samePerson = await registerAssistedLearner(deps, counsellor, { email: 'someone@example.org', accountLocale: 'en', record, consent: true });
    assert.ok(!samePerson.ok && samePerson.code === 'duplicate_person' && 'field' in samePerson && samePerson.field === 'lastName');
    const sameMobile = await registerAssistedLearner(deps, counsellor, { email: null, accountLocale: 'en', record: { ...validRecord(), mobilePhone: '+33612345798' }, consent: true });
    assert.ok(!sameMobile.ok && sameMobile.code === 'mobile_taken');
    const noWay = await registerAssistedLearner(deps, counsellor, { email: null, accountLocale: 'en', record: { ...validRecord(), mobilePhone: null, landlinePhone: '+33144556677' }, consent: true });
    assert.ok(!noWay.ok && noWay.code === 'no_identifier');
  });
});
