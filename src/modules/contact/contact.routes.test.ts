import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildStaff, emailsTo, formHtml, startTestApp, type TestApp } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { samples, type Part } from '../../../test/multipart';
import { translator } from '../../platform/i18n';
import { assignScope } from '../scopes';
import { contactMessages } from './contact.table';

const fr = translator('fr');
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The message shown next to each field: [field, text]. */
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m): [string, string] => [m[1], decode(m[2])]);
const textareaOf = (html: string, name: string) => decode(new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '');

describe('contact pages (SVC-1)', () => {
  let t: TestApp;
  const learners: { learnerId: string; email: string; applicationId: string; browser: Client }[] = [];
  let head: Client;
  let headOutside: Client;
  let trainer: Client;

  /** Opens `page`, reads its form to `action` (CSRF and form token), and posts it as multipart with `parts`. */
  async function sendForm(browser: Client, page: string, action: string, parts: Part[], token?: { csrf: string; formToken: string }) {
    const form = formHtml((await browser.get(page)).body, action);
    const read = token ?? { csrf: decode(/name="_csrf" value="([^"]+)"/.exec(form)![1]), formToken: /name="formToken" value="([^"]+)"/.exec(form)![1] };
    const response = await browser.postMultipart(action, [{ name: '_csrf', value: read.csrf }, { name: 'formToken', value: read.formToken }, ...parts]);
    return { response, token: read };
  }
  const messageIdOf = (location: unknown) => /\/compte\/messages\/([0-9a-f-]{36})\?message=sent$/.exec(String(location))?.[1];
  const countMessages = async (learnerId: string) => (await t.db.select().from(contactMessages).where(eq(contactMessages.learnerId, learnerId))).length;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z'), policies: { uploadMaxMegabytes: 1 } });
    await buildCatalogue(t.db, t.clock, [{ code: 'CR', weekday: 3, startsAt: '18:30', endsAt: '20:30' }]);
    const applicants = await confirmedApplicants({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }, 'CR', 4);
    for (const a of applicants) {
      const browser = new Client(t.app);
      await browser.login(a.email);
      learners.push({ ...a, browser });
    }
    const login = async (role: 'school_head' | 'trainer', schools: string[]) => {
      const s = await buildStaff(t.db, t.clock, role);
      if (schools.length) await assignScope(t.db, { userId: s.userId, ...(role === 'trainer' ? { sessions: ['CR'] } : { schools }) });
      const c = new Client(t.app);
      await c.loginStaff(s.email, s.totpSecret, t.clock);
      return c;
    };
    head = await login('school_head', ['E-11-T']);
    headOutside = await login('school_head', []);
    trainer = await login('trainer', ['CR']);
  });
  after(() => t.close());

  it('SVC-1 a visitor sees the phone line and is asked to sign in; the form is the signed-in learner’s', async () => {
    const visitor = new Client(t.app);
    const page = await visitor.get('/contact');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /3975/);
    assert.match(page.body, /href="\/connexion\?retour=%2Fcontact"/);
    assert.doesNotMatch(page.body, /action="\/contact"/);
    const own = await learners[0].browser.get('/contact');
    assert.match(own.body, /action="\/contact"/);
    assert.match(own.body, /name="formToken" value="[0-9a-f-]{36}"/);
    assert.match(own.body, /Cours C-CR \(CR\), École test/, 'the learner’s application is offered');
    assert.equal((await visitor.get('/compte/messages')).statusCode, 303);
    // The account page and the staff home link to the messages.
    assert.match((await learners[0].browser.get('/compte')).body, /href="\/compte\/messages"/);
    assert.match((await head.get('/personnel')).body, /href="\/personnel\/messages"/);
    assert.doesNotMatch((await trainer.get('/personnel')).body, /href="\/personnel\/messages"/);
  });

  it('SVC-1 SVC-7 a learner sends a payment message with its receipt and reads its reference; the school head of the school answers from the queue; the learner reads the answer and is told', async () => {
    const me = learners[0];
    const { response } = await sendForm(me.browser, '/contact', '/contact', [
      { name: 'subject', value: 'payment' },
      { name: 'about', value: me.applicationId },
      { name: 'text', value: 'Voici mon reçu de paiement.' },
      { name: 'attachment', filename: 'recu.png', type: 'image/png', data: samples.png },
    ]);
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    const id = messageIdOf(response.headers.location);
    assert.ok(id);
    const page = await me.browser.get(`/compte/messages/${id}?message=sent`);
    const [row] = await t.db.select().from(contactMessages).where(eq(contactMessages.id, id));
    assert.match(page.body, new RegExp(`Votre message est envoyé. Sa référence : ${row.reference}`));
    assert.match(page.body, /L’école du cours vous répond/);
    const file = /href="(\/compte\/messages\/[^"]+\/pieces\/[^"]+)"/.exec(page.body)?.[1];
    assert.ok(file);
    const download = await me.browser.get(file);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'image/png');
    assert.equal((await learners[1].browser.get(file)).statusCode, 404, 'another learner');
    assert.match((await me.browser.get('/compte/messages')).body, new RegExp(row.reference));
    // The school head of the school answers from the queue; the learner reads it.
    const queue = await head.get('/personnel/messages');
    assert.match(queue.body, new RegExp(row.reference));
    assert.equal((await head.get(file.replace('/compte/', '/personnel/'))).statusCode, 200);
    const answered = await head.submit(`/personnel/messages/${id}`, `/personnel/messages/${id}`, { text: 'Reçu bien enregistré, merci.' }, { keepForm: true });
    assert.equal(answered.statusCode, 303);
    assert.equal(answered.headers.location, '/personnel/messages?message=answered');
    assert.match((await me.browser.get(`/compte/messages/${id}`)).body, /Reçu bien enregistré, merci\./);
    assert.match((await emailsTo(t.db, me.email))[0].subject, new RegExp(`Réponse à votre message ${row.reference}`));
  });

  it('SVC-1 100 000 characters: the message next to the text, the text kept whole, nothing sent', async () => {
    const me = learners[1];
    const long = 'é'.repeat(100_000);
    const { response } = await sendForm(me.browser, '/contact', '/contact', [
      { name: 'subject', value: 'other' },
      { name: 'text', value: long },
    ]);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorsOf(response.body), [['text', 'Votre texte fait 100000 caractères : 5000 au maximum. Raccourcissez-le (il est gardé ci-dessous).']]);
    assert.equal(textareaOf(response.body, 'text').length, 100_000);
    assert.equal(await countMessages(me.learnerId), 0);
  });

  it('SVC-1 a forbidden file, a file for a subject without proof, a NUL byte, no subject: each said next to its field, the text kept', async () => {
    const me = learners[1];
    const cases: [Part[], [string, string][]][] = [
      [
        [
          { name: 'subject', value: 'refund' },
          { name: 'text', value: 'Mon justificatif.' },
          { name: 'attachment', filename: 'rsa.pdf', type: 'application/pdf', data: samples.text },
        ],
        [['attachment', fr('upload.type')]],
      ],
      [
        [
          { name: 'subject', value: 'other' },
          { name: 'text', value: 'Mon justificatif.' },
          { name: 'attachment', filename: 'photo.png', type: 'image/png', data: samples.png },
        ],
        [['attachment', 'Un justificatif ne se joint que pour un remboursement, un changement de nom ou un paiement. Retirez le fichier ou changez le sujet.']],
      ],
      [
        [
          { name: 'subject', value: 'other' },
          { name: 'text', value: 'Mon\u0000justificatif.' },
        ],
        [['text', fr('field.invalidCharacters')]],
      ],
      [[{ name: 'text', value: 'Mon justificatif.' }], [['subject', 'Choisissez de quoi parle votre message.']]],
      [
        [
          { name: 'subject', value: 'marks' },
          { name: 'text', value: 'Mes notes.' },
        ],
        [['about', 'Choisissez le cours dont vous voulez les notes : le message va à son école.']],
      ],
    ];
    for (const [parts, errors] of cases) {
      const { response } = await sendForm(me.browser, '/contact', '/contact', parts);
      assert.equal(response.statusCode, 400, JSON.stringify(parts.map((p) => p.name)));
      const shown = errorsOf(response.body);
      assert.deepEqual(shown.map((e) => e[0]), errors.map((e) => e[0]));
      assert.deepEqual(shown, errors);
      if (!errors.some((e) => e[0] === 'text')) assert.match(textareaOf(response.body, 'text'), /Mon justificatif\.|Mes notes\./);
    }
    assert.equal(await countMessages(me.learnerId), 0);
  });

  it('SVC-1 the same form sent twice is one message: both go to it', async () => {
    const me = learners[2];
    const parts: Part[] = [
      { name: 'subject', value: 'other' },
      { name: 'text', value: 'Envoyé deux fois.' },
    ];
    const first = await sendForm(me.browser, '/contact', '/contact', parts);
    const second = await sendForm(me.browser, '/contact', '/contact', parts, first.token);
    assert.equal(first.response.statusCode, 303);
    assert.equal(second.response.statusCode, 303);
    assert.equal(second.response.headers.location, first.response.headers.location);
    assert.equal(await countMessages(me.learnerId), 1);
  });

  it('SVC-1 odd ids and another learner’s message are the 404 page; staff out of scope 403, trainers 403; a huge answer is said next to its field', async () => {
    const me = learners[3];
    const { response } = await sendForm(me.browser, '/contact', '/contact', [
      { name: 'subject', value: 'marks' },
      { name: 'about', value: me.applicationId },
      { name: 'text', value: 'Mes notes, s’il vous plaît.' },
    ]);
    const id = messageIdOf(response.headers.location)!;
    assert.ok(id);
    for (const path of ['/compte/messages/abc', '/compte/messages/00000000-0000-0000-0000-000000000000', `/compte/messages/${id}/pieces/abc`, "/compte/messages/1' or 1=1"])
      assert.equal((await me.browser.get(path)).statusCode, 404, path);
    assert.equal((await learners[0].browser.get(`/compte/messages/${id}`)).statusCode, 404, 'another learner’s message');
    assert.equal((await head.get('/personnel/messages/abc')).statusCode, 404);
    assert.equal((await head.get('/personnel/messages?statut=nope')).statusCode, 400);
    assert.equal((await headOutside.get(`/personnel/messages/${id}`)).statusCode, 403);
    assert.doesNotMatch((await headOutside.get('/personnel/messages?statut=all')).body, new RegExp(id));
    assert.equal((await trainer.get('/personnel/messages')).statusCode, 403);
    assert.equal((await trainer.get(`/personnel/messages/${id}`)).statusCode, 403);
    // Out of scope, the answer is refused too (the form is the in-scope head's page).
    const inScope = (await head.get(`/personnel/messages/${id}`)).body;
    const csrfOutside = decode(/name="_csrf" value="([^"]+)"/.exec((await headOutside.get('/personnel')).body)?.[1] ?? '');
    const token = /name="formToken" value="([^"]+)"/.exec(inScope)![1];
    assert.equal((await headOutside.post(`/personnel/messages/${id}`, { _csrf: csrfOutside, formToken: token, text: 'Non.' })).statusCode, 403);
    const huge = await head.submit(`/personnel/messages/${id}`, `/personnel/messages/${id}`, { text: 'x'.repeat(100_000) }, { keepForm: true });
    assert.equal(huge.statusCode, 400);
    assert.deepEqual(errorsOf(huge.body), [['text', 'Votre texte fait 100000 caractères : 5000 au maximum. Raccourcissez-le (il est gardé ci-dessous).']]);
    assert.equal(textareaOf(huge.body, 'text').length, 100_000);
    assert.match((await head.get(`/personnel/messages/${id}`)).body, /L’école du cours vous répond : c’est elle qui a vos notes\./);
  });

  it('SVC-1 the form is rate-limited per account', async () => {
    const me = learners[3];
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const { response } = await sendForm(me.browser, '/contact', '/contact', [{ name: 'text', value: 'Sans sujet.' }]);
      last = response.statusCode;
      if (last === 429) break;
    }
    assert.equal(last, 429);
  });
});
