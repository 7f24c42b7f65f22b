import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, desc, eq } from 'drizzle-orm';
import { Client, buildStaff, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { pdfText, squash } from '../../../test/pdf';
import { acceptedApplicants, awaitingPayment, livePaymentOf, statusOf } from '../../../test/payments';
import { translator } from '../../platform/i18n';
import { applicationEvents } from '../applications/applications.table';
import { currentDocument, formatCode } from '../documents';
import { learnerProfiles } from '../accounts/accounts.table';
import { assignScope } from '../scopes';
import { startPayfipSimulator, type StartedSimulator } from './payfip/simulator';
import { recordSchoolPayment, signingOf } from './payments.service';
import { paymentAttempts } from './payments.table';

const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
const BASE = 'http://localhost:3000';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const fr = translator('fr');

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const csrfOf = (html: string) => decode(/name="_csrf" value="([^"]+)"/.exec(html)![1]);
const errorOf = (html: string, name: string) => {
  const found = new RegExp(`<p class="error-message" id="${name}-error">([^<]*)</p>`).exec(html)?.[1];
  return found === undefined ? undefined : decode(found);
};
const valueOf = (html: string, name: string) => {
  const found = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return found ? decode(/value="([^"]*)"/.exec(found)?.[1] ?? '') : undefined;
};
/** The page's text without its tags (for what a person reads). */
const textOf = (html: string) => decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const dayText = (day: string) => fr.date(new Date(`${day}T12:00:00Z`), 'date');

type Learner = { learnerId: string; email: string; applicationId: string };

describe('the learner’s and the third party’s side of payment (PAY-1, PAY-2, PAY-3, PAY-4, PAY-7, PAY-8)', () => {
  let t: TestApp;
  let sim: StartedSimulator;
  let head: Awaited<ReturnType<typeof buildStaff>>;
  const L: Record<'main' | 'other' | 'down' | 'link' | 'expiring' | 'cheque', Learner> = {} as never;
  const browsers: Record<string, Client> = {};
  const deps = () => ({ db: t.db, clock: t.clock, baseUrl: BASE, secret: TEST_SECRET, cashOffice: 'Régie CMA et AE' });
  const pagePath = (who: Learner) => `/candidatures/${who.applicationId}/paiement`;
  const reglerPath = (who: Learner) => `/candidatures/${who.applicationId}/regler`;
  /** Posts to `url` with the CSRF token of `page` (the token is the login session's, whatever the form). */
  const postFrom = async (browser: Client, page: string, url: string, fields: Record<string, string> = {}) => browser.post(url, { _csrf: csrfOf((await browser.get(page)).body), ...fields });
  const notify = (payload: string, contentType = 'application/x-www-form-urlencoded') =>
    t.app.inject({ method: 'POST', url: '/paiement/payfip/notification', headers: { 'content-type': contentType }, payload });
  const attemptsOf = async (who: Learner) => {
    const payment = await livePaymentOf(t.db, who.applicationId);
    return t.db.select().from(paymentAttempts).where(eq(paymentAttempts.paymentId, payment.id)).orderBy(desc(paymentAttempts.createdAt));
  };
  const enrolments = async (who: Learner) =>
    (await t.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, who.applicationId), eq(applicationEvents.toStatus, 'enrolled')))).length;
  const pdf = async (browser: Client, url: string) => {
    const response = await browser.get(url);
    assert.equal(response.statusCode, 200, url);
    assert.equal(response.headers['content-type'], 'application/pdf', url);
    assert.equal(response.headers['cache-control'], 'private, no-store', url);
    return pdfText(response.rawPayload);
  };
  const codeOf = async (kind: 'enrollee_card' | 'cost_attestation' | 'payment_attestation' | 'receipt', subjectId: string) =>
    (await currentDocument(t.db, signingOf(deps()), kind, subjectId))!.displayCode;

  before(async () => {
    // The provider on its own port: app.inject's app is not listening, so its mounted simulator is not reachable.
    sim = await startPayfipSimulator({ clock: { now: () => t.clock.now() }, numcli: '123456', notification: 'never' });
    t = await startTestApp({ config: { PAYFIP_NUMCLI: '123456', PAYFIP_SAISIE: 'T', PAYFIP_WS_URL: sim.wsUrl, PAYFIP_PAGE_URL: sim.pageUrl } });
    await buildCatalogue(t.db, t.clock, [
      { code: 'R-PAY', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'R-OTHER', weekday: 3, startsAt: '18:00', endsAt: '20:00' },
    ]);
    const made = await acceptedApplicants(deps(), { 'R-PAY': 6, 'R-OTHER': 1 });
    [L.main, L.other, L.down, L.link, L.expiring, L.cheque] = made['R-PAY'];
    await t.db.update(learnerProfiles).set({ lastName: 'Diallo', firstName: 'Awa' }).where(eq(learnerProfiles.userId, L.link.learnerId));
    ({ head } = await awaitingPayment(deps(), 'R-PAY', made['R-PAY']));
    for (const [name, who] of Object.entries(L)) {
      browsers[name] = new Client(t.app);
      await browsers[name].login(who.email);
    }
    browsers.head = new Client(t.app);
    await browsers.head.loginStaff(head.email, head.totpSecret, t.clock);
    const otherHead = await buildStaff(t.db, t.clock, 'school_head');
    await assignScope(t.db, { userId: otherHead.userId, sessions: ['R-OTHER'] });
    browsers.otherHead = new Client(t.app);
    await browsers.otherHead.loginStaff(otherHead.email, otherHead.totpSecret, t.clock);
  });
  after(async () => {
    await t?.close();
    await sim?.close();
  });

  it('PAY-1 PAY-2 the learner’s page shows the amount, the due date, "Régler", the cash office and the cost attestation', async () => {
    const payment = await livePaymentOf(t.db, L.main.applicationId);
    const page = await browsers.main.get(pagePath(L.main));
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Inscription validée : à régler/);
    assert.match(text, /Montant à régler 150,00\s€ \(plein tarif\)/);
    assert.ok(text.includes(`À régler avant le ${dayText(payment.dueOn)}`), text);
    assert.ok(page.body.includes(`action="${reglerPath(L.main)}"`), 'the "Régler" form');
    assert.match(text, /Régler 150,00\s€ par carte bancaire/);
    assert.match(text, /par chèque à l’ordre de « Régie CMA et AE »/);
    assert.ok(page.body.includes(`href="/candidatures/${L.main.applicationId}/attestation-cout.pdf"`));
    assert.ok(!page.body.includes('carte.pdf'), 'no card before paying');
    assert.ok(!page.body.includes('Vos essais de paiement'), 'no attempt yet');
    const list = textOf((await browsers.main.get('/candidatures')).body);
    assert.ok(list.includes(`à régler avant le ${dayText(payment.dueOn)}`), 'the list says it too');
  });

  it('PAY-8 PAY-4 before paying: the cost attestation is a PDF with its code; the card and the payment attestation are not found', async () => {
    const text = await pdf(browsers.main, `/candidatures/${L.main.applicationId}/attestation-cout.pdf`);
    assert.ok(text.includes(squash(await codeOf('cost_attestation', L.main.applicationId))), text);
    assert.ok(text.includes(squash('150,00 €')), text);
    for (const file of ['carte.pdf', 'attestation-paiement.pdf']) assert.equal((await browsers.main.get(`/candidatures/${L.main.applicationId}/${file}`)).statusCode, 404, file);
  });

  it('PAY-2 "Régler" sends the browser to the provider’s page with the idOp; a double click goes to the same page', async () => {
    const first = await browsers.main.submit(pagePath(L.main), reglerPath(L.main), {});
    assert.equal(first.statusCode, 303);
    const [attempt] = await attemptsOf(L.main);
    assert.equal(attempt.status, 'pending');
    assert.equal(first.headers.location, `${sim.pageUrl}?idop=${attempt.idOp}`);
    assert.equal(sim.simulator.attempt(attempt.idOp!)?.montant, 15_000, 'the amount due, in cents');
    assert.equal(sim.simulator.attempt(attempt.idOp!)?.urlredirect, `${BASE}/paiement/retour/${attempt.id}`);
    const again = await browsers.main.submit(pagePath(L.main), reglerPath(L.main), {});
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, first.headers.location, 'the same page');
    assert.equal((await attemptsOf(L.main)).length, 1, 'one attempt');
    // The page lists it, in words.
    assert.match(textOf((await browsers.main.get(pagePath(L.main))).body), /Vos essais de paiement en ligne .*: en cours : le résultat n’est pas encore connu/);
  });

  it('PAY-2 someone else’s application: its page, "Régler", the link and its PDFs are not found', async () => {
    const other = browsers.other;
    assert.equal((await other.get(pagePath(L.main))).statusCode, 404);
    assert.equal((await postFrom(other, pagePath(L.other), reglerPath(L.main))).statusCode, 404);
    assert.equal((await postFrom(other, pagePath(L.other), `/candidatures/${L.main.applicationId}/lien-paiement`)).statusCode, 404);
    for (const file of ['attestation-cout.pdf', 'carte.pdf', 'attestation-paiement.pdf']) {
      const response = await other.get(`/candidatures/${L.main.applicationId}/${file}`);
      assert.equal(response.statusCode, 404, file);
      assert.doesNotMatch(String(response.headers['content-type']), /pdf/, file);
    }
    for (const id of [UNKNOWN, 'not-a-uuid', 'a%00b']) {
      assert.equal((await other.get(`/candidatures/${id}/paiement`)).statusCode, 404, id);
      assert.equal((await other.get(`/candidatures/${id}/carte.pdf`)).statusCode, 404, id);
      assert.equal((await postFrom(other, pagePath(L.other), `/candidatures/${id}/regler`)).statusCode, 404, id);
    }
    assert.equal((await attemptsOf(L.main)).length, 1, 'nothing started');
    // Logged out: to the login page; without the CSRF token: refused.
    assert.equal((await new Client(t.app).get(pagePath(L.main))).statusCode, 303);
    assert.equal((await other.post(reglerPath(L.other), { _csrf: 'x' })).statusCode, 403);
  });

  it('PAY-2 the notification with an unknown idOp is a 404 text; without idOp, with NUL bytes, as a list or huge, a 400; never a 500', async () => {
    const unknown = await notify('idOp=0f8fad5b-d9cb-469f-a165-70867728950e');
    assert.equal(unknown.statusCode, 404);
    assert.match(String(unknown.headers['content-type']), /^text\/plain/);
    assert.equal(unknown.body, 'unknown idOp');
    const [attempt] = await attemptsOf(L.main);
    const bad: [string, string?][] = [
      [''],
      ['idop='],
      ['other=1'],
      [`idOp=${encodeURIComponent(`${attempt.idOp}\u0000`)}`],
      [`idOp=%00`],
      [`idOp=${attempt.idOp}&idOp=${attempt.idOp}`],
      [`idOp[]=${attempt.idOp}`],
      [`idOp=${'a'.repeat(100_000)}`],
      [`idOp=${encodeURIComponent('<x/>')}`],
      [JSON.stringify({ idOp: [attempt.idOp] }), 'application/json'],
    ];
    for (const [payload, type] of bad) {
      const response = await notify(payload, type);
      assert.equal(response.statusCode, 400, payload.slice(0, 80));
      assert.equal(response.body, 'idOp expected');
    }
    for (const [payload, type] of [['idOp=x', 'text/plain'], ['<idOp/>', 'application/xml']]) {
      const response = await notify(payload, type);
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${type}: ${response.statusCode}`);
    }
    assert.equal((await t.app.inject({ method: 'POST', url: '/paiement/payfip/notification' })).statusCode, 400, 'no body at all');
    assert.equal((await attemptsOf(L.main))[0].status, 'pending', 'nothing changed');
  });

  it('PAY-2 the return before the result: "not known yet"; then paid: the notification (no CSRF token, no session) enrols once; replayed and duplicated notifications change nothing', async () => {
    const [attempt] = await attemptsOf(L.main);
    const early = await browsers.main.get(`/paiement/retour/${attempt.id}?idop=${attempt.idOp}`);
    assert.equal(early.statusCode, 200);
    assert.match(textOf(early.body), /Le résultat du paiement n’est pas encore connu/);
    assert.equal(early.headers['cache-control'], 'no-store');

    await sim.simulator.pay(attempt.idOp!, 'accepted');
    const [first, ...duplicates] = await Promise.all(Array.from({ length: 12 }, () => notify(`idOp=${attempt.idOp}`)));
    for (const response of [first, ...duplicates]) assert.deepEqual([response.statusCode, response.body], [200, 'ok']);
    assert.equal(await statusOf(t.db, L.main.applicationId), 'enrolled');
    const paid = await livePaymentOf(t.db, L.main.applicationId);
    assert.deepEqual([paid.status, paid.method, paid.attemptId], ['paid', 'online', attempt.id]);
    for (let i = 0; i < 3; i++) assert.equal((await notify(`idOp=${attempt.idOp}`)).statusCode, 200, 'replayed');
    assert.equal(await enrolments(L.main), 1, 'one enrolment');
    const after = await livePaymentOf(t.db, L.main.applicationId);
    assert.deepEqual(after, paid, 'the payment is as it was');
    assert.equal((await attemptsOf(L.main)).length, 1);
    assert.equal((await emailsTo(t.db, L.main.email)).filter((m) => m.subject.startsWith('Paiement reçu')).length, 1, 'one email');

    // The browser comes back after the notification (GET, or POST as PayFiP may): paid, a link to the page.
    for (const method of ['GET', 'POST'] as const) {
      const back = method === 'GET' ? await browsers.main.get(`/paiement/retour/${attempt.id}?idop=${attempt.idOp}`) : await browsers.main.post(`/paiement/retour/${attempt.id}`, { idop: attempt.idOp! });
      assert.equal(back.statusCode, 200, method);
      assert.match(textOf(back.body), /Paiement accepté : vous êtes inscrit·e\./, method);
      assert.ok(back.body.includes(`href="${pagePath(L.main)}"`), method);
    }
    const page = textOf((await browsers.main.get(pagePath(L.main))).body);
    assert.match(page, /Inscrit·e/);
    assert.match(page, /Payé le .*: vous êtes inscrit·e\./);
    assert.match(page, /Montant payé 150,00\s€/);
    assert.match(page, /paiement accepté/);
    assert.doesNotMatch(page, /Régler 150/, 'nothing more to pay');
    assert.equal(await enrolments(L.main), 1);
  });

  it('PAY-2 "Régler" once paid goes back to the page, nothing started', async () => {
    const again = await postFrom(browsers.main, pagePath(L.main), reglerPath(L.main));
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, pagePath(L.main));
    assert.equal((await attemptsOf(L.main)).length, 1);
  });

  it('PAY-4 PAY-8 once paid: the card and the payment attestation are PDFs with their codes; the cost attestation is no longer offered', async () => {
    const card = await pdf(browsers.main, `/candidatures/${L.main.applicationId}/carte.pdf`);
    assert.ok(card.includes(squash(await codeOf('enrollee_card', L.main.applicationId))), card);
    const attestation = await pdf(browsers.main, `/candidatures/${L.main.applicationId}/attestation-paiement.pdf`);
    assert.ok(attestation.includes(squash(await codeOf('payment_attestation', L.main.applicationId))), attestation);
    assert.ok(attestation.includes(squash('Réglé par l’auditeur ou l’auditrice.')), 'paid by the learner: no third party named');
    assert.equal((await browsers.main.get(`/candidatures/${L.main.applicationId}/attestation-cout.pdf`)).statusCode, 404);
    // Downloaded again: the same document (its code does not change).
    assert.ok((await pdf(browsers.main, `/candidatures/${L.main.applicationId}/carte.pdf`)).includes(squash(await codeOf('enrollee_card', L.main.applicationId))));
    for (const file of ['carte.pdf', 'attestation-paiement.pdf']) assert.equal((await browsers.other.get(`/candidatures/${L.main.applicationId}/${file}`)).statusCode, 404, `another learner: ${file}`);
  });

  it('PAY-2 the return URL tampered with: an unknown or malformed attempt is not found; another’s attempt shows only its outcome; the idop it carries is not believed', async () => {
    const [paidAttempt] = await attemptsOf(L.main);
    for (const id of [UNKNOWN, 'not-a-uuid', `${paidAttempt.id}x`, '%00', 'a'.repeat(300)]) {
      assert.equal((await browsers.main.get(`/paiement/retour/${id}`)).statusCode, 404, id);
      assert.equal((await new Client(t.app).post(`/paiement/retour/${id}`, { idop: paidAttempt.idOp! })).statusCode, 404, id);
    }
    for (const [label, browser] of [
      ['another learner', browsers.other],
      ['a visitor', new Client(t.app)],
    ] as const) {
      const page = await browser.get(`/paiement/retour/${paidAttempt.id}`);
      assert.equal(page.statusCode, 200, label);
      assert.match(textOf(page.body), /Paiement accepté/, label);
      assert.ok(!page.body.includes(`/candidatures/${L.main.applicationId}`), `${label}: no link to someone else’s page`);
      assert.ok(!page.body.includes('Voir le paiement'), label);
    }
    // The other learner's own attempt, with the paid one's idop: still its own, pending.
    const started = await browsers.other.submit(pagePath(L.other), reglerPath(L.other), {});
    assert.equal(started.statusCode, 303);
    const [own] = await attemptsOf(L.other);
    const tampered = await browsers.other.get(`/paiement/retour/${own.id}?idop=${paidAttempt.idOp}`);
    assert.match(textOf(tampered.body), /pas encore connu/);
    assert.equal(await statusOf(t.db, L.other.applicationId), 'awaiting_payment');
  });

  it('PAY-2 a refused card: the return says so in words, the page lists the attempt and offers "Régler" again, with a new idOp', async () => {
    const [attempt] = await attemptsOf(L.other);
    await sim.simulator.pay(attempt.idOp!, 'refused');
    const back = await browsers.other.get(`/paiement/retour/${attempt.id}?idop=${attempt.idOp}`);
    assert.match(textOf(back.body), /Le paiement n’a pas abouti : carte refusée, rien n’a été payé\. Vous pouvez réessayer\./);
    assert.equal((await notify(`idOp=${attempt.idOp}`)).statusCode, 200, 'the notification after the return');
    const page = await browsers.other.get(pagePath(L.other));
    assert.match(textOf(page.body), /Vos essais de paiement en ligne .*: carte refusée, rien n’a été payé/);
    assert.ok(page.body.includes(`action="${reglerPath(L.other)}"`));
    const retry = await browsers.other.submit(pagePath(L.other), reglerPath(L.other), {});
    assert.equal(retry.statusCode, 303);
    const [second] = await attemptsOf(L.other);
    assert.notEqual(second.idOp, attempt.idOp);
    assert.equal(retry.headers.location, `${sim.pageUrl}?idop=${second.idOp}`);
  });

  it('PAY-2 the provider down: a 503 page with the clear message, the attempt kept; the return while it is down says it will be checked', async () => {
    sim.simulator.configure({ service: 'down' });
    try {
      const down = await browsers.down.submit(pagePath(L.down), reglerPath(L.down), {});
      assert.equal(down.statusCode, 503);
      assert.match(textOf(down.body), /Le service de paiement en ligne ne répond pas en ce moment\. Rien n’a été payé\. Réessayez dans quelques minutes, ou réglez à l’établissement par chèque ou en espèces\./);
      assert.match(down.body, /role="alert"/);
      const [kept] = await attemptsOf(L.down);
      assert.equal(kept.status, 'failed');
      assert.match(kept.lastError ?? '', /\S/);
      assert.match(textOf((await browsers.down.get(pagePath(L.down))).body), /le service de paiement n’a pas répondu, rien n’a été payé/);
      // An attempt made while it answered, back while it does not.
      const [pending] = await attemptsOf(L.other);
      const back = await browsers.other.get(`/paiement/retour/${pending.id}`);
      assert.equal(back.statusCode, 200);
      assert.match(textOf(back.body), /Le service de paiement ne répond pas en ce moment : nous vérifierons le résultat dès qu’il répondra/);
      assert.equal((await notify(`idOp=${pending.idOp}`)).statusCode, 503, 'the notification: try again later');
    } finally {
      sim.simulator.configure({ service: 'up' });
    }
    const later = await browsers.down.submit(pagePath(L.down), reglerPath(L.down), {});
    assert.equal(later.statusCode, 303, 'once it answers, a new attempt');
    assert.equal((await attemptsOf(L.down)).length, 2);
  });

  it('PAY-7 the payment link: made and shown once; a stranger opens it without an account and sees initials, the amount, the form', async () => {
    const made = await browsers.link.submit(pagePath(L.link), `/candidatures/${L.link.applicationId}/lien-paiement`, {});
    assert.equal(made.statusCode, 200);
    assert.equal(made.headers['cache-control'], 'no-store');
    const url = new RegExp(`${BASE}/payer/([A-Za-z0-9_-]{43})`).exec(made.body)?.[1];
    assert.ok(url, 'the link is shown');
    assert.match(textOf(made.body), /Copiez ce lien maintenant : pour votre sécurité, il ne sera plus affiché\./);
    assert.ok(!(await browsers.link.get(pagePath(L.link))).body.includes('/payer/'), 'shown once');
    const stranger = new Client(t.app);
    const page = await stranger.get(`/payer/${url}`);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    const text = textOf(page.body);
    assert.match(text, /Vous réglez l’inscription de D\. A\. au cours « Cours C-R-PAY »/);
    assert.doesNotMatch(text, /Diallo|Awa/, 'initials only');
    assert.match(text, /150,00\s€ \(plein tarif\)/);
    assert.ok(page.body.includes(`action="/payer/${url}"`));
    links.first = url;
  });
  const links: { first?: string; second?: string } = {};

  it('PAY-7 bad tokens are the "no longer valid" page (404), for a visit and a payment', async () => {
    const tokens = ['A'.repeat(43), 'short', `${links.first!.slice(0, 42)}%00`, `${links.first}A`, encodeURIComponent('../candidatures'), 'é'.repeat(43)];
    for (const token of tokens) {
      const page = await new Client(t.app).get(`/payer/${token}`);
      assert.equal(page.statusCode, 404, token);
      assert.match(textOf(page.body), /Ce lien de paiement n’est plus valable|Cette page n’existe pas/, token);
    }
    const page = await new Client(t.app).get(`/payer/${'A'.repeat(43)}`);
    assert.match(textOf(page.body), /Ce lien de paiement n’est plus valable \(il a expiré ou a été remplacé\)/);
    // Past the router's 300 characters a path parameter is the framework's 414 (app-wide, not this route's): never a 500.
    const long = await new Client(t.app).get(`/payer/${'A'.repeat(500)}`);
    assert.ok(long.statusCode >= 400 && long.statusCode < 500, `too long: ${long.statusCode}`);
    const stranger = new Client(t.app);
    const csrf = csrfOf((await stranger.get(`/payer/${links.first}`)).body);
    const paid = await stranger.post(`/payer/${'A'.repeat(43)}`, { _csrf: csrf, nom: 'CCAS', courriel: 'ccas@example.org' });
    assert.equal(paid.statusCode, 404);
    assert.equal((await attemptsOf(L.link)).length, 0, 'nothing started');
  });

  it('PAY-7 the payer’s name and email are checked next to their field, what was typed kept', async () => {
    const page = `/payer/${links.first}`;
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ nom: '', courriel: 'ccas@example.org' }, 'nom', /Ce champ est obligatoire/],
      [{ nom: '   ', courriel: 'ccas@example.org' }, 'nom', /Ce champ est obligatoire/],
      [{ nom: 'CCAS\u0000', courriel: 'ccas@example.org' }, 'nom', /caractère invisible/],
      [{ nom: 'x'.repeat(201), courriel: 'ccas@example.org' }, 'nom', /./],
      [{ nom: 'CCAS du 11e', courriel: 'pas-un-courriel' }, 'courriel', /adresse électronique/i],
      [{ nom: 'CCAS du 11e', courriel: '' }, 'courriel', /Ce champ est obligatoire/],
    ];
    for (const [fields, field, message] of cases) {
      const stranger = new Client(t.app);
      const response = await stranger.submit(page, page, fields);
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.match(errorOf(response.body, field) ?? '', message, JSON.stringify(fields));
      assert.match(response.body, /class="error-summary"/);
      if (!fields.nom.includes('\u0000')) assert.equal(valueOf(response.body, 'nom'), fields.nom, 'the name kept');
      assert.equal(valueOf(response.body, 'courriel'), fields.courriel, 'the email kept');
    }
    const stranger = new Client(t.app);
    const csrf = csrfOf((await stranger.get(page)).body);
    const array = await t.app.inject({
      method: 'POST',
      url: page,
      headers: { cookie: [...stranger.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}&nom=A&nom=B&courriel=a@example.org`,
    });
    assert.equal(array.statusCode, 400, 'a list where one name is expected');
    assert.ok(errorOf(array.body, 'nom'), 'said next to the field');
    assert.equal((await attemptsOf(L.link)).length, 0, 'nothing started');
  });

  it('PAY-7 a new link revokes the old one; the third party pays through it; the attestation names the payer', async () => {
    const made = await postFrom(browsers.link, pagePath(L.link), `/candidatures/${L.link.applicationId}/lien-paiement`);
    links.second = new RegExp(`${BASE}/payer/([A-Za-z0-9_-]{43})`).exec(made.body)![1];
    assert.notEqual(links.second, links.first);
    const old = await new Client(t.app).get(`/payer/${links.first}`);
    assert.equal(old.statusCode, 404);
    assert.match(textOf(old.body), /Ce lien de paiement n’est plus valable/);

    const payer = new Client(t.app);
    const started = await payer.submit(`/payer/${links.second}`, `/payer/${links.second}`, { nom: '  CCAS du 11e  ', courriel: 'ccas@example.org' });
    assert.equal(started.statusCode, 303);
    const [attempt] = await attemptsOf(L.link);
    assert.equal(started.headers.location, `${sim.pageUrl}?idop=${attempt.idOp}`);
    assert.deepEqual([attempt.payerName, attempt.payerEmail, attempt.linkId !== null], ['CCAS du 11e', 'ccas@example.org', true]);
    assert.equal(sim.simulator.attempt(attempt.idOp!)?.mel, 'ccas@example.org', 'the provider’s receipt goes to the payer');

    await sim.simulator.pay(attempt.idOp!, 'accepted');
    const back = await payer.get(`/paiement/retour/${attempt.id}?idop=${attempt.idOp}`);
    assert.match(textOf(back.body), /Paiement accepté\. Merci : l’inscription est réglée, la personne en est informée par courriel\./);
    assert.ok(!back.body.includes('/candidatures/'), 'the payer has no account page');
    assert.equal((await notify(`idOp=${attempt.idOp}`)).statusCode, 200, 'the notification after the return');
    assert.equal(await statusOf(t.db, L.link.applicationId), 'enrolled');
    assert.equal(await enrolments(L.link), 1);
    assert.match(textOf((await new Client(t.app).get(`/payer/${links.second}`)).body), /Cette inscription est déjà réglée\. Merci\./);

    assert.match(textOf((await browsers.link.get(pagePath(L.link))).body), /Payé par : CCAS du 11e/);
    const attestation = await pdf(browsers.link, `/candidatures/${L.link.applicationId}/attestation-paiement.pdf`);
    assert.ok(attestation.includes(squash('Réglé par CCAS du 11e pour le compte de DIALLO Awa.')), attestation);
  });

  it('PAY-4 the school head replaces a lost card: the old code’s public page says replaced, the learner downloads the new one; out of scope 404, a trainer 403', async () => {
    const old = await codeOf('enrollee_card', L.main.applicationId);
    const url = `/personnel/candidatures/${L.main.applicationId}/carte`;
    assert.equal((await postFrom(browsers.otherHead, '/personnel', url)).statusCode, 404, 'out of scope');
    const trainer = await buildStaff(t.db, t.clock, 'trainer');
    await assignScope(t.db, { userId: trainer.userId, sessions: ['R-PAY'] });
    const trainerBrowser = new Client(t.app);
    await trainerBrowser.loginStaff(trainer.email, trainer.totpSecret, t.clock);
    assert.equal((await postFrom(trainerBrowser, '/personnel', url)).statusCode, 403, 'a trainer');
    assert.equal((await postFrom(browsers.main, pagePath(L.main), url)).statusCode, 403, 'a learner');
    assert.equal((await postFrom(browsers.head, '/personnel', `/personnel/candidatures/${L.down.applicationId}/carte`)).statusCode, 409, 'not paid: no card');
    assert.equal((await postFrom(browsers.head, '/personnel', `/personnel/candidatures/${UNKNOWN}/carte`)).statusCode, 404);
    assert.equal(await codeOf('enrollee_card', L.main.applicationId), old, 'nothing replaced');

    const done = await postFrom(browsers.head, '/personnel', url);
    assert.equal(done.statusCode, 303);
    const fresh = await codeOf('enrollee_card', L.main.applicationId);
    assert.notEqual(fresh, old);
    assert.equal(done.headers.location, `/verifier/${fresh.replace(/-/g, '')}`);
    const visitor = new Client(t.app);
    const oldPage = await visitor.get(`/verifier/${old}`);
    assert.equal(oldPage.statusCode, 200);
    assert.match(oldPage.body, /<h1>Document remplacé<\/h1>/);
    assert.match(textOf(oldPage.body), /remplacé par un autre : il n’est plus valable/);
    assert.match((await visitor.get(`/verifier/${fresh}`)).body, /<h1>Document authentique et valable<\/h1>/);
    const card = await pdf(browsers.main, `/candidatures/${L.main.applicationId}/carte.pdf`);
    assert.ok(card.includes(squash(fresh)) && !card.includes(squash(old)), 'the learner’s card is the new one');
    assert.equal(formatCode(fresh.replace(/-/g, '')), fresh);
  });

  it('PAY-3 the receipt of a cheque recorded at the school: a PDF with its code for staff in scope; not found out of scope, for an online payment, for an unknown id', async () => {
    const recorded = await recordSchoolPayment(deps(), { id: head.userId, role: 'school_head' }, L.cheque.applicationId, { method: 'cheque', chequeNumber: '0123456', bank: 'La Banque Postale', payerName: 'Association Alpha' });
    assert.ok(recorded.ok, JSON.stringify(recorded));
    const url = `/personnel/paiements/${recorded.payment.id}/recu.pdf`;
    const text = await pdf(browsers.head, url);
    assert.ok(text.includes(squash(await codeOf('receipt', recorded.payment.id))), text);
    assert.ok(text.includes(squash('Reçu de : Association Alpha')), text);
    assert.ok(text.includes('0123456'), text);
    assert.equal((await browsers.otherHead.get(url)).statusCode, 404, 'out of scope');
    const online = await livePaymentOf(t.db, L.main.applicationId);
    assert.equal((await browsers.head.get(`/personnel/paiements/${online.id}/recu.pdf`)).statusCode, 404, 'paid online: no school receipt');
    for (const id of [UNKNOWN, 'not-a-uuid']) assert.equal((await browsers.head.get(`/personnel/paiements/${id}/recu.pdf`)).statusCode, 404, id);
    assert.equal((await browsers.cheque.get(url)).statusCode, 403, 'a learner');
    assert.equal((await new Client(t.app).get(url)).statusCode, 303, 'a visitor: to the login page');
  });

  // Last: moves the clock past the link's 14 days.
  it('PAY-7 a link past its 14 days is no longer valid', async () => {
    const made = await postFrom(browsers.expiring, pagePath(L.expiring), `/candidatures/${L.expiring.applicationId}/lien-paiement`);
    const token = new RegExp(`${BASE}/payer/([A-Za-z0-9_-]{43})`).exec(made.body)![1];
    const payer = new Client(t.app);
    const open = await payer.get(`/payer/${token}`);
    assert.equal(open.statusCode, 200);
    const csrf = csrfOf(open.body);
    t.clock.advance(15 * 86_400_000);
    const expired = await new Client(t.app).get(`/payer/${token}`);
    assert.equal(expired.statusCode, 404);
    assert.match(textOf(expired.body), /Ce lien de paiement n’est plus valable/);
    const pay = await payer.post(`/payer/${token}`, { _csrf: csrf, nom: 'CCAS', courriel: 'ccas@example.org' });
    assert.equal(pay.statusCode, 404);
    assert.equal((await attemptsOf(L.expiring)).length, 0, 'nothing started');
  });
});

describe('online payment off (ONLINE_PAYMENT=0): at the school only (PAY-2, PAY-3)', () => {
  let t: TestApp;
  let learner: Learner;
  const browser = () => new Client(t.app);
  let client: Client;
  before(async () => {
    t = await startTestApp({ config: { ONLINE_PAYMENT: '0' } });
    await buildCatalogue(t.db, t.clock, [{ code: 'R-OFF', weekday: 2, startsAt: '18:00', endsAt: '20:00' }]);
    const deps = { db: t.db, clock: t.clock, baseUrl: BASE };
    const made = await acceptedApplicants(deps, { 'R-OFF': 1 });
    await awaitingPayment(deps, 'R-OFF', made['R-OFF']);
    [learner] = made['R-OFF'];
    client = browser();
    await client.login(learner.email);
  });
  after(() => t?.close());

  it('PAY-2 PAY-3 no "Régler" button; the page says to pay at the school; a POST is refused with the clear message, nothing started', async () => {
    const page = await client.get(`/candidatures/${learner.applicationId}/paiement`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(`/candidatures/${learner.applicationId}/regler`), 'no "Régler" form');
    assert.doesNotMatch(textOf(page.body), /par carte bancaire/);
    assert.match(textOf(page.body), /Montant à régler 150,00\s€/);
    assert.match(textOf(page.body), /Le paiement en ligne n’est pas proposé : réglez à l’établissement, par chèque ou en espèces\. Vous pouvez aussi régler à l’établissement : par chèque à l’ordre de « Régie CMA et AE », ou en espèces jusqu’à 300,00\s€, avec l’appoint\./);
    const refused = await client.post(`/candidatures/${learner.applicationId}/regler`, { _csrf: csrfOf(page.body) });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /role="alert"><p>Le paiement en ligne n’est pas proposé : réglez à l’établissement, par chèque ou en espèces\.<\/p>/);
    assert.doesNotMatch(textOf(refused.body), /Il n’y a rien à régler/, 'there is something to pay, at the school');
    assert.equal((await t.db.select().from(paymentAttempts)).length, 0);
    assert.equal(await statusOf(t.db, learner.applicationId), 'awaiting_payment');
  });
});
