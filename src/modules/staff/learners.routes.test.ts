import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, emailsTo, startTestApp, validRecord, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { auditLog } from '../../platform/platform.table';
import { createLearnerRecord, getLearnerProfile } from '../accounts';
import * as apps from '../applications/applications.service';
import { assignScope } from '../scopes';

const long = 'x'.repeat(10_000);
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];

describe('ACC-8 staff: learner search and name changes', () => {
  let t: TestApp;
  let deps: apps.ApplicationDeps;
  let coordinator: Client;
  let coordinatorId: string;
  let admin: Client;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'NOM1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'NOM2', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
    const c = await buildStaff(t.db, t.clock, 'coordinator');
    coordinatorId = c.userId;
    await assignScope(t.db, { userId: c.userId, sessions: ['NOM1'] });
    coordinator = new Client(t.app);
    await coordinator.loginStaff(c.email, c.totpSecret, t.clock);
    const a = await buildStaff(t.db, t.clock, 'admin');
    admin = new Client(t.app);
    await admin.loginStaff(a.email, a.totpSecret, t.clock);
  });
  after(() => t.close());

  /** A learner with an application to `session` (confirmed unless only `preselected`). */
  async function learnerIn(session: string, record: Partial<ReturnType<typeof validRecord>> = {}, options: { preselectedOnly?: boolean } = {}) {
    const learner = await buildLearner(t.db, t.clock, { record });
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: session });
    assert.ok(pre.ok);
    if (!options.preselectedOnly) {
      await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
    }
    const browser = new Client(t.app);
    await browser.login(learner.email);
    return { ...learner, browser, lastName: (await getLearnerProfile(t.db, learner.id))!.lastName };
  }

  async function askNameChange(learner: Awaited<ReturnType<typeof learnerIn>>, fields: Record<string, string>) {
    const sent = await learner.browser.submit('/compte', '/compte/nom', { birthName: '', reason: 'Mariage', ...fields });
    assert.equal(sent.headers.location, '/compte?message=nameChangeSent');
  }

  it('ACC-8 a coordinator finds the learners of their scope by name, email or birth date; a learner out of scope is neither found nor shown (403)', async () => {
    const inScope = await learnerIn('NOM1', { lastName: 'Lefèvre-Ndiaye', firstName: 'Zoé', birthDate: '1984-03-02' });
    const outOfScope = await learnerIn('NOM2', { lastName: 'Lefèvre-Martin', firstName: 'Zoé', birthDate: '1984-03-02' });
    const basketOnly = await learnerIn('NOM1', { lastName: 'Lefèvre-Panier', firstName: 'Zoé', birthDate: '1984-03-02' }, { preselectedOnly: true });
    const found = (html: string) => [...html.matchAll(/href="\/personnel\/apprenants\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

    for (const q of ['lefevre', 'LEFÈVRE ndiaye', 'zoe lefevre', inScope.email.toUpperCase()]) {
      const page = await coordinator.get(`/personnel/apprenants?q=${encodeURIComponent(q)}`);
      assert.equal(page.statusCode, 200, q);
      assert.deepEqual(found(page.body), [inScope.id], q);
      assert.equal(valueOf(page.body, 'q'), q.replace(/&/g, '&amp;'), 'what was typed is kept');
    }
    const byBirth = await coordinator.get('/personnel/apprenants?naissance=2%2F3%2F1984');
    assert.deepEqual(found(byBirth.body), [inScope.id], 'the same birth date out of scope is not found');
    assert.deepEqual(found((await coordinator.get(`/personnel/apprenants?q=${outOfScope.email}`)).body), []);
    assert.match((await coordinator.get('/personnel/apprenants?q=martin')).body, /Aucun apprenant de votre périmètre ne correspond/);

    assert.equal((await coordinator.get(`/personnel/apprenants/${inScope.id}`)).statusCode, 200);
    assert.equal((await coordinator.get(`/personnel/apprenants/${outOfScope.id}`)).statusCode, 403);
    assert.equal((await coordinator.get(`/personnel/apprenants/${basketOnly.id}`)).statusCode, 403, 'a basket is not an application');

    // An administrator sees every learner.
    assert.deepEqual(found((await admin.get('/personnel/apprenants?naissance=1984-03-02')).body).sort(), [inScope.id, outOfScope.id, basketOnly.id].sort());
    assert.equal((await admin.get(`/personnel/apprenants/${outOfScope.id}`)).statusCode, 200);
  });

  it('ACC-8 applying a name change: the record changes, the request closes, an audit row and an email in the learner’s language', async () => {
    const learner = await learnerIn('NOM1', { lastName: 'Petit', firstName: 'Jeanne', birthDate: '1979-11-30' });
    await learner.browser.get('/langue/en?retour=/compte');
    await askNameChange(learner, { lastName: 'Petit-Durand', firstName: 'Jeanne', birthName: 'Petit' });
    const pending = await coordinator.get('/personnel/apprenants');
    assert.match(pending.body, new RegExp(`href="/personnel/apprenants/${learner.id}">PETIT Jeanne</a>`), 'the search page lists the requests waiting');
    const page = `/personnel/apprenants/${learner.id}`;
    assert.match((await coordinator.get(page)).body, /Petit-Durand/);

    const applied = await coordinator.submit(page, `${page}/nom/appliquer`, {}, { keepForm: true });
    assert.equal(applied.statusCode, 303);
    assert.equal(applied.headers.location, `${page}?message=applied`);
    const after = await coordinator.get(applied.headers.location as string);
    assert.match(after.body, /Le changement de nom est appliqué/);
    assert.match(after.body, /Aucune demande en attente/);

    const profile = (await getLearnerProfile(t.db, learner.id))!;
    assert.deepEqual([profile.lastName, profile.firstName, profile.birthName], ['Petit-Durand', 'Jeanne', 'Petit']);
    assert.equal(profile.identityKey, 'petitdurand|jeanne|1979-11-30', 'ACC-5 follows the new name');
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'learner.name_change_applied'), eq(auditLog.subjectId, learner.id)));
    assert.equal(row.actorId, coordinatorId);
    assert.deepEqual((row.data as { from: { lastName: string } }).from.lastName, 'Petit');
    const [mail] = await emailsTo(t.db, learner.email);
    assert.equal(mail.subject, 'Your name has been corrected');
    assert.match(mail.text, /Jeanne Petit-Durand/);
    assert.match((await learner.browser.get('/compte')).body, /Petit-Durand/);
    assert.doesNotMatch((await learner.browser.get('/compte')).body, /Request pending|Demande en cours/);

    const again = await coordinator.post(`${page}/nom/appliquer`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(after.body)![1], demande: String(row.data && (row.data as { requestId: string }).requestId) });
    assert.equal(again.statusCode, 409, 'a request is decided once');
    assert.match(again.body, /déjà été traitée/);
    const other = await buildLearner(t.db, t.clock, { record: null });
    assert.equal(await createLearnerRecord({ db: t.db, clock: t.clock }, { userId: other.id, record: { ...validRecord(), lastName: 'PETIT DURAND', firstName: 'jeanne', birthDate: '1979-11-30' } }), 'duplicate_person');
  });

  it('ACC-8 declining a name change keeps the name and tells the learner why; a name another record has is refused', async () => {
    const learner = await learnerIn('NOM1', { lastName: 'Moreau', firstName: 'Paul', birthDate: '1990-01-15' });
    await askNameChange(learner, { lastName: 'Moreau-Blanc', firstName: 'Paul' });
    const page = `/personnel/apprenants/${learner.id}`;
    const declined = await coordinator.submit(page, `${page}/nom/refuser`, { motif: 'Joignez une copie de l’acte de mariage.' }, { keepForm: true });
    assert.equal(declined.headers.location, `${page}?message=declined`);
    assert.equal((await getLearnerProfile(t.db, learner.id))!.lastName, 'Moreau');
    const [mail] = await emailsTo(t.db, learner.email);
    assert.equal(mail.subject, 'Votre demande de correction de nom');
    assert.match(mail.text, /Joignez une copie de l’acte de mariage\./);
    assert.equal((await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'learner.name_change_declined'), eq(auditLog.subjectId, learner.id)))).length, 1);
    assert.match((await learner.browser.get('/compte')).body, /Moreau/);

    // Someone else already has the name asked for, with the same birth date (ACC-5).
    await buildLearner(t.db, t.clock, { record: { lastName: 'Moreau-Blanc', firstName: 'Paul', birthDate: '1990-01-15' } });
    await askNameChange(learner, { lastName: 'Moreau Blanc', firstName: 'Paul' });
    const refused = await coordinator.submit(page, `${page}/nom/appliquer`, {}, { keepForm: true });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Une autre fiche porte déjà ce nom/);
    assert.equal((await getLearnerProfile(t.db, learner.id))!.lastName, 'Moreau');
  });

  it('ACC-8 trainers and school heads get 403; the page link shows for coordinators and administrators only', async () => {
    const learner = await learnerIn('NOM1');
    await askNameChange(learner, { lastName: 'Autre', firstName: 'Nom' });
    for (const role of ['trainer', 'school_head'] as const) {
      const staff = await buildStaff(t.db, t.clock, role);
      await assignScope(t.db, { userId: staff.userId, sessions: ['NOM1'] });
      const browser = new Client(t.app);
      await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
      assert.doesNotMatch((await browser.get('/personnel')).body, /href="\/personnel\/apprenants"/, role);
      assert.equal((await browser.get('/personnel/apprenants?q=autre')).statusCode, 403, role);
      assert.equal((await browser.get(`/personnel/apprenants/${learner.id}`)).statusCode, 403, role);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/personnel')).body)![1];
      assert.equal((await browser.post(`/personnel/apprenants/${learner.id}/nom/appliquer`, { _csrf: csrf, demande: learner.id })).statusCode, 403, role);
    }
    assert.match((await coordinator.get('/personnel')).body, /href="\/personnel\/apprenants"/);
    assert.match((await admin.get('/personnel')).body, /href="\/personnel\/apprenants"/);
    assert.equal((await learner.browser.get('/personnel/apprenants')).statusCode, 403);
    assert.equal((await getLearnerProfile(t.db, learner.id))!.lastName, learner.lastName);
  });

  it('ACC-8 bad input on the learner pages is explained, what was typed is kept, never a 500', async () => {
    const learner = await learnerIn('NOM1');
    await askNameChange(learner, { lastName: 'Nouveau', firstName: 'Prénom' });
    const nul = await coordinator.get(`/personnel/apprenants?q=${encodeURIComponent('abc\u0000def')}`);
    assert.equal(nul.statusCode, 400);
    assert.deepEqual(errorsOf(nul.body), [['q', 'Ce texte contient un caractère invisible qui n’est pas accepté : retapez-le.']]);
    const huge = await coordinator.get(`/personnel/apprenants?q=${long}`);
    assert.equal(huge.statusCode, 400);
    assert.deepEqual(errorsOf(huge.body), [['q', 'Ce texte est trop long (200 caractères au maximum).']]);
    const badDate = await coordinator.get('/personnel/apprenants?q=nouveau&naissance=31%2F02%2F1990');
    assert.equal(badDate.statusCode, 400);
    assert.deepEqual(errorsOf(badDate.body), [['naissance', 'Saisissez une date valide, par exemple 14/07/1985.']]);
    assert.equal(valueOf(badDate.body, 'naissance'), '31/02/1990');
    assert.equal(valueOf(badDate.body, 'q'), 'nouveau');
    assert.equal((await coordinator.get('/personnel/apprenants?q=a&q=b')).statusCode, 400);
    for (const q of ['%', '_', '\\', "'; drop table users; --", '@', '😀']) assert.equal((await coordinator.get(`/personnel/apprenants?q=${encodeURIComponent(q)}`)).statusCode, 200, q);

    for (const id of ['abc', '00000000-0000-0000-0000-000000000000', 'x'.repeat(250), '%00']) {
      const status = (await coordinator.get(`/personnel/apprenants/${id}`)).statusCode;
      assert.ok([404, 400].includes(status), `${id.slice(0, 20)}: ${status}`);
    }
    assert.equal((await coordinator.get(`/personnel/apprenants/${'x'.repeat(400)}`)).statusCode, 414);

    const page = `/personnel/apprenants/${learner.id}`;
    const tooLong = await coordinator.submit(page, `${page}/nom/refuser`, { motif: long }, { keepForm: true });
    assert.equal(tooLong.statusCode, 400);
    assert.deepEqual(errorsOf(tooLong.body), [['motif', 'Ce texte est trop long (1000 caractères au maximum).']]);
    const withNul = await coordinator.submit(page, `${page}/nom/refuser`, { motif: 'Pièce\u0000manquante' }, { keepForm: true });
    assert.equal(withNul.statusCode, 400);
    assert.equal(errorsOf(withNul.body)[0][0], 'motif');
    for (const demande of ['abc', long, '00000000-0000-0000-0000-000000000000', '\u0000']) {
      const stale = await coordinator.submit(page, `${page}/nom/appliquer`, { demande });
      assert.ok([400, 409].includes(stale.statusCode), `${demande.slice(0, 10)}: ${stale.statusCode}`);
      assert.match(stale.body, /déjà été traitée ou remplacée/);
    }
    const missing = await coordinator.post(`${page}/nom/appliquer`, { _csrf: /name="_csrf" value="([^"]+)"/.exec((await coordinator.get(page)).body)![1] });
    assert.equal(missing.statusCode, 400);
    for (const id of ['abc', '00000000-0000-0000-0000-000000000000']) {
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await coordinator.get(page)).body)![1];
      const response = await coordinator.post(`/personnel/apprenants/${id}/nom/refuser`, { _csrf: csrf, demande: learner.id, motif: 'x' });
      assert.equal(response.statusCode, 404, id);
    }
    assert.equal((await getLearnerProfile(t.db, learner.id))!.lastName, learner.lastName, 'nothing changed');
  });

  it('ACC-11 opening a learner’s page is traced (learner.file_viewed: the staff member, the learner), once an hour per staff member; out of scope, nothing', async () => {
    const learner = await learnerIn('NOM1');
    const outside = await learnerIn('NOM2');
    const traces = async (learnerId: string) =>
      (await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'learner.file_viewed'), eq(auditLog.subjectId, learnerId)))).map((r) => r.actorId);
    assert.equal((await coordinator.get(`/personnel/apprenants/${learner.id}`)).statusCode, 200);
    assert.equal((await coordinator.get(`/personnel/apprenants/${learner.id}`)).statusCode, 200);
    assert.deepEqual(await traces(learner.id), [coordinatorId], 'twice within the hour: one trace');
    for (const minutes of [20, 20, 21]) {
      t.clock.advance(minutes * 60_000); // the session stays alive: a page every 20 minutes
      assert.equal((await coordinator.get('/personnel')).statusCode, 200);
    }
    await coordinator.get(`/personnel/apprenants/${learner.id}`);
    assert.deepEqual(await traces(learner.id), [coordinatorId, coordinatorId]);
    assert.equal((await coordinator.get(`/personnel/apprenants/${outside.id}`)).statusCode, 403);
    assert.deepEqual(await traces(outside.id), [], 'a refused page is no view');
  });
});
