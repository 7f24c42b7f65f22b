import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildLearner, buildStaff, emailsTo } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import { samples } from '../../../test/multipart';
import { pdfText, squash } from '../../../test/pdf';
import { buildUnits } from '../../../test/units';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { catalogueIds } from '../catalogue';
import { recordEarnedUnit } from '../certification';
import { verifyDocument } from '../documents/documents.service';
import { closeAccount } from '../privacy';
import { decideDiplomaRequest, diplomaPage, diplomaPdf, requestDiploma, requestDuplicate } from './diplomas.service';
import { saveProgramme } from './programmes.service';

const certificate = { code: 'CC-DIP', title: 'Certificat de test', kind: 'certificate', required_credits: '18', mandatory: 'DA01', choose_1: '1', units_1: 'DB01, DB02' };

describe('diplomas: request, decision, duplicate (CRED-4)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string };
  let admin: { id: string; role: 'admin' };
  let ids: Map<string, number>;

  const earn = (learnerId: string, codes: string[]) =>
    database.db.transaction(async (tx) => {
      for (const code of codes) await recordEarnedUnit(tx, clock, { learnerId, courseId: ids.get(code)!, earnedOn: '2026-06-01' });
    });

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long' };
    await buildUnits(database.db, [
      { code: 'DA01', credits: 6 },
      { code: 'DB01', credits: 12 },
      { code: 'DB02', credits: 6 },
    ]);
    ids = (await catalogueIds(database.db, { courses: ['DA01', 'DB01', 'DB02'] })).courses;
    const staff = await buildStaff(database.db, clock, 'admin');
    admin = { id: staff.userId, role: 'admin' };
    assert.equal((await saveProgramme({ db: database.db, clock }, { actor: admin, values: certificate, creating: true })).ok, true);
  });
  after(() => database.close());

  it('CRED-4 a diploma asked for before the programme is complete is refused, the check saying what is missing: credits, mandatory units, choices', async () => {
    const learner = await buildLearner(database.db, clock);
    const refused = await requestDiploma(deps, { learnerId: learner.id, code: 'cc-dip' });
    assert.ok(!refused.ok && refused.code === 'incomplete');
    assert.equal(refused.progress.creditsEarned, 0);
    assert.deepEqual(refused.progress.mandatoryLeft, ['DA01']);
    assert.deepEqual(refused.progress.choicesLeft.map((l) => [l.left, l.candidates]), [[1, ['DB01', 'DB02']]]);
    await earn(learner.id, ['DA01', 'DB02']);
    const still = await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' });
    // The lists are met, 6 credits are missing.
    assert.ok(!still.ok && still.code === 'incomplete' && still.progress.creditsEarned === 12 && still.progress.mandatoryLeft.length === 0);
    assert.equal((await database.db.execute(sql`select 1 from diploma_requests where learner_id = ${learner.id}`)).rows.length, 0);
    assert.deepEqual(await requestDiploma(deps, { learnerId: learner.id, code: 'NOPE' }), { ok: false, code: 'not_found' });
    assert.deepEqual(await requestDiploma(deps, { learnerId: learner.id, code: 'x\u0000y' }), { ok: false, code: 'not_found' });
  });

  it('CRED-4 two requests at once for one complete programme make one; a second while it is pending is refused with a message', async () => {
    const learner = await buildLearner(database.db, clock);
    await earn(learner.id, ['DA01', 'DB01']);
    const both = await Promise.all([requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' }), requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' })]);
    assert.equal(both.filter((r) => r.ok).length, 1);
    assert.deepEqual(both.find((r) => !r.ok), { ok: false, code: 'refused', message: 'dipl.err.alreadyPending' });
    assert.deepEqual(await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' }), { ok: false, code: 'refused', message: 'dipl.err.alreadyPending' });
    const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from diploma_requests where learner_id = ${learner.id}`);
    assert.equal(rows.rows[0].n, 1);
  });

  it('CRED-4 an administrator grants the diploma (verifiable PDF, the learner emailed); others may not decide; a refusal needs a reason; a granted diploma is not asked twice', async () => {
    const learner = await buildLearner(database.db, clock);
    await earn(learner.id, ['DA01', 'DB01']);
    const asked = await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' });
    assert.ok(asked.ok);
    const coordinator = await buildStaff(database.db, clock, 'coordinator');
    assert.deepEqual(await decideDiplomaRequest(deps, { actor: { id: coordinator.userId, role: 'coordinator' }, requestId: asked.request.id, grant: true, reason: '' }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await decideDiplomaRequest(deps, { actor: admin, requestId: asked.request.id, grant: false, reason: '  ' }), { ok: false, code: 'invalid', errors: { reason: { message: 'dipl.err.reasonRequired' } } });
    assert.deepEqual(await decideDiplomaRequest(deps, { actor: admin, requestId: 'pas-un-id', grant: true, reason: '' }), { ok: false, code: 'not_found' });
    const granted = await decideDiplomaRequest(deps, { actor: admin, requestId: asked.request.id, grant: true, reason: '' });
    assert.ok(granted.ok && granted.document);
    // Decided already: a second decision (a stale page) is refused.
    assert.deepEqual(await decideDiplomaRequest(deps, { actor: admin, requestId: asked.request.id, grant: false, reason: 'Non' }), { ok: false, code: 'refused', message: 'dipl.err.decided' });
    const mail = await emailsTo(database.db, learner.email);
    assert.equal(mail[0].subject, 'Votre diplôme « Certificat de test » est délivré');
    assert.match(mail[0].text, /\/compte\/cursus\/CC-DIP\/diplome/);
    const verified = await verifyDocument({ db: database.db, clock }, { code: granted.document.code });
    assert.ok(verified.found && verified.document.kind === 'diploma' && verified.document.status === 'valid');
    const pdf = await diplomaPdf(deps, { learnerId: learner.id, code: 'CC-DIP', locale: 'fr' });
    assert.ok(pdf);
    const text = pdfText(pdf.pdf);
    for (const expected of ['Certificat', 'Certificat de test', '18 crédits ECTS acquis', granted.document.displayCode]) assert.ok(text.includes(squash(expected)), `${expected} in ${text}`);
    assert.ok(!text.includes('DUPLICATA'));
    assert.deepEqual(await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' }), { ok: false, code: 'refused', message: 'dipl.err.alreadyGranted' });
  });

  it('CRED-4 a refusal says why, by email; the learner may ask again', async () => {
    const learner = await buildLearner(database.db, clock);
    await earn(learner.id, ['DA01', 'DB01']);
    const asked = await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' });
    assert.ok(asked.ok);
    const refused = await decideDiplomaRequest(deps, { actor: admin, requestId: asked.request.id, grant: false, reason: 'Pièce d’identité manquante' });
    assert.deepEqual(refused, { ok: true, status: 'refused', document: null });
    assert.match((await emailsTo(database.db, learner.email))[0].text, /Pièce d’identité manquante/);
    assert.equal((await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' })).ok, true);
  });

  it('CRED-4 a duplicate of a diploma lost, destroyed or stolen: with a proof file, one pending at a time; granted, it reads DUPLICATA and the original verifies as replaced', async () => {
    const learner = await buildLearner(database.db, clock);
    await earn(learner.id, ['DA01', 'DB01']);
    const file = { name: 'plainte.pdf', data: samples.pdf };
    assert.deepEqual(await requestDuplicate(deps, { learnerId: learner.id, code: 'CC-DIP', reason: 'stolen', file }), { ok: false, code: 'refused', message: 'dipl.err.noDiploma' });
    const asked = await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' });
    assert.ok(asked.ok);
    const original = await decideDiplomaRequest(deps, { actor: admin, requestId: asked.request.id, grant: true, reason: '' });
    assert.ok(original.ok && original.document);
    const wrong = await requestDuplicate(deps, { learnerId: learner.id, code: 'CC-DIP', reason: 'stolen', file: { name: 'plainte.pdf', data: samples.text } });
    assert.ok(!wrong.ok && wrong.code === 'invalid' && wrong.errors.file);
    const duplicate = await requestDuplicate(deps, { learnerId: learner.id, code: 'CC-DIP', reason: 'stolen', file });
    assert.ok(duplicate.ok);
    assert.deepEqual(await requestDuplicate(deps, { learnerId: learner.id, code: 'CC-DIP', reason: 'lost', file }), { ok: false, code: 'refused', message: 'dipl.err.duplicatePending' });
    const granted = await decideDiplomaRequest(deps, { actor: admin, requestId: duplicate.request.id, grant: true, reason: '' });
    assert.ok(granted.ok && granted.document);
    const before = await verifyDocument({ db: database.db, clock }, { code: original.document.code });
    assert.ok(before.found && before.document.status === 'replaced' && before.document.kind === 'diploma');
    const now = await verifyDocument({ db: database.db, clock }, { code: granted.document.code });
    assert.ok(now.found && now.document.status === 'valid' && now.document.title.endsWith('DUPLICATA'));
    const page = await diplomaPage(database.db, deps, learner.id, 'CC-DIP');
    assert.deepEqual(page?.document, { code: granted.document.code, displayCode: granted.document.displayCode, duplicate: true });
    // The proof served its purpose: gone with the decision.
    assert.equal(page?.requests.find((r) => r.kind === 'duplicate')?.file, null);
    const pdf = await diplomaPdf(deps, { learnerId: learner.id, code: 'CC-DIP', locale: 'fr' });
    const text = pdfText(pdf!.pdf);
    assert.ok(text.includes('DUPLICATA') && text.includes(squash('l’original ayant été déclaré volé')) && text.includes(squash(granted.document.displayCode)), text);
    assert.equal((await emailsTo(database.db, learner.email))[0].subject, 'Le duplicata de votre diplôme « Certificat de test » est délivré');
  });

  it('CRED-1, CRED-4 the account closed (ACC-11, as ACC-14 closes an inactive one): the units earned and the diplomas granted stay, pseudonymous; a pending request stops the closure', async () => {
    const learner = await buildLearner(database.db, clock);
    await earn(learner.id, ['DA01', 'DB01']);
    const asked = await requestDiploma(deps, { learnerId: learner.id, code: 'CC-DIP' });
    assert.ok(asked.ok);
    assert.deepEqual(await closeAccount(deps, { userId: learner.id, reason: 'retention' }), { ok: false, reasons: ['privacy.block.programmes.diploma'] });
    assert.ok((await decideDiplomaRequest(deps, { actor: admin, requestId: asked.request.id, grant: true, reason: 'Bravo' })).ok);
    assert.deepEqual(await closeAccount(deps, { userId: learner.id, reason: 'retention' }), { ok: true });
    const credits = await database.db.execute<{ n: number; apps: number }>(sql`select count(*)::int as n, count(application_id)::int as apps from credits_earned where learner_id = ${learner.id}`);
    assert.deepEqual({ ...credits.rows[0] }, { n: 2, apps: 0 });
    const requests = await database.db.execute<{ status: string; decision_reason: string | null }>(sql`select status, decision_reason from diploma_requests where learner_id = ${learner.id}`);
    assert.deepEqual(requests.rows.map((r) => ({ ...r })), [{ status: 'granted', decision_reason: null }]);
    // The diploma stays verifiable, its holder reduced to initials (the documents register's closure).
    const diploma = await database.db.execute<{ holder_name: string; status: string; anonymised: boolean }>(sql`select holder_name, status, anonymised_at is not null as anonymised from documents where kind = 'diploma' and subject_id = ${asked.request.id}`);
    assert.equal(diploma.rows.length, 1);
    assert.ok(diploma.rows[0].anonymised && diploma.rows[0].status === 'valid' && !diploma.rows[0].holder_name.includes('Léa'));
  });
});
