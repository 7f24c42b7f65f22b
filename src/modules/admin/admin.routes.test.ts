import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, GOOD_PASSWORD, buildLearner, buildStaff, emailsTo, linkIn, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { auditLog } from '../../platform/platform.table';
import { getPolicies } from '../../platform/policies';
import { findUserByEmail } from '../accounts';
import { importCatalogue } from '../catalogue/catalogue.import';
import { courseSessions, courses, domains, registrationPeriods, schools } from '../catalogue/catalogue.table';
import { scopeOf } from '../scopes';

describe('administration: settings, staff accounts, catalogue forms', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [{ code: 'ADM1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    const staff = await buildStaff(t.db, t.clock, 'admin');
    adminId = staff.userId;
    admin = new Client(t.app);
    await admin.loginStaff(staff.email, staff.totpSecret, t.clock);
  });
  after(() => t.close());

  it('only an administrator reaches these pages (403 for other staff and learners)', async () => {
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    const other = new Client(t.app);
    await other.loginStaff(coordinator.email, coordinator.totpSecret, t.clock);
    const learner = await buildLearner(t.db, t.clock);
    const learnerBrowser = new Client(t.app);
    await learnerBrowser.login(learner.email);
    for (const url of ['/personnel/admin', '/personnel/admin/reglages', '/personnel/admin/comptes', '/personnel/admin/catalogue', '/personnel/admin/catalogue/sessions/ADM1']) {
      assert.equal((await other.get(url)).statusCode, 403, url);
      assert.equal((await learnerBrowser.get(url)).statusCode, 403, url);
      assert.equal((await admin.get(url)).statusCode, 200, url);
    }
    assert.equal((await other.post('/personnel/admin/reglages', { _csrf: 'x', offerReplyHours: '1' })).statusCode, 403);
  });

  it('settings: a wrong value is refused next to its field and kept; a right one applies and is logged', async () => {
    const bad = await admin.submit('/personnel/admin/reglages', '/personnel/admin/reglages', { offerReplyHours: 'trois jours' }, { keepForm: true });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Indiquez un nombre entier entre 1 et 336/);
    assert.match(bad.body, /value="trois jours"/);
    assert.equal((await getPolicies(t.db)).offerReplyHours, 72, 'nothing saved');
    const good = await admin.submit('/personnel/admin/reglages', '/personnel/admin/reglages', { offerReplyHours: '48' }, { keepForm: true });
    assert.equal(good.headers.location, '/personnel/admin/reglages?message=saved');
    assert.equal((await getPolicies(t.db)).offerReplyHours, 48);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'admin.policy'));
    assert.deepEqual(row.data, { key: 'offerReplyHours', from: 72, to: 48, default: 72 });
  });

  it('staff accounts: unknown codes or a taken address are refused; a new account gets its scope, its key once and a link to choose a password', async () => {
    const page = '/personnel/admin/comptes';
    const unknown = await admin.submit(page, page, { email: 'nouvelle.formatrice@example.org', displayName: 'Nouvelle Formatrice', role: 'trainer', sessions: 'ADM1, NOPE' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Codes inconnus : NOPE/);
    assert.match(unknown.body, /value="ADM1, NOPE"/);
    assert.equal(await findUserByEmail(t.db, 'nouvelle.formatrice@example.org'), null, 'nothing created');
    const created = await admin.submit(page, page, { email: 'Nouvelle.Formatrice@example.org', displayName: 'Nouvelle Formatrice', role: 'trainer', sessions: 'ADM1' });
    assert.equal(created.statusCode, 200);
    assert.match(created.body, /Compte créé pour nouvelle.formatrice@example.org/);
    assert.match(created.body, /otpauth:\/\/totp\//);
    assert.equal(created.headers['cache-control'], 'no-store');
    const user = (await findUserByEmail(t.db, 'nouvelle.formatrice@example.org'))!;
    assert.equal(user.role, 'trainer');
    const scope = await scopeOf(t.db, { id: user.id, role: 'trainer' });
    assert.equal(!scope.all && scope.sessionIds.length, 1);
    const [mail] = await emailsTo(t.db, 'nouvelle.formatrice@example.org');
    assert.match(mail.text, /\/mot-de-passe\//);
    const again = await admin.submit(page, page, { email: 'nouvelle.formatrice@example.org', displayName: 'X', role: 'trainer' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /Un compte existe déjà avec cette adresse/);
    // Editing: scope replaced, unknown codes refused, the account disabled (its sessions end).
    const edit = `/personnel/admin/comptes/${user.id}`;
    assert.match((await admin.get(edit)).body, /value="ADM1"/);
    const badEdit = await admin.submit(edit, edit, { sessions: 'ZZZ' }, { keepForm: true });
    assert.equal(badEdit.statusCode, 400);
    assert.match(badEdit.body, /Codes inconnus : ZZZ/);
    const trainerBrowser = new Client(t.app);
    const link = linkIn(mail.text, '/mot-de-passe/');
    await trainerBrowser.submit(link, link, { password: GOOD_PASSWORD, passwordConfirm: GOOD_PASSWORD });
    await trainerBrowser.loginStaff(user.email, user.totpSecret!, t.clock);
    assert.equal((await trainerBrowser.get('/personnel')).statusCode, 200);
    const disabled = await admin.submit(edit, edit, { sessions: '', role: 'coordinator', active: 'no' }, { keepForm: true });
    assert.equal(disabled.statusCode, 303);
    const after = (await findUserByEmail(t.db, user.email))!;
    assert.deepEqual([after.role, after.status], ['coordinator', 'disabled']);
    assert.equal((await trainerBrowser.get('/personnel')).statusCode, 303, 'logged out: back to the login page');
    const self = `/personnel/admin/comptes/${adminId}`;
    const selfDisable = await admin.submit(self, self, { active: 'no' }, { keepForm: true });
    assert.equal(selfDisable.statusCode, 400);
    assert.match(selfDisable.body, /Vous ne pouvez pas désactiver votre propre compte/);
    const empty = await admin.submit(page, page, { email: '', displayName: '', role: 'pirate' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Choisissez une des options proposées/);
  });

  it('ACC-12 staff accounts: two submits of one address at once make one account; the other is told next to the email field, never a 500', async () => {
    const page = '/personnel/admin/comptes';
    const email = 'double.clic@example.org';
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(page)).body)![1];
    const fields = { _csrf: csrf, email, displayName: 'Double Clic', role: 'coordinator', sessions: 'ADM1' };
    const answers = await Promise.all([admin.post(page, fields), admin.post(page, fields)]);
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 400]);
    const refused = answers.find((a) => a.statusCode === 400)!;
    assert.match(refused.body, /id="email-error">Un compte existe déjà avec cette adresse/);
    assert.match(refused.body, /value="Double Clic"/, 'what was typed is kept');
    const account = (await findUserByEmail(t.db, email))!;
    assert.equal(account.displayName, 'Double Clic');
    const created = await t.db.select().from(auditLog).where(eq(auditLog.action, 'admin.staffCreated'));
    assert.equal(created.filter((r) => r.subjectId === account.id).length, 1, 'one account (the address is unique), audited once');
    assert.equal((await emailsTo(t.db, email)).length, 1, 'one link to choose a password');
    const scope = await scopeOf(t.db, { id: account.id, role: 'coordinator' });
    assert.equal(!scope.all && scope.sessionIds.length, 1);

    const again = await admin.submit(page, page, { email: 'DOUBLE.clic@example.org', displayName: 'Encore', role: 'trainer' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /id="email-error">Un compte existe déjà avec cette adresse/);
    assert.match(again.body, /value="Encore"/);
    assert.equal((await findUserByEmail(t.db, email))!.id, account.id);
  });

  it('catalogue forms: the import’s checks, next to each field; create a school, edit a session', async () => {
    const bad = await admin.submit('/personnel/admin/catalogue/etablissements/nouveau', '/personnel/admin/catalogue/etablissements', {
      nouveau: '1',
      code: 'E-12-N',
      name: 'Nouvelle école',
      arrondissement: '25',
      address: '3 rue Neuve',
      postal_code: '7501',
      city: 'Paris',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /un arrondissement de 1 à 20, ou vide/);
    assert.match(bad.body, /cinq chiffres/);
    assert.match(bad.body, /value="Nouvelle école"/);
    const good = await admin.submit('/personnel/admin/catalogue/etablissements/nouveau', '/personnel/admin/catalogue/etablissements', {
      nouveau: '1',
      code: 'E-12-N',
      name: 'Nouvelle école',
      arrondissement: '12',
      address: '3 rue Neuve',
      postal_code: '75012',
      city: 'Paris',
    });
    assert.equal(good.statusCode, 303);
    assert.match((await admin.get(good.headers.location as string)).body, /Fiche E-12-N enregistrée/);
    assert.equal((await t.db.select().from(schools).where(eq(schools.code, 'E-12-N'))).length, 1);
    const taken = await admin.submit('/personnel/admin/catalogue/etablissements/nouveau', '/personnel/admin/catalogue/etablissements', {
      nouveau: '1',
      code: 'E-12-N',
      name: 'Doublon',
      arrondissement: '12',
      address: '3 rue Neuve',
      postal_code: '75012',
      city: 'Paris',
    });
    assert.match(taken.body, /Ce code existe déjà/);

    // A period: dates and times as people write them, on Paris's clocks.
    const period = await admin.get('/personnel/admin/catalogue/periodes/open');
    assert.match(period.body, /value="\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}"/);
    const badPeriod = await admin.submit('/personnel/admin/catalogue/periodes/open', '/personnel/admin/catalogue/periodes', { applications_close_at: 'demain soir' }, { keepForm: true });
    assert.equal(badPeriod.statusCode, 400);
    assert.match(badPeriod.body, /une date et une heure comme 25\/08\/2026 09:00/);
    assert.equal((await admin.submit('/personnel/admin/catalogue/periodes/open', '/personnel/admin/catalogue/periodes', { applications_close_at: '30/11/2026 23h59' }, { keepForm: true })).statusCode, 303);
    const [open] = await t.db.select().from(registrationPeriods).where(eq(registrationPeriods.code, 'open'));
    assert.equal(open.applicationsCloseAt.toISOString(), '2026-11-30T22:59:00.000Z');
    // SVC-5: until when the held share of places waits for assisted applications: after the close.
    const early = await admin.submit('/personnel/admin/catalogue/periodes/open', '/personnel/admin/catalogue/periodes', { assisted_places_until: '20/11/2026 18:00' }, { keepForm: true });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /id="assisted_places_until-error">[^<]*les places réservées à l’accompagnement se libèrent après la clôture des candidatures/);
    assert.match(early.body, /value="20\/11\/2026 18:00"/, 'what was typed is kept');
    assert.equal((await admin.submit('/personnel/admin/catalogue/periodes/open', '/personnel/admin/catalogue/periodes', { assisted_places_until: '10/12/2026 18:00' }, { keepForm: true })).statusCode, 303);
    const [held] = await t.db.select().from(registrationPeriods).where(eq(registrationPeriods.code, 'open'));
    assert.equal(held.assistedPlacesUntil?.toISOString(), '2026-12-10T17:00:00.000Z');
    assert.match((await admin.get('/personnel/admin/catalogue/periodes/open')).body, /name="assisted_places_until"[^>]*value="10\/12\/2026 18:00"|value="10\/12\/2026 18:00"[^>]*name="assisted_places_until"/);

    // Editing a session: its form comes filled in from the database.
    const form = await admin.get('/personnel/admin/catalogue/sessions/ADM1');
    assert.match(form.body, /value="lundi 18:30-20:30"/);
    const values = Object.fromEntries([...form.body.matchAll(/<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    const unknownCourse = await admin.submit('/personnel/admin/catalogue/sessions/ADM1', '/personnel/admin/catalogue/sessions', { ...values, course: 'NOPE', runs_in_school_holidays: 'non' });
    assert.equal(unknownCourse.statusCode, 400);
    assert.match(unknownCourse.body, /cours inconnu : NOPE/);
    const edited = await admin.submit('/personnel/admin/catalogue/sessions/ADM1', '/personnel/admin/catalogue/sessions', { capacity: '14', slots: 'mardi 9:00-11:00', runs_in_school_holidays: 'non' }, { keepForm: true });
    assert.equal(edited.statusCode, 303);
    const [session] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'ADM1'));
    assert.equal(session.capacity, 14);
    assert.match((await admin.get('/personnel/admin/catalogue/sessions/ADM1')).body, /value="mardi 09:00-11:00"/);
    assert.equal((await admin.get('/personnel/admin/catalogue/sessions/NOPE')).statusCode, 404);
    assert.equal((await admin.get('/personnel/admin/catalogue/pirates/X')).statusCode, 404);
  });
  it('CAT-2 the catalogue forms refuse more places than workstations in a computer course, next to the field, what was typed kept', async () => {
    const header = 'code,title,domain,objectives,audience,prerequisites,programme,level,previous_course,rhythm,mode,hourly_volume,full_rate,half_rate,prepares_diploma,has_evaluation,admission_test\n';
    const imported = await importCatalogue(t.db, {
      courses: `${header}ADM-PC,Internet pour tous,Bureautique et internet,Obj,Adultes,Aucun,Prog,,,annual,in_person,60,"150,00","75,00",non,non,none\nADM-LF,Français écrit,Langue française,Obj,Adultes,Aucun,Prog,,,annual,in_person,60,"150,00","75,00",non,non,none\n`,
      sessions:
        'code,course,school,period,trainer,capacity,first_meeting,last_meeting,slots,runs_in_school_holidays\n' +
        'ADM-PC1,ADM-PC,E-11-T,open,,15,2027-01-04,2027-06-28,lundi 9:00-11:00,non\nADM-LF1,ADM-LF,E-11-T,open,,22,2027-01-05,2027-06-29,mardi 9:00-11:00,non\n',
    });
    assert.equal(imported.ok, true, JSON.stringify(imported));
    const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);

    const session = '/personnel/admin/catalogue/sessions/ADM-PC1';
    const tooMany = await admin.submit(session, '/personnel/admin/catalogue/sessions', { capacity: '16' }, { keepForm: true });
    assert.equal(tooMany.statusCode, 400);
    assert.deepEqual(errorsOf(tooMany.body), [['capacity', 'au plus 15 places pour un cours d’informatique : une par poste de travail']]);
    assert.match(tooMany.body, /name="capacity"[^>]*value="16"|value="16"[^>]*name="capacity"/);
    const [still] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'ADM-PC1'));
    assert.equal(still.capacity, 15);
    assert.equal((await admin.submit(session, '/personnel/admin/catalogue/sessions', { capacity: '12' }, { keepForm: true })).statusCode, 303);
    assert.equal((await admin.submit('/personnel/admin/catalogue/sessions/ADM-LF1', '/personnel/admin/catalogue/sessions', { capacity: '28' }, { keepForm: true })).statusCode, 303, 'other courses: no limit at 25');

    const course = '/personnel/admin/catalogue/cours/ADM-LF';
    const moved = await admin.submit(course, '/personnel/admin/catalogue/cours', { domain: 'Bureautique et internet' }, { keepForm: true });
    assert.equal(moved.statusCode, 400);
    assert.deepEqual(errorsOf(moved.body), [['domain', 'la session ADM-LF1 a 28 places ; un cours d’informatique en a au plus 15, une par poste de travail']]);
    const [lf] = await t.db.select({ domain: domains.slug }).from(courses).innerJoin(domains, eq(domains.id, courses.domainId)).where(eq(courses.code, 'ADM-LF'));
    assert.equal(lf.domain, 'langue-francaise');
  });
});
