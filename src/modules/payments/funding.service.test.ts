import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { buildLearner, buildStaff, emailsTo, TEST_SECRET } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import { buildUnitSessions } from '../../../test/credits';
import { pdfText, squash } from '../../../test/pdf';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { resetPolicy, setPolicy } from '../../platform/policies';
import '../selection'; // its providers: the places held (open offers too)
import '../attendance'; // its provider: the attendance the funder's attestation prints
import { applications } from '../applications/applications.table';
import { verifyDocument } from '../documents/documents.service';
import { enrolInUnit, enrolmentPreview, fundingAttestation, setPrice, unitOffers, type FundingDeps } from './funding.service';
import { enrolmentFundings } from './funding.table';
import { learnerPayment } from './payments.service';
import { payments } from './payments.table';
import type { PaymentProvider } from './provider';
import { sessionsForApplications } from '../catalogue';

describe('enrolment all year in a unit, with its funding (CRED-2, CRED-5)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  let deps: FundingDeps;
  const learner = async () => (await buildLearner(database.db, clock)).id;
  const statusOf = async (id: string) => (await database.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id)))[0].status;
  const count = async (table: 'applications' | 'payments' | 'enrolment_fundings', sessionCode: string) =>
    (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} t join course_sessions s on s.id = t.session_id where s.code = ${sessionCode}`)).rows[0].n;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' };
    await buildUnitSessions(database.db, clock, [
      { code: 'NFA031-A', unit: 'NFA031', credits: 6, weekday: 1 },
      { code: 'NFA031-B', unit: 'NFA031', credits: 6, weekday: 3 },
      { code: 'NFA035-A', unit: 'NFA035', credits: 12, weekday: 1, startsAt: '19:00', endsAt: '21:00' },
      { code: 'NFE107-A', unit: 'NFE107', credits: 4, weekday: 4 },
      { code: 'NFE108-A', unit: 'NFE108', credits: 4, weekday: 5 },
      { code: 'NFE109-A', unit: 'NFE109', credits: 4, weekday: 6 },
      { code: 'RACE-A', unit: 'RACE01', credits: 6, capacity: 3, weekday: 2 },
      { code: 'ENDED-A', unit: 'OLD01', credits: 6, from: -90, to: -1, weekday: 2, startsAt: '08:00', endsAt: '09:00' },
      { code: 'STARTED-A', unit: 'RUN01', credits: 8, from: -14, to: 60, weekday: 2, startsAt: '10:00', endsAt: '12:00' },
    ]);
  });
  after(() => database.close());

  it('CRED-2 CRED-5 a learner enrols in a unit with places outside any registration window; paying themselves, the fee of the price list is due through the payment path', async () => {
    const id = await learner();
    const done = await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFA031-A', source: 'personal' });
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal(await statusOf(done.applicationId), 'awaiting_payment');
    const [funding] = await database.db.select().from(enrolmentFundings).where(eq(enrolmentFundings.applicationId, done.applicationId));
    // The default price list: 40 € a credit for a personal enrolment, 6 credits.
    assert.deepEqual([funding.source, funding.basis, funding.unitPriceCents, funding.credits, funding.feeCents], ['personal', 'credit', 4_000, 6, 24_000]);
    const [due] = await database.db.select().from(payments).where(eq(payments.applicationId, done.applicationId));
    assert.deepEqual([due.amountCents, due.status], [24_000, 'due']);
    const page = await learnerPayment({ ...deps, provider: {} as PaymentProvider }, id, done.applicationId);
    assert.ok(page?.actions.has('pay'), 'the learner may pay it online (PAY-2)');
    const [email] = await emailsTo(database.db, (await database.db.execute<{ email: string }>(sql`select email from users where id = ${id}`)).rows[0].email);
    assert.match(email.subject, /NFA031|Unité NFA031/);
    assert.match(email.text, /240,00/);
  });

  it('CRED-5 paid by a funder: enrolled at once, the learner owes nothing, the funder’s attestation is issued and verifiable (PAY-10), its text read back', async () => {
    const id = await learner();
    const done = await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFA035-A', source: 'cpf' });
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal(await statusOf(done.applicationId), 'enrolled');
    assert.equal((await database.db.select().from(payments).where(eq(payments.applicationId, done.applicationId))).length, 0, 'no amount due by the learner');
    const doc = await fundingAttestation(deps, { id, locale: 'fr' }, done.applicationId);
    assert.ok(doc);
    const text = pdfText(doc.pdf);
    for (const expected of ['Attestation d’inscription', 'Compte personnel de formation (CPF)', 'Unité NFA035 : 12 crédits ECTS', '120 heures', '960,00 €', 'Reste à la charge de la personne : 0,00 €', 'l’unité n’a pas encore commencé', 'DURAND-'])
      assert.ok(text.includes(squash(expected)), `${expected} in ${text}`);
    const [row] = (await database.db.execute<{ code: string; kind: string }>(sql`select code, kind from documents where subject_id = ${done.applicationId}`)).rows;
    assert.equal(row.kind, 'funding_attestation');
    const verified = await verifyDocument({ db: database.db, clock }, { code: row.code });
    assert.ok(verified.found && verified.document.status === 'valid' && verified.document.kind === 'funding_attestation');
    // Downloaded again: the same document.
    await fundingAttestation(deps, { id, locale: 'fr' }, done.applicationId);
    assert.equal((await database.db.execute(sql`select 1 from documents where subject_id = ${done.applicationId}`)).rows.length, 1);
    // Someone else's, or a personal enrolment's: none.
    assert.equal(await fundingAttestation(deps, { id: await learner(), locale: 'fr' }, done.applicationId), null);
  });

  it('CRED-5 once the unit has started the attestation prints the attendance so far (the attendance module’s count)', async () => {
    const id = await learner();
    const done = await enrolInUnit(deps, { learnerId: id, sessionCode: 'STARTED-A', source: 'employer' });
    assert.ok(done.ok, JSON.stringify(done));
    const text = pdfText((await fundingAttestation(deps, { id, locale: 'fr' }, done.applicationId))!.pdf);
    assert.ok(text.includes(squash('Assiduité au')), text);
    assert.ok(text.includes(squash('Employeur')), text);
    assert.ok(text.includes(squash('960,00 €')), 'employer: 120 € a credit, 8 credits');
  });

  it('CRED-5 the administrator’s price list gives the next enrolments’ fee (per unit here); staff other than the administrator may not set it', async () => {
    const admin = await buildStaff(database.db, clock, 'admin');
    const coordinator = await buildStaff(database.db, clock, 'coordinator');
    assert.equal((await setPrice(deps, { id: coordinator.userId, role: 'coordinator' }, { source: 'region', basis: 'unit', amountCents: 1 })).ok, false);
    assert.deepEqual(await setPrice(deps, { id: admin.userId, role: 'admin' }, { source: 'region', basis: 'unit', amountCents: 35_000 }), { ok: true });
    const done = await enrolInUnit(deps, { learnerId: await learner(), sessionCode: 'NFE107-A', source: 'region' });
    assert.ok(done.ok);
    const [funding] = await database.db.select().from(enrolmentFundings).where(eq(enrolmentFundings.applicationId, done.applicationId));
    assert.deepEqual([funding.basis, funding.feeCents], ['unit', 35_000]);
  });

  it('CRED-2 refused in the municipal profile, in a session ended, or one without a place; nothing written', async () => {
    const id = await learner();
    const municipal = await enrolInUnit({ ...deps, profile: 'municipal' }, { learnerId: id, sessionCode: 'NFE108-A', source: 'personal' });
    assert.deepEqual(municipal, { ok: false, code: 'refused', message: 'cred.enrol.error.profile' });
    const ended = await enrolInUnit(deps, { learnerId: id, sessionCode: 'ENDED-A', source: 'personal' });
    assert.deepEqual(ended, { ok: false, code: 'refused', message: 'cred.enrol.error.ended' });
    assert.equal(await count('applications', 'NFE108-A'), 0);
    assert.equal(await count('applications', 'ENDED-A'), 0);
    assert.equal((await enrolInUnit(deps, { learnerId: id, sessionCode: 'NOPE', source: 'personal' })).ok, false);
  });

  it('CRED-2 APP-2 APP-3 APP-5 the caps of an application: one session per unit, no two at the same time, the live cap', async () => {
    const id = await learner();
    assert.ok((await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFA031-A', source: 'aif' })).ok);
    assert.deepEqual(await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFA031-B', source: 'aif' }), { ok: false, code: 'refused', message: 'app.refused.sameCourse', params: { title: 'Unité NFA031' } });
    // NFA035-A meets on Monday 19:00–21:00, NFA031-A on Monday 18:00–20:00.
    const sameSlot = await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFA035-A', source: 'aif' });
    assert.deepEqual(sameSlot.ok ? sameSlot : { ...sameSlot, params: undefined }, { ok: false, code: 'refused', message: 'app.refused.sameSlot', params: undefined });
    assert.ok(!sameSlot.ok && sameSlot.params?.title, 'APP-3 names the other unit');
    await setPolicy(database.db, 'maxActiveApplications', 2);
    try {
      assert.ok((await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFE108-A', source: 'personal' })).ok, 'the second live one');
      assert.deepEqual(await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFE109-A', source: 'personal' }), { ok: false, code: 'refused', message: 'app.refused.cap', params: { max: 2 } });
    } finally {
      await resetPolicy(database.db, 'maxActiveApplications');
    }
  });

  it('CRED-2 SEL-6 eight learners race for the last three places of a unit: exactly three enrolled, none over; one learner clicking five times gets one enrolment', async () => {
    const learners = await Promise.all(Array.from({ length: 8 }, () => learner()));
    const outcomes = await Promise.all(learners.map((id, i) => enrolInUnit(deps, { learnerId: id, sessionCode: 'RACE-A', source: i % 2 ? 'cpf' : 'personal' })));
    assert.equal(outcomes.filter((o) => o.ok).length, 3);
    assert.ok(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.message === 'cred.enrol.error.full'));
    assert.equal((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from applications a join course_sessions s on s.id = a.session_id where s.code = 'RACE-A' and a.status in ('accepted', 'awaiting_payment', 'enrolled')`)).rows[0].n, 3);
    assert.equal(await count('enrolment_fundings', 'RACE-A'), 3);
    const [session] = await sessionsForApplications(database.db, { codes: ['RACE-A'] });
    assert.equal((await unitOffers(database.db, deps, [session])).get(session.id)?.refusal, 'cred.enrol.error.full', 'the sheet offers it no more');

    const again = await learner();
    const clicks = await Promise.all(Array.from({ length: 5 }, () => enrolInUnit(deps, { learnerId: again, sessionCode: 'NFE109-A', source: 'employer' })));
    assert.ok(clicks.every((c) => c.ok));
    assert.equal(new Set(clicks.map((c) => c.ok && c.applicationId)).size, 1);
    assert.equal(clicks.filter((c) => c.ok && !c.already).length, 1);
    assert.equal((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from applications where learner_id = ${again}`)).rows[0].n, 1);
    assert.equal((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from documents where subject_id in (select id::text from applications where learner_id = ${again})`)).rows[0].n, 1);
  });

  it('CRED-2 the confirmation page’s facts: the fourth unit of the semester brings the FAQ’s advice (a warning: the enrolment stays possible)', async () => {
    // APP-5's cap is 3 live ones by default: the advice shows where the centre's policy allows more.
    await setPolicy(database.db, 'maxActiveApplications', 6);
    const id = await learner();
    for (const code of ['NFA031-B', 'NFE107-A', 'NFE108-A']) assert.ok((await enrolInUnit(deps, { learnerId: id, sessionCode: code, source: 'personal' })).ok, code);
    const preview = await enrolmentPreview(deps, id, 'NFE109-A');
    assert.deepEqual(preview?.load, { units: 4, beyondAdvice: true });
    assert.equal(preview?.refusal, null);
    assert.equal((await enrolmentPreview(deps, await learner(), 'NFE109-A'))?.load.beyondAdvice, false);
    assert.ok((await enrolInUnit(deps, { learnerId: id, sessionCode: 'NFE109-A', source: 'personal' })).ok);
    await resetPolicy(database.db, 'maxActiveApplications');
  });
});
