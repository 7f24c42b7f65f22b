import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { jobPending } from '../../platform/jobs';
import { deliverJob } from './delivery';
import { webhookMessages, webhookSecrets } from './webhooks.table';

const errorsOf = (html: string) => Object.fromEntries([...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]));
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];
const secretIn = (html: string) => /data-secret[^>]*>(whsec_[^<]+)</.exec(html)?.[1];
const LIST = '/personnel/admin/webhooks';
const RECIPIENTS = '/personnel/registre-traitements/webhooks';
const endpoint = (fields: Record<string, string> = {}) => ({
  url: 'https://portail.paris.fr/hooks',
  description: 'Portail',
  personal: 'no',
  'type_application.status_changed': 'on',
  ...fields,
});

describe('SVC-8 the administrator’s webhooks (/personnel/admin/webhooks)', () => {
  let t: TestApp;
  let admin: Client;
  let coordinator: Client;
  let trainer: Client;
  let adminId: string;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-10-01T08:00:00Z') });
    const [a, k, tr] = await Promise.all([buildStaff(t.db, t.clock, 'admin'), buildStaff(t.db, t.clock, 'coordinator'), buildStaff(t.db, t.clock, 'trainer')]);
    adminId = a.userId;
    admin = new Client(t.app);
    await admin.loginStaff(a.email, a.totpSecret, t.clock);
    coordinator = new Client(t.app);
    await coordinator.loginStaff(k.email, k.totpSecret, t.clock);
    trainer = new Client(t.app);
    await trainer.loginStaff(tr.email, tr.totpSecret, t.clock);
  });
  after(() => t.close());

  const addEndpoint = async (fields: Record<string, string> = {}) => {
    const done = await admin.submit(LIST, LIST, endpoint(fields));
    assert.equal(done.statusCode, 200, done.body.slice(0, 500));
    const id = /href="\/personnel\/admin\/webhooks\/([0-9a-f-]{36})">/.exec(done.body)?.[1];
    assert.ok(id);
    return { id, secret: secretIn(done.body), page: done };
  };

  it('SVC-8 the pages are the administrator’s: a coordinator or a trainer gets 403, a visitor the login page; the admin hub links to them', async () => {
    const { id } = await addEndpoint();
    for (const client of [coordinator, trainer]) {
      for (const path of [LIST, `${LIST}/${id}`, `${LIST}/${id}/messages/msg_1`]) assert.equal((await client.get(path)).statusCode, 403, path);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await client.get('/personnel')).body)?.[1].replaceAll('&amp;', '&') ?? '';
      for (const path of [LIST, `${LIST}/${id}`, `${LIST}/${id}/etat`, `${LIST}/${id}/secret`, `${LIST}/hotes`, `${LIST}/hotes/retirer`, `${LIST}/${id}/messages/msg_1/rejouer`])
        assert.equal((await client.post(path, { _csrf: csrf, ...endpoint(), disabled: 'yes', host: 'x.internal', reason: 'x' })).statusCode, 403, path);
    }
    const visitor = await new Client(t.app).get(LIST);
    assert.equal(visitor.statusCode, 303);
    assert.match(visitor.headers.location as string, /^\/connexion/);
    assert.match((await admin.get('/personnel/admin')).body, /href="\/personnel\/admin\/webhooks"/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(LIST)).body)![1].replaceAll('&amp;', '&');
    const noCsrf = await admin.post(LIST, endpoint());
    assert.equal(noCsrf.statusCode, 403, 'no CSRF token');
    assert.ok(csrf);
  });

  it('SVC-8 an administrator adds an endpoint and sees its secret once: on the answer (not cached), never on a page after', async () => {
    const { id, secret, page } = await addEndpoint({ url: 'https://entrepot.paris.fr/in', 'type_payment.received': 'on' });
    assert.match(secret ?? '', /^whsec_/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /affiché cette seule fois/);
    const [stored] = await t.db.select().from(webhookSecrets).where(eq(webhookSecrets.secret, secret!));
    assert.equal(stored.endpointId, id);
    for (const path of [LIST, `${LIST}/${id}`]) assert.ok(!(await admin.get(path)).body.includes(secret!), path);
    const list = (await admin.get(LIST)).body;
    assert.match(list, /https:\/\/entrepot\.paris\.fr\/in<\/a>/);
    assert.match(list, /Changement de statut d’une candidature, Paiement reçu/);
  });

  it('SVC-8 bad input: 400 with the message next to the field, what was typed kept (private address, http, no type, no choice, NUL, 100 000 characters)', async () => {
    const priv = await admin.submit(LIST, LIST, endpoint({ url: 'https://192.168.1.20/hooks', description: 'Interne' }));
    assert.equal(priv.statusCode, 400);
    assert.equal(errorsOf(priv.body).url, 'Cette adresse est celle d’un réseau interne : autorisez d’abord cet hôte (plus bas), avec la raison.');
    assert.equal(valueOf(priv.body, 'url'), 'https://192.168.1.20/hooks');
    assert.match(priv.body, /name="type_application.status_changed" type="checkbox" value="on" checked/);

    const http = await admin.submit(LIST, LIST, endpoint({ url: 'http://portail.paris.fr/hooks' }));
    assert.equal(http.statusCode, 400);
    assert.match(errorsOf(http.body).url, /https:\/\//);

    const { 'type_application.status_changed': _, ...noType } = endpoint();
    const none = await admin.submit(LIST, LIST, { ...noType, personal: '' });
    assert.equal(none.statusCode, 400);
    const errors = errorsOf(none.body);
    assert.equal(errors.personal, 'Choisissez une des options proposées.');
    const typed = await admin.submit(LIST, LIST, noType);
    assert.equal(errorsOf(typed.body).eventTypes, 'Choisissez au moins un événement.');
    assert.equal(valueOf(typed.body, 'url'), 'https://portail.paris.fr/hooks');

    const nul = await admin.submit(LIST, LIST, endpoint({ url: 'https://portail.paris.fr/\u0000', description: 'x'.repeat(100_000) }));
    assert.equal(nul.statusCode, 400);
    assert.ok(errorsOf(nul.body).url, 'the NUL byte');
    assert.ok(errorsOf(nul.body).description, 'too long');
    const odd = await admin.submit(LIST, LIST, endpoint({ 'type_payment.received': 'yes', personal: 'maybe' }));
    assert.equal(odd.statusCode, 400);

    const host = await admin.submit(LIST, `${LIST}/hotes`, { host: 'https://x.internal/path', reason: '' });
    assert.equal(host.statusCode, 400);
    assert.equal(errorsOf(host.body).reason, 'Ce champ est obligatoire.');
    assert.equal(valueOf(host.body, 'host'), 'https://x.internal/path');
    const host2 = await admin.submit(LIST, `${LIST}/hotes`, { host: 'https://x.internal/path', reason: 'Entrepôt' });
    assert.equal(errorsOf(host2.body).host, 'Indiquez un nom d’hôte ou une adresse IP, sans https://, sans chemin ni port.');
    assert.doesNotMatch((await admin.get(LIST)).body, /192\.168\.1\.20/, 'nothing was made');
  });

  it('SVC-8 an allowed internal host may be registered, also over http; removing it refuses new registrations again', async () => {
    const allowed = await admin.submit(LIST, `${LIST}/hotes`, { host: '10.20.0.5', reason: 'Entrepôt de données interne' });
    assert.equal(allowed.statusCode, 303);
    assert.match((await admin.get(allowed.headers.location as string)).body, /L’hôte est autorisé/);
    const { id } = await addEndpoint({ url: 'http://10.20.0.5:8080/in' });
    assert.ok(id);
    const removed = await admin.submit(LIST, `${LIST}/hotes/retirer`, { host: '10.20.0.5' });
    assert.equal(removed.statusCode, 303);
    assert.equal((await admin.submit(LIST, LIST, endpoint({ url: 'http://10.20.0.5:8080/in' }))).statusCode, 400);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(LIST)).body)![1].replaceAll('&amp;', '&');
    assert.equal((await admin.post(`${LIST}/hotes/retirer`, { _csrf: csrf, host: 'nope.internal' })).statusCode, 404);
    assert.equal((await admin.post(`${LIST}/hotes/retirer`, { _csrf: csrf, host: 'a\u0000' })).statusCode, 404);
  });

  it('SVC-8 edit, disable, enable, rotate (the new secret shown once, the old one valid 24 h), replay (same id, a job queued)', async () => {
    const { id, secret } = await addEndpoint();
    const page = `${LIST}/${id}`;
    const edited = await admin.submit(page, page, endpoint({ url: 'https://portail.paris.fr/v2', personal: 'yes', 'type_session.cancelled': 'on' }));
    assert.equal(edited.statusCode, 303);
    const shown = (await admin.get(edited.headers.location as string)).body;
    assert.match(shown, /L’adresse est modifiée/);
    assert.equal(valueOf(shown, 'url'), 'https://portail.paris.fr/v2');
    const bad = await admin.submit(page, page, endpoint({ url: 'ftp://x' }));
    assert.equal(bad.statusCode, 400);
    assert.ok(errorsOf(bad.body).url);

    const disabled = await admin.submit(page, `${page}/etat`, { disabled: 'yes' });
    assert.equal(disabled.statusCode, 303);
    assert.match((await admin.get(disabled.headers.location as string)).body, /Désactivée le/);
    assert.equal((await admin.submit(page, `${page}/etat`, { disabled: 'maybe' })).statusCode, 400);
    const enabled = await admin.submit(page, `${page}/etat`, { disabled: 'no' });
    assert.equal(enabled.statusCode, 303);
    assert.match((await admin.get(page)).body, /Active/);

    const rotated = await admin.submit(page, `${page}/secret`, {});
    assert.equal(rotated.statusCode, 200);
    assert.equal(rotated.headers['cache-control'], 'no-store');
    const fresh = secretIn(rotated.body);
    assert.match(fresh ?? '', /^whsec_/);
    assert.notEqual(fresh, secret);
    assert.match(rotated.body, /L’ancien secret signe encore les messages jusqu’au 2 octobre 2026/);
    assert.ok(!(await admin.get(page)).body.includes(fresh!));

    await t.db.insert(webhookMessages).values({
      id: 'msg_routes1',
      endpointId: id,
      eventType: 'application.status_changed',
      payload: { type: 'application.status_changed', timestamp: '2026-10-01T08:00:00Z', data: { application_id: 'a1', from: 'submitted', to: 'accepted', note: '<script>alert(1)</script>' } },
      createdAt: t.clock.now(),
      attempts: 10,
      failedAt: t.clock.now(),
    });
    const messagePage = `${page}/messages/msg_routes1`;
    assert.match((await admin.get(page)).body, /href="\/personnel\/admin\/webhooks\/[0-9a-f-]+\/messages\/msg_routes1"/);
    const detail = await admin.get(messagePage);
    assert.equal(detail.statusCode, 200);
    assert.doesNotMatch(detail.body, /<script>alert/, 'the payload is escaped');
    const replayed = await admin.submit(messagePage, `${messagePage}/rejouer`, {});
    assert.equal(replayed.statusCode, 303);
    assert.match((await admin.get(replayed.headers.location as string)).body, /Le message est renvoyé/);
    const [message] = await t.db.select().from(webhookMessages).where(eq(webhookMessages.id, 'msg_routes1'));
    assert.deepEqual([message.replayedBy, message.failedAt], [adminId, null]);
    assert.ok(await jobPending(t.db, { kind: deliverJob, payload: { messageId: 'msg_routes1' } }));

    await admin.submit(page, `${page}/etat`, { disabled: 'yes' });
    const refused = await admin.submit(messagePage, `${messagePage}/rejouer`, {});
    assert.equal(refused.statusCode, 400);
    assert.equal(errorsOf(refused.body).replay, undefined);
    assert.match(refused.body, /réactivez-la avant de renvoyer/);
  });

  it('SVC-8 odd ids are 404, never 500: unknown, not a uuid, huge, a NUL byte; on the forms too', async () => {
    const { id } = await addEndpoint();
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(LIST)).body)![1].replaceAll('&amp;', '&');
    for (const bad of ['00000000-0000-4000-8000-000000000000', '1', 'abc', '1%00', '9'.repeat(400), '%ZZ']) {
      assert.equal((await admin.get(`${LIST}/${bad}`)).statusCode, bad === '9'.repeat(400) ? 414 : bad === '%ZZ' ? 400 : 404, bad);
      for (const path of ['', '/etat', '/secret']) assert.ok([400, 404, 414].includes((await admin.post(`${LIST}/${bad}${path}`, { _csrf: csrf, ...endpoint(), disabled: 'yes' })).statusCode), `${bad}${path}`);
    }
    for (const message of ['msg_nope', 'nope', 'msg_%00', `msg_${'a'.repeat(65)}`, 'msg_a-b'])
      for (const suffix of ['', '/rejouer']) {
        const response = suffix ? await admin.post(`${LIST}/${id}/messages/${message}${suffix}`, { _csrf: csrf }) : await admin.get(`${LIST}/${id}/messages/${message}`);
        assert.equal(response.statusCode, 404, `${message}${suffix}`);
      }
  });

  it('SVC-8 the DPO’s list: administrators and coordinators read what each endpoint receives, personal fields only where granted; a trainer gets 403; linked from the register', async () => {
    await addEndpoint({ url: 'https://dpo-granted.paris.fr/in', personal: 'yes' });
    await addEndpoint({ url: 'https://dpo-plain.paris.fr/in', 'type_payment.received': 'on' });
    assert.equal((await trainer.get(RECIPIENTS)).statusCode, 403);
    for (const client of [admin, coordinator]) {
      const page = await client.get(RECIPIENTS);
      assert.equal(page.statusCode, 200);
      const granted = page.body.slice(page.body.indexOf('https://dpo-granted.paris.fr/in</h2>'));
      assert.match(granted.slice(0, granted.indexOf('</section>')), /<code>learner<\/code>.*donnée personnelle/);
      assert.match(granted.slice(0, granted.indexOf('</section>')), /« deleted » : la candidature a été supprimée par l’auditeur/, 'the deletion named with the status field');
      const plain = page.body.slice(page.body.indexOf('https://dpo-plain.paris.fr/in</h2>'));
      const section = plain.slice(0, plain.indexOf('</section>'));
      assert.match(section, /<code>payment_id<\/code>/);
      assert.doesNotMatch(section, /<code>learner<\/code>/);
    }
    assert.match((await coordinator.get('/personnel/registre-traitements')).body, /href="\/personnel\/registre-traitements\/webhooks"/);
  });

  it('SVC-8 a new URL: the messages waiting are not sent to it, and the page says to replay those the new receiver should have', async () => {
    const { id } = await addEndpoint({ url: 'https://ancienne.paris.fr/in' });
    const page = `${LIST}/${id}`;
    await t.db.insert(webhookMessages).values({ id: 'msg_route_url_changed', endpointId: id, eventType: 'application.status_changed', payload: { type: 'application.status_changed', timestamp: t.clock.now().toISOString(), data: {} }, createdAt: t.clock.now(), nextAttemptAt: t.clock.now() });
    const same = await admin.submit(page, page, endpoint({ url: 'https://ancienne.paris.fr/in', description: 'Autre description' }));
    assert.match(String(same.headers.location), /message=saved$/, 'the same URL: nothing withheld');
    const moved = await admin.submit(page, page, endpoint({ url: 'https://nouvelle.paris.fr/in' }));
    assert.equal(moved.statusCode, 303);
    assert.match(String(moved.headers.location), /message=urlChanged$/);
    assert.match((await admin.get(moved.headers.location as string)).body, /n’ont pas été envoyés à la nouvelle URL/);
    const [message] = await t.db.select().from(webhookMessages).where(eq(webhookMessages.id, 'msg_route_url_changed'));
    assert.ok(message.failedAt, 'given up, to be replayed');
  });

  it('SVC-8 the forms are limited per administrator (429 past the limit, never a 500)', async () => {
    const { id } = await addEndpoint();
    const page = `${LIST}/${id}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(page)).body)![1].replaceAll('&amp;', '&');
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) last = (await admin.post(`${page}/etat`, { _csrf: csrf, disabled: 'maybe' })).statusCode;
    assert.equal(last, 429);
  });
});
