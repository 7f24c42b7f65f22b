import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { Client, buildStaff, formHtml, formValues, startTestApp, type TestApp } from '../../../test/app';
import { enrolledLearners } from '../../../test/attendance';
import { buildCatalogue } from '../../../test/catalogue';
import { courseSessions, holidays } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { attendanceEntries, registerSubmissions } from './attendance.table';
import { meetingsOf, type MeetingRow } from './meetings.service';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const errorOf = (html: string, name: string) => {
  const found = new RegExp(`<p class="error-message" id="${name}-error">([^<]*)</p>`).exec(html)?.[1];
  return found === undefined ? undefined : decode(found);
};
const valueOf = (html: string, name: string) => {
  const found = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return found ? decode(/value="([^"]*)"/.exec(found)?.[1] ?? '') : undefined;
};
const checkedMark = (html: string, applicationId: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="mark_${applicationId}"[^>]*>`, 'g'))].map((m) => m[0]).find((tag) => /\schecked(?=[\s/>=])/.test(tag))?.match(/value="([^"]+)"/)?.[1];

describe('the register pages (ATT-1)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let held: MeetingRow;
  let coming: MeetingRow;
  const browsers: Record<'trainer' | 'otherTrainer' | 'head', Client> = {} as never;
  const ids = () => made['REG-A'].learners.map((l) => l.applicationId);
  const meetingsUrl = '/personnel/sessions/REG-A/registres';
  const registerUrl = (m: MeetingRow = held) => `${meetingsUrl}/${m.id}`;
  const entriesOf = (meetingId: number) => t.db.select().from(attendanceEntries).where(eq(attendanceEntries.meetingId, meetingId)).orderBy(asc(attendanceEntries.id));
  /** The register's form as the browser would send it, with these fields changed. */
  const submitRegister = (browser: Client, fields: Record<string, string>, m: MeetingRow = held) => browser.submit(registerUrl(m), registerUrl(m), fields, { keepForm: true });
  const allPresent = () => Object.fromEntries(ids().map((id) => [`mark_${id}`, 'present']));

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'REG-A', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'REG-B', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
    ]);
    made = await enrolledLearners({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { 'REG-A': 3, 'REG-B': 1 });
    const [session] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'REG-A'));
    [held, coming] = (await meetingsOf(t.db, [session.id])).get(session.id)!;
    const login = async (role: 'trainer' | 'school_head', sessions: string[]) => {
      const staff = await buildStaff(t.db, t.clock, role);
      await assignScope(t.db, { userId: staff.userId, sessions });
      const browser = new Client(t.app);
      await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
      return browser;
    };
    browsers.trainer = await login('trainer', ['REG-A']);
    browsers.otherTrainer = await login('trainer', ['REG-B']);
    browsers.head = await login('school_head', ['REG-A']);
  });
  after(() => t.close());

  it('ATT-1 the staff home links a trainer’s sessions to their registers; the meetings page lists each meeting with its state', async () => {
    const home = await browsers.trainer.get('/personnel');
    assert.ok(home.body.includes(`href="${meetingsUrl}"`));
    const page = await browsers.trainer.get(meetingsUrl);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`href="${registerUrl()}"`), 'the held meeting opens its register');
    assert.ok(!page.body.includes(`href="${registerUrl(coming)}"`), 'a meeting to come: no register yet');
    assert.ok(page.body.includes('Tenue, registre manquant'));
    assert.ok(page.body.includes('À venir'));
    assert.ok(!page.body.includes(`action="${meetingsUrl}/annuler"`), 'trainers do not cancel meetings');
  });

  it('ATT-1 another trainer’s session is 403; odd ids, unknown ids and NUL bytes are 404', async () => {
    for (const url of [meetingsUrl, registerUrl()]) assert.equal((await browsers.otherTrainer.get(url)).statusCode, 403, url);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browsers.otherTrainer.get('/personnel')).body)![1];
    assert.equal((await browsers.otherTrainer.post(registerUrl(), { _csrf: decode(csrf), token: crypto.randomUUID(), ...allPresent() })).statusCode, 403);
    for (const tail of ['abc', '0', '-1', '1.5', '99999999999', '2147483648', '1%00', `${held.id}%00`, '%00', `${coming.id + 1000}`])
      assert.equal((await browsers.trainer.get(`${meetingsUrl}/${tail}`)).statusCode, 404, tail);
    assert.equal((await browsers.trainer.get('/personnel/sessions/NOPE/registres')).statusCode, 404);
    assert.equal((await browsers.trainer.get('/personnel/sessions/REG%00A/registres')).statusCode, 404);
  });

  it('ATT-1 the register: a fieldset per learner with the five marks and the minutes, a token, "everyone present" first', async () => {
    const page = await browsers.trainer.get(registerUrl());
    assert.equal(page.statusCode, 200);
    assert.equal((page.body.match(/<fieldset/g) ?? []).length, 3);
    for (const id of ids()) {
      for (const mark of ['present', 'late', 'left_early', 'absent', 'justified']) assert.ok(page.body.includes(`name="mark_${id}" value="${mark}"`), mark);
      assert.ok(page.body.includes(`<label for="missed_${id}">`));
      assert.equal(checkedMark(page.body, id), undefined, 'not marked yet: nothing preselected');
    }
    assert.match(valueOf(page.body, 'token') ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(page.body.indexOf('Tout le monde présent') < page.body.indexOf('<fieldset'), 'the first button');
    const everyone = await browsers.trainer.get(`${registerUrl()}?tous=presents`);
    for (const id of ids()) assert.equal(checkedMark(everyone.body, id), 'present');
  });

  it('ATT-1 a save redirects with the flash; the marks come back preselected with who marked them', async () => {
    const fields = { ...allPresent(), [`mark_${ids()[1]}`]: 'late', [`missed_${ids()[1]}`]: '25' };
    const saved = await submitRegister(browsers.trainer, fields);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${registerUrl()}?message=saved`);
    const page = await browsers.trainer.get(saved.headers.location as string);
    assert.ok(page.body.includes('L’appel est enregistré.'));
    assert.equal(checkedMark(page.body, ids()[1]), 'late');
    assert.equal(valueOf(page.body, `missed_${ids()[1]}`), '25');
    assert.ok(page.body.includes('par Test trainer'));
    assert.equal((await entriesOf(held.id)).length, 3);
    assert.ok((await browsers.trainer.get(meetingsUrl)).body.includes('Tenue, appel fait'));
  });

  it('ATT-1 the same form sent twice is saved once', async () => {
    const html = (await browsers.trainer.get(registerUrl())).body;
    const form = formHtml(html, registerUrl());
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec(form)![1]);
    const fields = { ...formValues(form), _csrf: csrf, [`mark_${ids()[0]}`]: 'absent' };
    const before = (await entriesOf(held.id)).length;
    const first = await browsers.trainer.post(registerUrl(), fields);
    const second = await browsers.trainer.post(registerUrl(), fields);
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303, 'the second answers "saved" too');
    assert.equal((await entriesOf(held.id)).length, before + 1);
    assert.equal((await t.db.select().from(registerSubmissions).where(eq(registerSubmissions.id, fields.token))).length, 1);
  });

  it('ATT-1 bad input: minutes out of range, late without minutes, a learner unmarked, NUL bytes: next to the field, what was typed kept', async () => {
    const before = (await entriesOf(held.id)).length;
    const over = await submitRegister(browsers.trainer, { ...allPresent(), [`mark_${ids()[0]}`]: 'left_early', [`missed_${ids()[0]}`]: '500' });
    assert.equal(over.statusCode, 400);
    assert.equal(errorOf(over.body, `missed_${ids()[0]}`), 'Entrez un nombre de minutes, de 0 à 120.');
    assert.equal(valueOf(over.body, `missed_${ids()[0]}`), '500');
    assert.equal(checkedMark(over.body, ids()[0]), 'left_early');
    const none = await submitRegister(browsers.trainer, { ...allPresent(), [`mark_${ids()[2]}`]: 'late', [`missed_${ids()[2]}`]: '' });
    assert.equal(none.statusCode, 400);
    assert.equal(errorOf(none.body, `missed_${ids()[2]}`), 'Pour un retard ou un départ anticipé, entrez les minutes manquées.');
    const words = await submitRegister(browsers.trainer, { ...allPresent(), [`mark_${ids()[2]}`]: 'late', [`missed_${ids()[2]}`]: 'dix' });
    assert.equal(errorOf(words.body, `missed_${ids()[2]}`), 'Entrez un nombre entier de minutes, par exemple 15.');
    const unmarked = await browsers.trainer.submit(registerUrl(), registerUrl(), { [`mark_${ids()[0]}`]: 'present' }, { fromForm: (form) => ({ token: formValues(form).token, learners: formValues(form).learners }) });
    assert.equal(unmarked.statusCode, 400);
    assert.ok(errorOf(unmarked.body, `mark_${ids()[1]}`)?.startsWith('Choisissez la présence'));
    const odd = await submitRegister(browsers.trainer, { ...allPresent(), [`mark_${ids()[0]}`]: 'asleep' });
    assert.equal(odd.statusCode, 400);
    const nul = await submitRegister(browsers.trainer, { ...allPresent(), [`mark_${ids()[0]}`]: 'late', [`missed_${ids()[0]}`]: '1\u0000' });
    assert.equal(nul.statusCode, 400);
    assert.ok(errorOf(nul.body, `missed_${ids()[0]}`));
    const badToken = await submitRegister(browsers.trainer, { ...allPresent(), token: 'x\u0000' });
    assert.equal(badToken.statusCode, 400);
    assert.ok(badToken.body.includes('Le formulaire est incomplet'));
    assert.equal((await entriesOf(held.id)).length, before, 'nothing saved');
  });

  it('ATT-1 a mark for someone not enrolled in the session is refused, nothing saved', async () => {
    const before = (await entriesOf(held.id)).length;
    const stranger = made['REG-B'].learners[0].applicationId;
    const refused = await submitRegister(browsers.trainer, { ...allPresent(), [`mark_${ids()[0]}`]: 'absent', [`mark_${stranger}`]: 'present' });
    assert.equal(refused.statusCode, 409);
    assert.ok(decode(refused.body).includes('Cette personne n’a pas de place dans cette session'));
    assert.equal(checkedMark(refused.body, ids()[0]), 'absent', 'what was typed is kept');
    assert.equal((await entriesOf(held.id)).length, before);
  });

  it('ATT-1 two tabs: the register sent from the older one is a conflict page (409) naming who marked whom meanwhile, what was typed kept, a fresh token; saved again it is written', async () => {
    const older = formHtml((await browsers.trainer.get(registerUrl())).body, registerUrl());
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec(older)![1]);
    const shownThen = formValues(older);
    assert.equal(shownThen[`seen_${ids()[2]}`], String((await entriesOf(held.id)).filter((e) => e.applicationId === ids()[2]).at(-1)!.id), 'the form carries the entry it showed');
    // Meanwhile, in another tab, the school head marks the third learner absent.
    const meanwhile = await submitRegister(browsers.head, { [`mark_${ids()[2]}`]: 'absent' });
    assert.equal(meanwhile.statusCode, 303);
    const theirs = (await entriesOf(held.id)).at(-1)!;
    const before = (await entriesOf(held.id)).length;
    // The older tab is sent: the first learner marked justified, the third left as it showed.
    const sent = { ...shownThen, _csrf: csrf, [`mark_${ids()[0]}`]: 'justified' };
    const conflict = await browsers.trainer.post(registerUrl(), sent);
    assert.equal(conflict.statusCode, 409);
    const body = decode(conflict.body);
    assert.ok(body.includes('Pendant que vous faisiez l’appel'), 'the notice');
    assert.match(errorOf(conflict.body, `mark_${ids()[2]}`) ?? '', /^Noté « Absent·e » par .+, le .+ : vérifiez/, 'next to the learner: the mark now recorded, by whom, when');
    assert.equal(checkedMark(conflict.body, ids()[2]), shownThen[`mark_${ids()[2]}`], 'what this user had is kept');
    assert.equal(checkedMark(conflict.body, ids()[0]), 'justified');
    assert.notEqual(valueOf(conflict.body, 'token'), sent.token, 'a fresh token');
    assert.equal(valueOf(conflict.body, `seen_${ids()[2]}`), String(theirs.id), 'the mark now seen');
    const added = (await entriesOf(held.id)).slice(before);
    assert.deepEqual(added.map((e) => [e.applicationId, e.mark]), [[ids()[0], 'justified']], 'the other change is saved, the absence kept');
    // Checked, saved again from the conflict page: written.
    const form = formHtml(conflict.body, registerUrl());
    const again = await browsers.trainer.post(registerUrl(), { ...formValues(form), _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(form)![1]) });
    assert.equal(again.statusCode, 303);
    assert.equal((await entriesOf(held.id)).at(-1)!.mark, shownThen[`mark_${ids()[2]}`]);
  });

  it('ATT-1 CAT-7 a meeting the catalogue no longer plans (a holiday added) stays on the meetings page, said to be no longer planned', async () => {
    const [, , , fourth] = (await meetingsOf(t.db, [held.sessionId])).get(held.sessionId)!;
    const day = fourth.startsAt.toISOString().slice(0, 10);
    const [holiday] = await t.db.insert(holidays).values({ kind: 'public', zone: null, name: 'Jour férié de test', startsOn: day, endsOn: day }).returning();
    try {
      const page = decode((await browsers.head.get(meetingsUrl)).body);
      assert.equal((page.match(/plus prévue au calendrier : à annuler/g) ?? []).length, 1, 'the meeting’s state says so');
      assert.ok(page.includes('1 séance n’est plus prévue au calendrier'));
    } finally {
      await t.db.delete(holidays).where(eq(holidays.id, holiday.id));
    }
    assert.ok(!decode((await browsers.head.get(meetingsUrl)).body).includes('plus prévue au calendrier'));
  });

  it('ATT-1 a meeting not yet held: no form, and a save is refused', async () => {
    const page = await browsers.trainer.get(registerUrl(coming));
    assert.equal(page.statusCode, 200);
    assert.ok(decode(page.body).includes('Cette séance n’a pas encore commencé'));
    assert.ok(!page.body.includes('<fieldset'));
    const form = formHtml((await browsers.trainer.get(registerUrl())).body, registerUrl());
    const posted = await browsers.trainer.post(registerUrl(coming), { ...formValues(form), _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(form)![1]) });
    assert.equal(posted.statusCode, 409);
    assert.ok(decode(posted.body).includes('Cette séance n’a pas encore commencé'));
    assert.equal((await entriesOf(coming.id)).length, 0);
  });

  it('ATT-1 the school head cancels a meeting with a reason; its register is then refused', async () => {
    const page = await browsers.head.get(meetingsUrl);
    assert.ok(page.body.includes(`action="${meetingsUrl}/annuler"`));
    const noReason = await browsers.head.submit(meetingsUrl, `${meetingsUrl}/annuler`, { meeting: String(held.id), reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.equal(errorOf(noReason.body, 'reason'), 'Donnez le motif de l’annulation.');
    const odd = await browsers.head.submit(meetingsUrl, `${meetingsUrl}/annuler`, { meeting: '99999999999', reason: 'Salle fermée' });
    assert.equal(odd.statusCode, 400);
    const form = formHtml((await browsers.trainer.get(registerUrl())).body, registerUrl());
    const done = await browsers.head.submit(meetingsUrl, `${meetingsUrl}/annuler`, { meeting: String(held.id), reason: 'Salle fermée' });
    assert.equal(done.statusCode, 303);
    assert.ok((await browsers.head.get(done.headers.location as string)).body.includes('Annulée : Salle fermée'));
    const register = await browsers.trainer.get(registerUrl());
    assert.ok(decode(register.body).includes('Cette séance a été annulée par le service (Salle fermée)'));
    // The form of a tab opened before the cancellation, sent after it.
    const late = await browsers.trainer.post(registerUrl(), { ...formValues(form), _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(form)![1]) });
    assert.equal(late.statusCode, 409);
    assert.ok(decode(late.body).includes('Cette séance a été annulée par le service : son registre n’est pas tenu.'));
    const trainerCancels = await browsers.trainer.post(`${meetingsUrl}/annuler`, { _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(form)![1]), meeting: String(coming.id), reason: 'Non' });
    assert.equal(trainerCancels.statusCode, 403);
  });
});
