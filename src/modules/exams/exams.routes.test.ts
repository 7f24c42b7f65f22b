import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { Client, formHtml, startTestApp, type TestApp } from '../../../test/app';
import { buildExamWorld } from '../../../test/exams';
import { samples } from '../../../test/multipart';
import { examRegistrations, examRequests, examSessions } from './exams.table';

/** The error message shown next to a field (`<name>-error`). */
const errorOf = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>([^<]+)<`).exec(html)?.[1];
const valueOf = (html: string, field: string) => new RegExp(`name="${field}"[^>]*value="([^"]*)"`).exec(html)?.[1];

describe('exams routes (CRED-3, moving): bad input is a message next to its field, never a 500', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof buildExamWorld>>;
  let coordinator: Client;
  let lyon: Client;
  let learner: Client;
  let examId: string;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-02T10:00:00Z'), config: { CURSUS_PROFILE: 'credits' } });
    world = await buildExamWorld(t.db, t.clock, 2);
    coordinator = new Client(t.app);
    await coordinator.loginStaff(world.coordinator.email, world.coordinator.totpSecret, t.clock);
    lyon = new Client(t.app);
    await lyon.loginStaff(world.lyon.email, world.lyon.totpSecret, t.clock);
    learner = new Client(t.app);
    await learner.login(world.learners[0].email);
  });
  after(() => t.close());

  it('CRED-3 creating an exam session: a NUL byte, an unknown unit, a wrong date or session are said next to their fields, what was typed kept', async () => {
    const bad = await coordinator.submit('/personnel/examens', '/personnel/examens', { unit: 'NF\u0000A', number: '7', held_on: 'abc', centre: 'MTP' });
    assert.equal(bad.statusCode, 400);
    assert.ok(errorOf(bad.body, 'unit'));
    assert.ok(errorOf(bad.body, 'number'));
    assert.match(errorOf(bad.body, 'held_on') ?? '', /date valide/);
    const unknown = await coordinator.submit('/personnel/examens', '/personnel/examens', { unit: 'NOPE99', number: '1', held_on: '25/01/2027', centre: 'MTP' });
    assert.equal(unknown.statusCode, 400);
    assert.match(errorOf(unknown.body, 'unit') ?? '', /n’existe pas au catalogue/);
    assert.equal(valueOf(unknown.body, 'unit'), 'NOPE99');
    const outside = await lyon.submit('/personnel/examens', '/personnel/examens', { unit: 'UE1', number: '1', held_on: '25/01/2027', centre: 'MTP' });
    assert.equal(outside.statusCode, 400);
    assert.match(errorOf(outside.body, 'centre') ?? '', /pas dans votre périmètre/);
    const made = await coordinator.submit('/personnel/examens', '/personnel/examens', { unit: 'UE1', number: '1', held_on: '25/01/2027', centre: 'MTP' });
    assert.equal(made.statusCode, 303);
    examId = String(made.headers.location).split('/')[3].split('?')[0];
    const page = await coordinator.get(String(made.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /La session d’examen est créée/);
    // The learner's page is a staff page: 403; an id that is no UUID, or no session: 404; another centre's coordinator: 403.
    assert.equal((await learner.get(`/personnel/examens/${examId}`)).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/examens/123')).statusCode, 404);
    assert.equal((await coordinator.get('/personnel/examens/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await lyon.get(`/personnel/examens/${examId}`)).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/examens?message=%00')).statusCode, 400);
  });

  it('CRED-3 marks: 25, "abc" and a NUL byte are said next to each learner’s field, the other marks kept as typed; good marks are saved', async () => {
    const regs = await t.db.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, examId));
    assert.equal(regs.length, 2);
    // a: the second learner; b: the first one, whose mark stays empty (they make a request next).
    const a = regs.find((r) => r.learnerId === world.learners[1].learnerId)!;
    const b = regs.find((r) => r.learnerId === world.learners[0].learnerId)!;
    const field = (id: string) => `mark_${id}`;
    const page = `/personnel/examens/${examId}`;
    for (const [typed, message] of [
      ['25', /de 0 à 20/],
      ['abc', /une décimale au plus/],
      ['1\u00002', /caractère|caractères/],
    ] as const) {
      const response = await coordinator.submit(page, page, { [field(a.id)]: typed, [field(b.id)]: '12,5' });
      assert.equal(response.statusCode, 400, typed);
      assert.match(errorOf(response.body, field(a.id)) ?? '', message, typed);
      assert.equal(errorOf(response.body, field(b.id)), undefined);
      assert.equal(valueOf(response.body, field(b.id)), '12,5', 'the other mark kept as typed');
    }
    const huge = await coordinator.submit(page, page, { [field(a.id)]: '9'.repeat(5000), [field(b.id)]: '12,5' });
    assert.equal(huge.statusCode, 400);
    assert.equal((await t.db.select().from(examRegistrations).where(eq(examRegistrations.id, b.id)))[0].markTenths, null, 'nothing written');
    const saved = await coordinator.submit(page, page, { [field(a.id)]: 'ABS', [field(b.id)]: '' });
    assert.equal(saved.statusCode, 303);
    const shown = await coordinator.get(String(saved.headers.location));
    assert.match(shown.body, /Les notes sont enregistrées/);
    assert.ok(!valueOf(shown.body, field(b.id)));
    assert.equal(valueOf(shown.body, field(a.id)), 'ABS');
    // Lyon cannot post marks here.
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await lyon.get('/personnel/examens')).body)![1];
    const other = await lyon.post(page, { _csrf: csrf, [field(a.id)]: '20' });
    assert.equal(other.statusCode, 403);
    assert.equal((await t.db.select().from(examRegistrations).where(eq(examRegistrations.id, a.id)))[0].absent, true);
  });

  it('CRED-3 the learner’s request: no file, a text file, a NUL byte, a wrong kind are said next to their fields; a second open request is refused with a message', async () => {
    const [reg] = await t.db.select().from(examRegistrations).where(and(eq(examRegistrations.examSessionId, examId), eq(examRegistrations.learnerId, world.learners[0].learnerId)));
    const page = `/compte/examens/${reg.id}/demande?type=another_centre`;
    const action = `/compte/examens/${reg.id}/demande`;
    assert.equal((await learner.get(page)).statusCode, 200);
    assert.equal((await learner.get(`/compte/examens/${reg.id}/demande?type=zzz`)).statusCode, 400);
    assert.equal((await learner.get('/compte/examens/nope/demande')).statusCode, 404);
    const parts = (extra: { name: string; value: string }[], file?: { data: Buffer; filename: string }) => [
      { name: 'kind', value: 'another_centre' },
      ...extra,
      ...(file ? [{ name: 'file', filename: file.filename, type: 'application/pdf', data: file.data }] : []),
    ];
    const noFile = await learner.submitMultipart(page, action, parts([{ name: 'reason', value: 'move' }, { name: 'centre', value: 'LYO' }]));
    assert.equal(noFile.statusCode, 400);
    assert.match(errorOf(noFile.body, 'file') ?? '', /Joignez un justificatif/);
    const text = await learner.submitMultipart(page, action, parts([{ name: 'reason', value: 'move' }, { name: 'centre', value: 'LYO' }], { data: samples.text, filename: 'faux.pdf' }));
    assert.equal(text.statusCode, 400);
    assert.ok(errorOf(text.body, 'file'));
    const nul = await learner.submitMultipart(page, action, parts([{ name: 'reason', value: 'mo\u0000ve' }, { name: 'centre', value: 'LYO' }], { data: samples.pdf, filename: 'mission.pdf' }));
    assert.equal(nul.statusCode, 400);
    assert.ok(errorOf(nul.body, 'reason'));
    const noReason = await learner.submitMultipart(page, action, parts([{ name: 'centre', value: 'LYO' }], { data: samples.pdf, filename: 'mission.pdf' }));
    assert.equal(noReason.statusCode, 400);
    assert.match(errorOf(noReason.body, 'reason') ?? '', /motif/);
    const ok = await learner.submitMultipart(page, action, parts([{ name: 'reason', value: 'move' }, { name: 'centre', value: 'LYO' }], { data: samples.pdf, filename: 'mission.pdf' }));
    assert.equal(ok.statusCode, 303);
    const twice = await learner.submitMultipart(page, action, parts([{ name: 'reason', value: 'professional_travel' }, { name: 'centre', value: 'LYO' }], { data: samples.pdf, filename: 'mission.pdf' }));
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /déjà une demande de ce type en attente/);
    const mine = await learner.get('/compte/examens');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /en attente de la décision/);
  });

  it('CRED-3 the decision: a refusal without a reason, an unknown choice, a NUL byte are said next to their fields; a learner gets 403; a request decided is not decided again', async () => {
    const [request] = await t.db.select().from(examRequests);
    const page = `/personnel/examens/demandes/${request.id}`;
    assert.equal((await lyon.get('/personnel/examens/demandes')).statusCode, 200);
    const bare = await lyon.submit(page, page, { decision: 'refuse', reason: '' });
    assert.equal(bare.statusCode, 400);
    assert.match(errorOf(bare.body, 'reason') ?? '', /Un refus se motive/);
    const odd = await lyon.submit(page, page, { decision: 'maybe', reason: '' });
    assert.equal(odd.statusCode, 400);
    assert.ok(errorOf(odd.body, 'decision'));
    const nul = await lyon.submit(page, page, { decision: 'refuse', reason: 'Non\u0000' });
    assert.equal(nul.statusCode, 400);
    assert.ok(errorOf(nul.body, 'reason'));
    const file = await lyon.get(`${page}/fichier`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    // The coordinator of Montpellier (the exam's centre) may decide it too; a learner may not.
    assert.equal((await learner.get(page)).statusCode, 403);
    const done = await lyon.submit(page, page, { decision: 'approve', reason: '' });
    assert.equal(done.statusCode, 303);
    const again = await coordinator.post(page, { decision: 'refuse', reason: 'Trop tard.' });
    assert.equal(again.statusCode, 403, 'a form posted without its CSRF token');
    const decided = await coordinator.submit(page, page, { decision: 'refuse', reason: 'Trop tard.' }).catch((error: Error) => error.message);
    assert.match(String(decided), /no CSRF token|form/, 'a decided request shows no decision form');
  });

  it('Moving: « Je déménage » refuses a NUL byte, a missing postal code or an unknown centre next to the field; done, the confirmation says the units and credits follow', async () => {
    const form = await learner.get('/compte/demenagement');
    assert.equal(form.statusCode, 200);
    const fields = { address: '3 place Bellecour', addressComplement1: '', addressComplement2: '', postalCode: '69002', city: 'Lyon', country: 'FR', mobilePhone: '06 12 34 56 78', landlinePhone: '', centre: 'LYO' };
    const nul = await learner.submit('/compte/demenagement', '/compte/demenagement', { ...fields, city: 'Ly\u0000on' });
    assert.equal(nul.statusCode, 400);
    assert.ok(errorOf(nul.body, 'city'));
    const missing = await learner.submit('/compte/demenagement', '/compte/demenagement', { ...fields, postalCode: '', centre: 'ZZZ' });
    assert.equal(missing.statusCode, 400);
    assert.ok(errorOf(missing.body, 'postalCode'));
    const unknown = await learner.submit('/compte/demenagement', '/compte/demenagement', { ...fields, centre: 'ZZZ' });
    assert.equal(unknown.statusCode, 400);
    assert.match(errorOf(unknown.body, 'centre') ?? '', /Choisissez un centre/);
    assert.equal(valueOf(unknown.body, 'city'), 'Lyon');
    const done = await learner.submit('/compte/demenagement', '/compte/demenagement', fields);
    assert.equal(done.statusCode, 303);
    const confirmation = await learner.get(String(done.headers.location));
    assert.equal(confirmation.statusCode, 200);
    assert.match(confirmation.body, /Votre nouveau centre de rattachement : Centre de Lyon/);
    assert.match(confirmation.body, /Vos unités et vos crédits vous suivent/);
    const [session] = await t.db.select().from(examSessions).where(eq(examSessions.id, examId));
    assert.ok(session, 'the exam session is still there');
    assert.match(formHtml((await learner.get('/compte/demenagement')).body, '/compte/demenagement'), /value="Lyon"/);
  });
});
