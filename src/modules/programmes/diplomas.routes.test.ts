import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildLearner, buildStaff, Client, startTestApp, type TestApp } from '../../../test/app';
import { samples, type Part } from '../../../test/multipart';
import { buildUnits } from '../../../test/units';
import { catalogueIds } from '../catalogue';
import { recordEarnedUnit } from '../certification';
import { saveProgramme } from './programmes.service';

const errorOf = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>([^<]+)<`).exec(html)?.[1];
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const certificate = { code: 'CC-RT', title: 'Certificat de test', kind: 'certificate', required_credits: '18', mandatory: 'RA01', choose_1: '1', units_1: 'RB01, RB02' };

describe('diplomas routes (CRED-4): bad input is a clear message, never a 500', () => {
  let t: TestApp;
  let ids: Map<string, number>;
  let admin: Client;
  let adminId: string;
  const people: Record<'incomplete' | 'complete' | 'other', { client: Client; id: string }> = {} as never;

  const earn = (learnerId: string, codes: string[]) =>
    t.db.transaction(async (tx) => {
      for (const code of codes) await recordEarnedUnit(tx, t.clock, { learnerId, courseId: ids.get(code)!, earnedOn: '2026-06-01' });
    });
  /** Posts a form with the CSRF token of a page the learner has open (the page has no form of its own to this action). */
  async function postFrom(client: Client, page: string, action: string, fields: Record<string, string> = {}) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await client.get(page)).body)?.[1];
    assert.ok(csrf, `a CSRF token on ${page}`);
    return client.post(action, { _csrf: decode(csrf), ...fields });
  }
  const page = '/compte/cursus/CC-RT/diplome';
  const duplicate = '/compte/cursus/CC-RT/duplicata';
  const parts = (reason: string | null, file?: { data: Buffer; filename: string; type?: string }): Part[] => [
    ...(reason === null ? [] : [{ name: 'reason', value: reason }]),
    ...(file ? [{ name: 'file', filename: file.filename, type: file.type ?? 'application/pdf', data: file.data }] : []),
  ];

  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-02T10:00:00Z'), config: { CURSUS_PROFILE: 'credits' } });
    await buildUnits(t.db, [
      { code: 'RA01', credits: 6, title: 'Unité obligatoire' },
      { code: 'RB01', credits: 12, title: 'Unité au choix' },
      { code: 'RB02', credits: 6 },
    ]);
    ids = (await catalogueIds(t.db, { courses: ['RA01', 'RB01', 'RB02'] })).courses;
    const staff = await buildStaff(t.db, t.clock, 'admin');
    adminId = staff.userId;
    assert.equal((await saveProgramme({ db: t.db, clock: t.clock }, { actor: { id: adminId, role: 'admin' }, values: certificate, creating: true })).ok, true);
    admin = new Client(t.app);
    await admin.loginStaff(staff.email, staff.totpSecret, t.clock);
    for (const who of ['incomplete', 'complete', 'other'] as const) {
      const user = await buildLearner(t.db, t.clock);
      const client = new Client(t.app);
      await client.login(user.email);
      people[who] = { client, id: user.id };
    }
    await earn(people.incomplete.id, ['RB02']);
    await earn(people.complete.id, ['RA01', 'RB01']);
  });
  after(() => t.close());

  it('CRED-4 a diploma asked for before the programme is complete: the page says what is missing, no button; a forced request is a 409 saying what is missing, nothing recorded', async () => {
    const { client, id } = people.incomplete;
    const shown = await client.get(page);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Ce cursus n’est pas encore complet. Il vous manque :/);
    assert.match(shown.body, /12 crédits ECTS/);
    assert.match(shown.body, /les unités obligatoires RA01/);
    assert.doesNotMatch(shown.body, /Demander mon diplôme/);
    const forced = await postFrom(client, page, page);
    assert.equal(forced.statusCode, 409);
    assert.match(forced.body, /Votre demande n’est pas enregistrée : ce cursus n’est pas encore complet/);
    assert.match(forced.body, /les unités obligatoires RA01/);
    const rows = await t.db.execute(sql`select 1 from diploma_requests where learner_id = ${id}`);
    assert.equal(rows.rows.length, 0);
  });

  it('CRED-4 a diploma asked for twice: the second is a 409 with a clear message, one request recorded', async () => {
    const { client, id } = people.complete;
    const shown = await client.get(page);
    assert.match(shown.body, /Toutes les conditions sont remplies/);
    const first = await client.submit(page, page, {});
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/compte/cursus/CC-RT/diplome?message=demande');
    const twice = await postFrom(client, page, page);
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /Vous avez déjà demandé ce diplôme : votre demande attend sa décision./);
    const rows = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from diploma_requests where learner_id = ${id}`);
    assert.equal(rows.rows[0].n, 1);
  });

  it('CRED-4 a form without its CSRF token, or with a forged one, is a 403 and records nothing', async () => {
    const { client, id } = people.incomplete;
    await earn(id, ['RA01', 'RB01']);
    assert.equal((await client.post(page, {})).statusCode, 403);
    assert.equal((await client.post(page, { _csrf: 'forged' })).statusCode, 403);
    assert.equal((await client.postMultipart(duplicate, parts('lost', { data: samples.pdf, filename: 'declaration.pdf' }))).statusCode, 403);
    const queue = await admin.get('/personnel/diplomes');
    const decide = /href="\/personnel\/diplomes\/([0-9a-f-]{36})"/.exec(queue.body)?.[1];
    assert.ok(decide);
    assert.equal((await admin.post(`/personnel/diplomes/${decide}`, { decision: 'grant' })).statusCode, 403);
    assert.equal((await t.db.execute(sql`select 1 from diploma_requests where learner_id = ${id}`)).rows.length, 0);
    assert.equal((await t.db.execute(sql`select 1 from diploma_requests where status <> 'pending'`)).rows.length, 0);
  });

  it('CRED-4 a duplicate: before a diploma is granted refused with a message; without proof, a text renamed .pdf, a wrong reason or a NUL byte said next to the field, what was chosen kept', async () => {
    const { client, id } = people.complete;
    // No diploma yet: the page shows no duplicate form; a forced one is refused with a message.
    assert.doesNotMatch((await client.get(page)).body, /action="\/compte\/cursus\/CC-RT\/duplicata"/);
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec((await client.get(page)).body)![1]);
    const forced = await client.postMultipart(duplicate, [{ name: '_csrf', value: csrf }, ...parts('lost', { data: samples.pdf, filename: 'declaration.pdf' })]);
    assert.equal(forced.statusCode, 409);
    assert.match(forced.body, /Un duplicata se demande pour un diplôme déjà délivré./);
    // The administrator grants the diploma.
    const [request] = (await t.db.execute<{ id: string }>(sql`select id from diploma_requests where learner_id = ${id}`)).rows;
    const granted = await admin.submit(`/personnel/diplomes/${request.id}`, `/personnel/diplomes/${request.id}`, { decision: 'grant', reason: '' });
    assert.equal(granted.statusCode, 303);
    const noFile = await client.submitMultipart(page, duplicate, parts('stolen'));
    assert.equal(noFile.statusCode, 400);
    assert.ok(errorOf(noFile.body, 'file'), 'the missing proof said next to its field');
    assert.match(noFile.body, /value="stolen"[^>]*checked|checked[^>]*value="stolen"/, 'the reason chosen is kept');
    const text = await client.submitMultipart(page, duplicate, parts('stolen', { data: samples.text, filename: 'plainte.pdf' }));
    assert.equal(text.statusCode, 400);
    assert.ok(errorOf(text.body, 'file'));
    const wrong = await client.submitMultipart(page, duplicate, parts('burnt', { data: samples.pdf, filename: 'plainte.pdf' }));
    assert.equal(wrong.statusCode, 400);
    assert.equal(errorOf(wrong.body, 'reason'), 'Dites si votre diplôme a été perdu, détruit ou volé.');
    const none = await client.submitMultipart(page, duplicate, parts(null, { data: samples.pdf, filename: 'plainte.pdf' }));
    assert.equal(none.statusCode, 400);
    assert.ok(errorOf(none.body, 'reason'));
    const nul = await client.submitMultipart(page, duplicate, parts('lo\u0000st', { data: samples.pdf, filename: 'pla\u0000inte.pdf' }));
    assert.equal(nul.statusCode, 400);
    assert.ok(errorOf(nul.body, 'reason'));
    assert.equal((await t.db.execute(sql`select 1 from diploma_requests where learner_id = ${id} and kind = 'duplicate'`)).rows.length, 0);
    const ok = await client.submitMultipart(page, duplicate, parts('lost', { data: samples.pdf, filename: 'declaration.pdf' }));
    assert.equal(ok.statusCode, 303);
    // One pending at a time: the form is gone, a forced second one is refused.
    const again = await client.postMultipart(duplicate, [{ name: '_csrf', value: csrf }, ...parts('stolen', { data: samples.pdf, filename: 'declaration.pdf' })]);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Vous avez déjà demandé un duplicata/);
  });

  it('CRED-4 odd codes and ids, NUL bytes, huge values: the 404 page, never a 500', async () => {
    const { client } = people.other;
    for (const url of [
      '/compte/cursus/INCONNU/diplome',
      '/compte/cursus/%00/diplome',
      `/compte/cursus/${'A'.repeat(80)}/diplome`,
      '/compte/cursus/CC%2FRT/diplome',
      '/compte/cursus/unites/%00/attestation.pdf',
      '/compte/cursus/unites/RA01/attestation.pdf', // a unit they did not earn
      '/compte/cursus/unites/99999999999999999999/attestation.pdf',
      '/compte/cursus/CC-RT/diplome.pdf', // no diploma granted
      '/compte/cursus/CC-RT/duplicata/pas-un-id/justificatif',
    ]) {
      const response = await client.get(url);
      assert.ok([400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
    }
    assert.equal((await client.get('/compte/cursus/releve.pdf')).statusCode, 404, 'no unit earned: no transcript');
    assert.equal((await client.get('/compte/cursus/CC-RT/diplome?message=%00')).statusCode, 400);
    for (const url of ['/personnel/diplomes/pas-un-id', '/personnel/diplomes/%00', '/personnel/diplomes/00000000-0000-4000-8000-000000000000', '/personnel/diplomes/00000000-0000-4000-8000-000000000000/justificatif']) {
      const response = await admin.get(url);
      assert.ok([400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
    }
    const nul = await postFrom(client, page, '/compte/cursus/CC%00RT/diplome');
    assert.ok([400, 404].includes(nul.statusCode), String(nul.statusCode));
  });

  it('CRED-4 someone else’s documents: another learner’s proof file is a 404, their diploma is not served; the staff pages are 403 to a learner', async () => {
    const [theirs] = (await t.db.execute<{ id: string }>(sql`select id from diploma_requests where learner_id = ${people.complete.id} and kind = 'duplicate'`)).rows;
    assert.ok(theirs);
    const [original] = (await t.db.execute<{ id: string }>(sql`select id from diploma_requests where learner_id = ${people.complete.id} and kind = 'original'`)).rows;
    const { client } = people.other;
    // Their own proof file is theirs to open.
    assert.equal((await people.complete.client.get(`/compte/cursus/CC-RT/duplicata/${theirs.id}/justificatif`)).statusCode, 200);
    assert.equal((await client.get(`/compte/cursus/CC-RT/duplicata/${theirs.id}/justificatif`)).statusCode, 404);
    assert.equal((await client.get('/compte/cursus/CC-RT/diplome.pdf')).statusCode, 404);
    assert.equal((await people.complete.client.get('/compte/cursus/CC-RT/diplome.pdf')).statusCode, 200);
    assert.equal((await client.get('/personnel/diplomes')).statusCode, 403);
    assert.equal((await client.get(`/personnel/diplomes/${original.id}`)).statusCode, 403);
    assert.equal((await client.get(`/personnel/diplomes/${theirs.id}/justificatif`)).statusCode, 403);
    assert.equal((await postFrom(client, page, `/personnel/diplomes/${theirs.id}`, { decision: 'grant', reason: '' })).statusCode, 403);
    // A coordinator does not decide diplomas either.
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    const staff = new Client(t.app);
    await staff.loginStaff(coordinator.email, coordinator.totpSecret, t.clock);
    assert.equal((await staff.get(`/personnel/diplomes/${theirs.id}`)).statusCode, 403);
    const [still] = (await t.db.execute<{ status: string }>(sql`select status from diploma_requests where id = ${theirs.id}`)).rows;
    assert.equal(still.status, 'pending');
  });

  it('CRED-4 the administrator’s decision: a refusal without a reason, a wrong decision or a NUL byte is a 400 next to the field, what was typed kept; decided twice, a clear 409', async () => {
    const [dup] = (await t.db.execute<{ id: string }>(sql`select id from diploma_requests where learner_id = ${people.complete.id} and kind = 'duplicate'`)).rows;
    const url = `/personnel/diplomes/${dup.id}`;
    const noReason = await admin.submit(url, url, { decision: 'refuse', reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.equal(errorOf(noReason.body, 'reason'), 'Dites pourquoi la demande est refusée : l’apprenant le lira.');
    const wrong = await admin.submit(url, url, { decision: 'maybe', reason: 'Peut-être <b>' });
    assert.equal(wrong.statusCode, 400);
    assert.ok(errorOf(wrong.body, 'decision'));
    assert.match(wrong.body, /Peut-être &lt;b>/, 'what was typed is kept, escaped');
    const nul = await admin.submit(url, url, { decision: 'refuse', reason: 'Non\u0000' });
    assert.equal(nul.statusCode, 400);
    const long = await admin.submit(url, url, { decision: 'refuse', reason: 'x'.repeat(501) });
    assert.equal(long.statusCode, 400);
    assert.ok(errorOf(long.body, 'reason'));
    const refused = await admin.submit(url, url, { decision: 'refuse', reason: 'La déclaration de perte n’est pas signée.' });
    assert.equal(refused.statusCode, 303);
    const stale = await postFrom(admin, '/personnel/diplomes', url, { decision: 'grant', reason: '' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Cette demande a déjà été décidée/);
  });
});
