import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { emailsTo } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import { buildExamWorld, enrolDirectly } from '../../../test/exams';
import { samples } from '../../../test/multipart';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { getPolicies } from '../../platform/policies';
import { getLearnerProfile } from '../accounts';
import { catalogueIds } from '../catalogue';
import { earnedUnitsOf, recordEarnedUnit } from '../certification';
import { courseOutcomes, creditsEarned } from '../certification/certification.table';
import { createExamSession, learnerExams, markField, marksPage, publishResults, recordMarks, registerForExam } from './exams.service';
import { examsDataSet } from './exams.personal';
import { examRegistrations, examRequests } from './exams.table';
import { centreOfRecord, moveLearner } from './moving.service';
import { askRequest, decideRequest, pendingRequestsFor, requestForStaff } from './requests.service';

describe('exams on the database (CRED-3, moving)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let world: Awaited<ReturnType<typeof buildExamWorld>>;
  let first: string;
  let unitId: number;

  const creditsOf = async (learnerId: string) => (await earnedUnitsOf(database.db, [learnerId])).get(learnerId)!;
  const registrationOf = async (learnerId: string, number = 1) =>
    (await database.db.select().from(examRegistrations).where(and(eq(examRegistrations.learnerId, learnerId), eq(examRegistrations.number, number))))[0];

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    world = await buildExamWorld(database.db, clock, 3);
    unitId = (await catalogueIds(database.db, { courses: ['UE1'] })).courses.get('UE1')!;
  });
  after(() => database.close());

  it('CRED-3 a coordinator creates session 1 of a unit at their centre: the learners enrolled are registered; outside their centres, refused', async () => {
    const made = await createExamSession(deps, { staff: world.coordinator, values: { unit: 'ue1', number: 1, heldOn: '2027-01-25', centre: 'MTP' } });
    assert.ok(made.ok, JSON.stringify(made));
    first = made.id;
    const registered = await database.db.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, first));
    assert.deepEqual(registered.map((r) => r.learnerId).sort(), world.learners.map((l) => l.learnerId).sort());
    assert.ok(registered.every((r) => r.centreId === world.centres.MTP.id && r.applicationId !== null));
    // The coordinator of Lyon cannot hold an exam at Montpellier; a trainer creates none; twice is refused; a day outside the year too.
    const lyon = await createExamSession(deps, { staff: world.lyon, values: { unit: 'UE1', number: 1, heldOn: '2027-01-25', centre: 'MTP' } });
    assert.deepEqual(lyon, { ok: false, code: 'invalid', errors: { centre: { message: 'exams.err.centreScope' } } });
    assert.deepEqual(await createExamSession(deps, { staff: world.trainer, values: { unit: 'UE1', number: 1, heldOn: '2027-01-25', centre: 'MTP' } }), { ok: false, code: 'forbidden' });
    const twice = await createExamSession(deps, { staff: world.admin, values: { unit: 'UE1', number: 1, heldOn: '2027-01-26', centre: 'MTP' } });
    assert.ok(!twice.ok && twice.code === 'invalid' && twice.errors.number?.message === 'exams.err.sessionExists');
    const early = await createExamSession(deps, { staff: world.admin, values: { unit: 'UE1', number: 2, heldOn: '2027-01-20', centre: 'MTP' } });
    assert.ok(!early.ok && early.code === 'invalid' && early.errors.held_on?.message === 'exams.err.secondAfterFirst');
    const unknown = await createExamSession(deps, { staff: world.admin, values: { unit: 'NOPE1', number: 1, heldOn: '2027-01-25', centre: 'XX' } });
    assert.ok(!unknown.ok && unknown.code === 'invalid' && unknown.errors.unit && unknown.errors.centre);
    // Lyon holds session 1 too (for the learners who move or travel there).
    assert.ok((await createExamSession(deps, { staff: world.lyon, values: { unit: 'UE1', number: 1, heldOn: '2027-01-27', centre: 'LYO' } })).ok);
  });

  it('CRED-3 scope in the service: a coordinator of another centre neither sees the marks nor records or publishes them', async () => {
    assert.deepEqual(await marksPage(deps, { staff: world.lyon, examSessionId: first }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await recordMarks(deps, { staff: world.lyon, examSessionId: first, values: {} }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await publishResults(deps, { staff: world.lyon, examSessionId: first }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await publishResults(deps, { staff: world.trainer, examSessionId: first }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await marksPage(deps, { staff: world.admin, examSessionId: 'not-a-uuid' }), { ok: false, code: 'not_found' });
    const page = await marksPage(deps, { staff: world.trainer, examSessionId: first });
    assert.ok(page.ok && page.lines.length === 3 && !page.mayPublish);
  });

  it('CRED-3 requests: another centre with a proof, one open request of a kind, accommodations beside it; the wished centre approves, the learner sits there and is emailed', async () => {
    clock.set(new Date('2026-12-10T10:00:00Z'));
    const [a] = world.learners;
    const registration = await registrationOf(a.learnerId);
    const policies = await getPolicies(database.db);
    const ask = (form: Parameters<typeof askRequest>[1]['form']) => askRequest(deps, { learnerId: a.learnerId, registrationId: registration.id, form }, policies);
    const centre = { kind: 'another_centre' as const, reason: 'professional_travel' as const, wishedCentre: 'LYO', details: null, file: { name: 'mission.pdf', data: samples.pdf } };
    // Without a proof, or with a text file renamed: refused next to the file.
    const noProof = await ask({ ...centre, file: null });
    assert.ok(!noProof.ok && noProof.code === 'invalid' && noProof.errors.file?.message === 'exams.err.proofRequired');
    const text = await ask({ ...centre, file: { name: 'faux.pdf', data: samples.text } });
    assert.ok(!text.ok && text.code === 'invalid' && text.errors.file);
    const same = await ask({ ...centre, wishedCentre: 'MTP' });
    assert.ok(!same.ok && same.code === 'invalid' && same.errors.centre?.message === 'exams.err.sameCentre');
    const made = await ask(centre);
    assert.ok(made.ok, JSON.stringify(made));
    const double = await ask({ ...centre, reason: 'move' });
    assert.ok(!double.ok && double.code === 'invalid' && double.errors.kind?.message === 'exams.err.requestOpen');
    const accommodations = await ask({ kind: 'accommodations', reason: null, wishedCentre: null, details: 'Un tiers-temps (reconnaissance de handicap).', file: null });
    assert.ok(accommodations.ok);
    // Another learner's registration is not found.
    assert.deepEqual(await askRequest(deps, { learnerId: world.learners[1].learnerId, registrationId: registration.id, form: centre }, policies), { ok: false, code: 'not_found' });

    // Lyon (the wished centre) sees the centre request, not the accommodations (Montpellier's exam service).
    const lyonSees = await pendingRequestsFor(database.db, world.lyon);
    assert.deepEqual(lyonSees.map((v) => v.request.kind), ['another_centre']);
    assert.equal(lyonSees[0].centreOfRecord, null);
    assert.deepEqual(await requestForStaff(database.db, world.lyon, accommodations.ok ? accommodations.id : ''), { ok: false, code: 'forbidden' });
    assert.deepEqual(await decideRequest({ ...deps }, { staff: world.lyon, requestId: accommodations.ok ? accommodations.id : '', approve: true, reason: '' }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await decideRequest(deps, { staff: world.trainer, requestId: made.id, approve: true, reason: '' }), { ok: false, code: 'forbidden' });
    // A refusal needs a reason.
    const bare = await decideRequest(deps, { staff: world.coordinator, requestId: accommodations.ok ? accommodations.id : '', approve: false, reason: '  ' });
    assert.ok(!bare.ok && bare.code === 'invalid' && bare.errors.reason?.message === 'exams.err.refusalReason');
    assert.deepEqual(await decideRequest(deps, { staff: world.coordinator, requestId: accommodations.ok ? accommodations.id : '', approve: false, reason: 'Le certificat médical manque.' }), { ok: true });
    assert.deepEqual(await decideRequest(deps, { staff: world.lyon, requestId: made.id, approve: true, reason: '' }), { ok: true });
    const again = await decideRequest(deps, { staff: world.lyon, requestId: made.id, approve: false, reason: 'Non.' });
    assert.ok(!again.ok && again.code === 'refused' && again.message === 'exams.err.decided');
    // Approved: the learner sits the session Lyon holds; both decisions were emailed.
    const moved = await registrationOf(a.learnerId);
    assert.equal(moved.centreId, world.centres.LYO.id);
    assert.notEqual(moved.examSessionId, first);
    const emails = await emailsTo(database.db, a.email);
    assert.ok(emails.some((e) => /acceptée : vous passerez cet examen à Centre de Lyon/.test(e.text)));
    assert.ok(emails.some((e) => /refusée\.\nMotif : Le certificat médical manque\./.test(e.text)));
    // Back at Montpellier for the rest of this test file (an administrator approves the way back).
    const back = await askRequest(deps, { learnerId: a.learnerId, registrationId: moved.id, form: { ...centre, wishedCentre: 'MTP', reason: 'move' } }, policies);
    assert.ok(back.ok);
    assert.deepEqual(await decideRequest(deps, { staff: world.admin, requestId: back.id, approve: true, reason: 'Retour à Montpellier.' }), { ok: true });
    assert.equal((await registrationOf(a.learnerId)).examSessionId, first);
  });

  it('CRED-3 two identical requests at once: one is recorded, the other refused with its message', async () => {
    const b = world.learners[1];
    const registration = await registrationOf(b.learnerId);
    const policies = await getPolicies(database.db);
    const form = { kind: 'accommodations' as const, reason: null, wishedCentre: null, details: 'Une salle accessible.', file: null };
    const results = await Promise.all([1, 2].map(() => askRequest(deps, { learnerId: b.learnerId, registrationId: registration.id, form }, policies)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    const refusedOne = results.find((r) => !r.ok);
    assert.ok(refusedOne && !refusedOne.ok && refusedOne.code === 'invalid' && refusedOne.errors.kind?.message === 'exams.err.requestOpen');
  });

  it('CRED-3 marks: a wrong one is said next to its learner and nothing is written; a pass records the unit’s credits once; a correction takes back only what the exam recorded', async () => {
    clock.set(new Date('2027-01-26T10:00:00Z'));
    const [a, b, c] = world.learners;
    const [ra, rb, rc] = [await registrationOf(a.learnerId), await registrationOf(b.learnerId), await registrationOf(c.learnerId)];
    // c earned UE1 before (the demo, the old system): the exam records nothing for them and never takes it back.
    await database.db.transaction((tx) => recordEarnedUnit(tx, clock, { learnerId: c.learnerId, courseId: unitId, earnedOn: '2025-06-20' }));
    const values = (x: string, y: string, z: string) => ({ [markField(ra.id)]: x, [markField(rb.id)]: y, [markField(rc.id)]: z });
    const wrong = await recordMarks(deps, { staff: world.trainer, examSessionId: first, values: values('25', 'abc', '12') });
    assert.ok(!wrong.ok && wrong.code === 'invalid');
    assert.deepEqual(wrong.errors, { [markField(ra.id)]: { message: 'exams.err.markRange' }, [markField(rb.id)]: { message: 'exams.err.mark' } });
    assert.equal((await registrationOf(c.learnerId)).markTenths, null, 'nothing written');

    assert.deepEqual(await recordMarks(deps, { staff: world.trainer, examSessionId: first, values: values('14,5', '8', '12') }), { ok: true, changed: 3 });
    assert.deepEqual((await creditsOf(a.learnerId)).map((e) => [e.credits, e.earnedOn, e.applicationId]), [[6, '2027-01-25', null]]);
    assert.deepEqual(await creditsOf(b.learnerId), []);
    assert.equal((await creditsOf(c.learnerId))[0].earnedOn, '2025-06-20', 'the earlier record is kept');
    assert.deepEqual(
      [await registrationOf(a.learnerId), await registrationOf(c.learnerId)].map((r) => [r.markTenths, r.creditsHeld]),
      [
        [145, true],
        [120, false],
      ],
    );
    // Saved again: nothing changes, one row per unit.
    assert.deepEqual(await recordMarks(deps, { staff: world.coordinator, examSessionId: first, values: values('14,5', '8', '12') }), { ok: true, changed: 0 });
    const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from credits_earned where course_id = ${unitId}`);
    assert.equal(rows.rows[0].n, 2);
    // Corrected before publication: a's pass is taken back, c's unit (earned before) stays.
    assert.deepEqual(await recordMarks(deps, { staff: world.coordinator, examSessionId: first, values: values('9,5', '8', 'ABS') }), { ok: true, changed: 2 });
    assert.deepEqual(await creditsOf(a.learnerId), []);
    assert.equal((await creditsOf(c.learnerId)).length, 1);
  });

  it('CRED-3 a unit the end of the course recorded: the exam takes it over, and its correction gives it back to the enrolment still passed', async () => {
    const [a, b] = world.learners;
    const [ra, rb] = [await registrationOf(a.learnerId), await registrationOf(b.learnerId)];
    const rc = await registrationOf(world.learners[2].learnerId);
    // b's enrolment was passed at the end of the course: its outcome and the unit it recorded, dated from the course's last meeting (11 January).
    const [session] = await database.db.execute<{ id: number }>(sql`select id from course_sessions where code = 'UE1-S1'`).then((r) => r.rows);
    await database.db.insert(courseOutcomes).values({ applicationId: b.applicationId, sessionId: session.id, courseId: unitId, learnerId: b.learnerId, attendedMinutes: 100, plannedMinutes: 100, attendanceCertified: true, outcome: 'passed', certificateDueOn: '2027-02-26', computedAt: clock.now() });
    await database.db.transaction((tx) => recordEarnedUnit(tx, clock, { learnerId: b.learnerId, courseId: unitId, earnedOn: '2027-01-11', applicationId: b.applicationId }));
    const values = (x: string, y: string) => ({ [markField(ra.id)]: x, [markField(rb.id)]: y, [markField(rc.id)]: 'ABS' });
    assert.equal((await recordMarks(deps, { staff: world.admin, examSessionId: first, values: values('9,5', '11') })).ok, true);
    assert.deepEqual((await creditsOf(b.learnerId)).map((e) => [e.earnedOn, e.applicationId]), [['2027-01-11', null]], 'one row, held by the exam');
    assert.equal((await registrationOf(b.learnerId)).creditsHeld, true);
    assert.equal((await recordMarks(deps, { staff: world.admin, examSessionId: first, values: values('9,5', '7') })).ok, true);
    assert.deepEqual((await creditsOf(b.learnerId)).map((e) => [e.earnedOn, e.applicationId]), [['2027-01-11', b.applicationId]], 'the enrolment’s pass keeps it, dated as the end of the course dates it');
    assert.equal((await database.db.select().from(creditsEarned).where(eq(creditsEarned.learnerId, b.learnerId))).length, 1);
  });

  it('CRED-3 results published once every learner is marked: each learner is emailed and sees them; marks are frozen; those who failed are registered for session 2', async () => {
    const [a, b, c] = world.learners;
    const [ra, rb, rc] = [await registrationOf(a.learnerId), await registrationOf(b.learnerId), await registrationOf(c.learnerId)];
    // Before publication the learner sees no result.
    assert.equal((await learnerExams(deps, a.learnerId)).find((e) => e.session.id === first)?.result, null);
    await recordMarks(deps, { staff: world.admin, examSessionId: first, values: { [markField(ra.id)]: '', [markField(rb.id)]: '7', [markField(rc.id)]: 'ABS' } });
    const missing = await publishResults(deps, { staff: world.coordinator, examSessionId: first });
    assert.deepEqual(missing, { ok: false, code: 'refused', message: 'exams.err.marksMissing', params: { count: 1 } });
    await recordMarks(deps, { staff: world.admin, examSessionId: first, values: { [markField(ra.id)]: '15', [markField(rb.id)]: '7', [markField(rc.id)]: 'ABS' } });
    const second = await createExamSession(deps, { staff: world.coordinator, values: { unit: 'UE1', number: 2, heldOn: '2027-06-21', centre: 'MTP' } });
    assert.ok(second.ok);
    assert.equal((await database.db.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, second.id))).length, 0, 'nobody before session 1 is published');
    assert.deepEqual(await publishResults(deps, { staff: world.coordinator, examSessionId: first }), { ok: true, told: 3 });
    const frozen = await recordMarks(deps, { staff: world.admin, examSessionId: first, values: { [markField(ra.id)]: '5' } });
    assert.ok(!frozen.ok && frozen.code === 'refused' && frozen.message === 'exams.err.published');
    assert.ok((await emailsTo(database.db, a.email)).some((e) => /Reçu\(e\) : 15\/20/.test(e.text) && /\/compte\/examens/.test(e.text)));
    assert.ok((await emailsTo(database.db, b.email)).some((e) => /Non reçu\(e\) : 7\/20/.test(e.text)));
    const seen = (await learnerExams(deps, a.learnerId)).find((e) => e.session.id === first)!;
    assert.deepEqual(seen.result, { markTenths: 150, absent: false, passed: true });
    // b (7) and c (absent) may sit session 2; a passed.
    const seconds = await database.db.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, second.id));
    assert.deepEqual(seconds.map((r) => r.learnerId).sort(), [b.learnerId, c.learnerId].sort());
    assert.equal((await creditsOf(a.learnerId)).length, 1);
  });

  it('Moving: the address and the centre of record change in one step; exams to come move to the new centre when it holds them, else stay; units and credits follow', async () => {
    const [, b] = world.learners;
    // b is also enrolled in UE2, whose session 1 is held at Montpellier only.
    await enrolDirectly(database.db, b.learnerId, 'UE2-S1');
    clock.set(new Date('2027-02-01T10:00:00Z'));
    assert.ok((await createExamSession(deps, { staff: world.coordinator, values: { unit: 'UE2', number: 1, heldOn: '2027-02-15', centre: 'MTP' } })).ok);
    assert.ok((await createExamSession(deps, { staff: world.lyon, values: { unit: 'UE1', number: 2, heldOn: '2027-06-22', centre: 'LYO' } })).ok);
    const contact = { address: '3 place Bellecour', addressComplement1: null, addressComplement2: null, postalCode: '69002', city: 'Lyon', country: 'FR', mobilePhone: '+33612345678', landlinePhone: null };
    const refused = await moveLearner(deps, { learnerId: b.learnerId, contact, centre: 'NOWHERE' });
    assert.deepEqual(refused, { ok: false, code: 'invalid', errors: { centre: { message: 'exams.err.centre' } } });
    assert.equal((await getLearnerProfile(database.db, b.learnerId))!.city, 'Paris', 'nothing written');
    const moved = await moveLearner(deps, { learnerId: b.learnerId, contact, centre: 'LYO' });
    assert.ok(moved.ok, JSON.stringify(moved));
    assert.equal((await getLearnerProfile(database.db, b.learnerId))!.city, 'Lyon');
    assert.equal(await centreOfRecord(database.db, b.learnerId), world.centres.LYO.id);
    assert.deepEqual(moved.outcome.moved, [{ unit: 'UE1', heldOn: '2027-06-22' }]);
    assert.deepEqual(moved.outcome.notHeld.map((n) => [n.unit, n.centre]), [['UE2', 'Centre de Montpellier']]);
    assert.equal((await registrationOf(b.learnerId, 2)).centreId, world.centres.LYO.id);
    // The unit b's enrolment earned is theirs wherever they live.
    assert.deepEqual(moved.outcome.earned.map((e) => e.credits), [6]);
    assert.equal(moved.outcome.credits, 6);
  });

  it('Moving: an exam session whose results the new centre has published takes no one more; the registration stays where it was', async () => {
    const [, b, c] = world.learners;
    // Lyon's session 2 of UE1 (b moved into it above): b's mark, then the results published.
    const lyonSecond = await registrationOf(b.learnerId, 2);
    assert.equal(lyonSecond.centreId, world.centres.LYO.id);
    assert.ok((await recordMarks(deps, { staff: world.lyon, examSessionId: lyonSecond.examSessionId, values: { [markField(lyonSecond.id)]: '12' } })).ok);
    assert.ok((await publishResults(deps, { staff: world.lyon, examSessionId: lyonSecond.examSessionId })).ok);
    const before = await registrationOf(c.learnerId, 2);
    assert.equal(before.centreId, world.centres.MTP.id, 'c (absent at session 1) sits session 2 at Montpellier');
    const contact = { address: '8 rue de la République', addressComplement1: null, addressComplement2: null, postalCode: '69001', city: 'Lyon', country: 'FR', mobilePhone: '+33698765432', landlinePhone: null };
    const moved = await moveLearner(deps, { learnerId: c.learnerId, contact, centre: 'LYO' });
    assert.ok(moved.ok, JSON.stringify(moved));
    assert.deepEqual(moved.outcome.moved, []);
    assert.deepEqual(moved.outcome.notHeld.map((n) => [n.unit, n.centre]), [['UE1', 'Centre de Montpellier']]);
    const after = await registrationOf(c.learnerId, 2);
    assert.deepEqual([after.examSessionId, after.centreId], [before.examSessionId, world.centres.MTP.id]);
    assert.equal(await centreOfRecord(database.db, c.learnerId), world.centres.LYO.id, 'the centre of record follows the address all the same');
  });

  it('ACC-14 a request’s proof goes examProofRetentionMonths after its decision (never while pending), after a notice; the request and its decision stay; twice deletes nothing more', async () => {
    const [a] = world.learners;
    const policies = await getPolicies(database.db);
    const retention = examsDataSet.retention!;
    const proofs = async () => (await database.db.select({ fileId: examRequests.fileId, status: examRequests.status }).from(examRequests).where(eq(examRequests.learnerId, a.learnerId))).filter((r) => r.fileId !== null);
    const before = await proofs();
    assert.equal(before.length, 2, 'the two decided centre requests of the test above, with their proofs');
    const dueAt = async (at: string) => (await retention.due!(database.db, { at: new Date(at), policies, limit: 100 })).filter((d) => d.userId === a.learnerId);
    // Decided on 10 December 2026: six months on (the default), not before.
    assert.deepEqual(await dueAt('2027-06-09T10:00:00Z'), []);
    const due = await dueAt('2027-06-11T10:00:00Z');
    assert.deepEqual(due.map((d) => [d.what, d.dueAt.toISOString()]), [['privacy.due.examProofs', '2027-06-10T10:00:00.000Z']]);
    assert.equal(retention.notice, true);
    const expire = () => database.db.transaction((tx) => retention.expire!(tx, { userId: a.learnerId, at: new Date('2027-06-11T10:00:00Z'), policies, clock }));
    assert.equal(await expire(), 2);
    assert.deepEqual(await proofs(), []);
    const files = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from stored_files where id in (${sql.join(before.map((b) => sql`${b.fileId}::uuid`), sql`, `)})`);
    assert.equal(files.rows[0].n, 0, 'the files are deleted');
    const kept = await database.db.select().from(examRequests).where(and(eq(examRequests.learnerId, a.learnerId), eq(examRequests.kind, 'another_centre')));
    assert.ok(kept.length >= 2 && kept.every((r) => r.status === 'approved' && r.decidedAt !== null), 'the requests and their decisions stay');
    assert.equal(await expire(), 0);
  });
});

describe('exams on the database: a unit passed at two exams (CRED-3)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  after(() => database?.close());

  it('CRED-3 the exam that holds the unit is corrected to a fail: the other exam the learner passed holds it now, dated from its own session', async () => {
    database = await createTestDatabase();
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    const world = await buildExamWorld(database.db, clock, 1);
    const [x] = world.learners;
    const made = async (number: 1 | 2, heldOn: string) => {
      const session = await createExamSession(deps, { staff: world.coordinator, values: { unit: 'UE1', number, heldOn, centre: 'MTP' } });
      assert.ok(session.ok, JSON.stringify(session));
      return session.id;
    };
    const [first, second] = [await made(1, '2027-01-25'), await made(2, '2027-06-21')];
    // x also sits session 2 (registered there as a learner with no enrolment would be).
    await database.db.transaction((tx) => registerForExam(tx, clock, { learnerId: x.learnerId, examSessionId: second }));
    const registrationIn = async (examSessionId: string) => (await database.db.select().from(examRegistrations).where(and(eq(examRegistrations.learnerId, x.learnerId), eq(examRegistrations.examSessionId, examSessionId))))[0];
    const [r1, r2] = [await registrationIn(first), await registrationIn(second)];
    const mark = (examSessionId: string, id: string, value: string) => recordMarks(deps, { staff: world.coordinator, examSessionId, values: { [markField(id)]: value } });
    const units = async () => (await earnedUnitsOf(database.db, [x.learnerId])).get(x.learnerId)!.map((e) => [e.earnedOn, e.applicationId]);

    clock.set(new Date('2027-06-22T10:00:00Z'));
    assert.ok((await mark(first, r1.id, '12')).ok);
    assert.ok((await mark(second, r2.id, '13')).ok);
    assert.deepEqual(await units(), [['2027-01-25', null]], 'one row, held by the first exam');
    assert.deepEqual([(await registrationIn(first)).creditsHeld, (await registrationIn(second)).creditsHeld], [true, false]);
    // The first mark was wrong: x failed it. The unit stays earned, by the second exam.
    assert.ok((await mark(first, r1.id, '8')).ok);
    assert.deepEqual(await units(), [['2027-06-21', null]]);
    assert.deepEqual([(await registrationIn(first)).creditsHeld, (await registrationIn(second)).creditsHeld], [false, true]);
    // And the second corrected too: nothing supports it any more.
    assert.ok((await mark(second, r2.id, '9')).ok);
    assert.deepEqual(await units(), []);
  });
});
