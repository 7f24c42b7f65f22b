import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import soap from 'soap';
import { FixedClock, MINUTE } from '../../../platform/clock';
import { ProviderRejected, ProviderUnavailable, type CreateAttempt, type PaymentProvider } from '../provider';
import { createPayfipClient } from './payfip';
import { SimulatorRefusal, startPayfipSimulator, type NotificationMode, type StartedSimulator } from './simulator';
import { parseXml, type XmlElement } from './xml';

/**
 * PAY-2, over real HTTP: the real client against the simulated PayFiP on a free port, a browser
 * played with fetch (the page's own form, its one-time token, the ticket page's link back), and
 * a tiny receiver standing for the app's notification URL.
 */

interface Received {
  at: number;
  contentType: string;
  body: string;
}

async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ at: Date.now(), contentType: String(request.headers['content-type']), body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/paiements/payfip/notification`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const decode = (attr: string) => attr.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The payer on the PayFiP page: opens it, clicks a button, follows to the ticket and reads the link back. */
async function payOnPage(redirectUrl: string, choix: 'accepte' | 'refuse' | 'abandon', notification?: NotificationMode) {
  const page = await fetch(redirectUrl);
  const html = await page.text();
  assert.equal(page.status, 200, html);
  const form = (name: string) => decode(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]);
  const action = new URL(decode(/<form method="post" action="([^"]+)"/.exec(html)![1]), redirectUrl);
  const body = new URLSearchParams({ idop: form('idop'), jeton: form('jeton'), choix, ...(notification ? { notification } : {}) });
  const chosen = await fetch(action, { method: 'POST', body, redirect: 'manual' });
  const chosenAt = Date.now();
  assert.equal(chosen.status, 303);
  const ticket = await fetch(new URL(chosen.headers.get('location')!, redirectUrl));
  const ticketHtml = await ticket.text();
  const back = decode(/<a href="([^"]+)">Retourner sur le site du service<\/a>/.exec(ticketHtml)![1]);
  return { chosenAt, ticketHtml, back, replay: () => fetch(action, { method: 'POST', body, redirect: 'manual' }) };
}

describe('PAY-2: the PayFiP client against the simulated PayFiP, over HTTP', () => {
  let sim: StartedSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: PaymentProvider;
  const clock = new FixedClock(new Date('2026-09-14T08:00:00Z'));
  let counter = 0;
  const attempt = (changes: Partial<CreateAttempt> = {}): CreateAttempt => ({
    refdet: `CURSUS2026P${String(++counter).padStart(5, '0')}`,
    exer: 2026,
    objet: 'Cours municipaux d’adultes — Anglais A1 (2026-2027)',
    amountCents: 4500,
    email: 'lea.martin@example.fr',
    notifyUrl: receiver.url,
    returnUrl: 'https://cours.example.fr/paiements/payfip/retour?tentative=7',
    ...changes,
  });

  before(async () => {
    sim = await startPayfipSimulator({ clock, numcli: '123456', lateMs: 400 });
    receiver = await startReceiver();
    client = createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl, timeoutMs: 2_000 });
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await sim.simulator.settled();
    sim.simulator.configure({ notification: 'normal', service: 'up' });
    receiver.received.length = 0;
  });

  it('PAY-2 create → the PayFiP page → card accepted → details say paid, at the time on Paris clocks, with the authorisation number', async () => {
    const created = await client.create(attempt({ amountCents: 12_345 }));
    assert.match(created.idOp, /^[0-9a-f-]{36}$/);
    assert.equal(created.redirectUrl, `${sim.pageUrl}?idop=${created.idOp}`);
    assert.equal(client.mode, 'T');
    assert.deepEqual(await client.details(created.idOp), { kind: 'not_yet' }, 'P5 while the payer is on the page');

    clock.advance(3 * MINUTE);
    const paid = await payOnPage(created.redirectUrl, 'accepte');
    assert.match(paid.ticketHtml, /<h1>Paiement accepté<\/h1>/);
    assert.equal(paid.back, `https://cours.example.fr/paiements/payfip/retour?tentative=7&idop=${created.idOp}`, 'the browser comes back to urlredirect with idop');

    const details = await client.details(created.idOp);
    assert.equal(details.kind, 'paid');
    assert.ok(details.kind === 'paid');
    assert.equal(details.amountCents, 12_345);
    assert.match(details.refdet, /^CURSUS2026P\d{5}$/);
    assert.equal(details.paidAt.toISOString(), '2026-09-14T08:03:00.000Z', 'heurtrans 1003 in Paris (summer time) is 08:03 UTC');
    assert.match(details.transactionId, /^\d{12}$/);
    assert.deepEqual(
      { dattrans: details.raw.dattrans, heurtrans: details.raw.heurtrans, resultrans: details.raw.resultrans, objet: details.raw.objet, numcli: details.raw.numcli },
      { dattrans: '14092026', heurtrans: '1003', resultrans: 'P', objet: 'Cours municipaux d adultes Anglais A1 2026 2027', numcli: '123456' },
    );
    await sim.simulator.settled();
    assert.deepEqual(
      receiver.received.map((r) => [r.contentType, r.body]),
      [['application/x-www-form-urlencoded', `idOp=${created.idOp}`]],
      'the notification is an unsigned POST of idOp alone',
    );
  });

  it('PAY-2 card refused and abandoned on the page are told by details; each idOp is new', async () => {
    const refused = await client.create(attempt());
    const abandoned = await client.create(attempt());
    assert.notEqual(refused.idOp, abandoned.idOp);
    assert.match((await payOnPage(refused.redirectUrl, 'refuse')).ticketHtml, /Paiement refusé/);
    assert.match((await payOnPage(abandoned.redirectUrl, 'abandon')).ticketHtml, /Paiement abandonné/);
    const r = await client.details(refused.idOp);
    const a = await client.details(abandoned.idOp);
    assert.deepEqual([r.kind, r.kind === 'refused' && r.raw.resultrans, r.kind === 'refused' && r.amountCents], ['refused', 'R', 4500]);
    assert.deepEqual([a.kind, a.kind === 'abandoned' && a.raw.resultrans], ['abandoned', 'A']);
    const again = await client.create(attempt({ refdet: r.kind === 'refused' ? r.refdet : '' }));
    assert.ok(![refused.idOp, abandoned.idOp].includes(again.idOp), 'a new idOp for a new attempt on the same amount due');
  });

  it('PAY-2 direct debit results (V paid, Z refused), through the test hook', async () => {
    const v = await client.create(attempt());
    const z = await client.create(attempt());
    await sim.simulator.pay(v.idOp, 'accepted', { method: 'debit', notification: 'never' });
    await sim.simulator.pay(z.idOp, 'refused', { method: 'debit', notification: 'never' });
    const paid = await client.details(v.idOp);
    const refused = await client.details(z.idOp);
    assert.deepEqual([paid.kind, paid.kind === 'paid' && paid.raw.resultrans], ['paid', 'V']);
    assert.deepEqual([refused.kind, refused.kind === 'refused' && refused.raw.resultrans], ['refused', 'Z']);
  });

  it('PAY-2 the envelopes sent are the recorded WSDL’s: the same element tree as node-soap (a WSDL-driven client) writes', async () => {
    const before = sim.simulator.requests.length;
    const input = attempt();
    const created = await client.create(input);
    await client.details(created.idOp);
    const [creation, details] = sim.simulator.requests.slice(before).map((r) => parseXml(r.body)!);
    // node-soap builds its own envelopes from the same WSDL, served by the simulator at ?wsdl.
    const reference = await soap.createClientAsync(`${sim.wsUrl}?wsdl`);
    await reference.creerPaiementSecuriseAsync({
      arg0: { exer: '2026', mel: input.email, montant: '4500', numcli: '123456', objet: 'Cours municipaux d adultes Anglais A1 2026 2027', refdet: 'ABCDEF', saisie: 'T', urlnotif: input.notifyUrl, urlredirect: input.returnUrl },
    });
    const theirsCreation = parseXml(reference.lastRequest!)!;
    await reference.recupererDetailPaiementSecuriseAsync({ arg0: { idOp: created.idOp } }).catch(() => undefined);
    const theirsDetails = parseXml(reference.lastRequest!)!;
    const tree = (envelope: XmlElement) => {
      const body = envelope.children.find((c) => c.local === 'Body')!;
      const shape = (e: XmlElement): unknown => [e.ns, e.local, e.children.map(shape)];
      return [envelope.ns, envelope.local, shape(body)];
    };
    assert.deepEqual(tree(creation), tree(theirsCreation));
    assert.deepEqual(tree(details), tree(theirsDetails));
    const operation = creation.children.find((c) => c.local === 'Body')!.children[0];
    assert.equal(operation.ns, 'http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService');
    assert.deepEqual(
      operation.children[0].children.map((c) => c.local),
      ['exer', 'mel', 'montant', 'numcli', 'objet', 'refdet', 'saisie', 'urlnotif', 'urlredirect'],
    );
  });

  it('PAY-2 P1: an idOp PayFiP does not know is "unknown"; one that is not an idOp is not even sent', async () => {
    assert.deepEqual(await client.details('0b7a3c52-0000-4000-8000-000000000000'), { kind: 'unknown' });
    const before = sim.simulator.requests.length;
    for (const garbage of ['', '../../etc/passwd', '<x/>', 'a'.repeat(65), 'idop=1&x'])
      assert.deepEqual(await client.details(garbage), { kind: 'unknown' }, garbage);
    assert.equal(sim.simulator.requests.length, before);
  });

  it('PAY-2 P5 then P4: not known while the payer is on the page; expired past 15 minutes, when the page and the hook refuse it too', async () => {
    const created = await client.create(attempt());
    clock.advance(14 * MINUTE + 59_000);
    assert.deepEqual(await client.details(created.idOp), { kind: 'not_yet' });
    clock.advance(1_000);
    assert.deepEqual(await client.details(created.idOp), { kind: 'expired' });
    const page = await fetch(created.redirectUrl);
    assert.equal(page.status, 410);
    assert.match(await page.text(), /P4 : L&#39;idOp ne doit pas avoir été enregistré depuis plus de 15 minutes/);
    await assert.rejects(sim.simulator.pay(created.idOp, 'accepted'), (e: Error) => e instanceof SimulatorRefusal && e.code === 'P4');
    // The next night PayFiP purges it: unknown.
    clock.advance(24 * 60 * MINUTE);
    assert.deepEqual(await client.details(created.idOp), { kind: 'unknown' });
  });

  it('PAY-2 P3: an idOp paid once cannot be paid again (page, replayed form, hook); its details stay those of the first payment', async () => {
    const created = await client.create(attempt());
    const paid = await payOnPage(created.redirectUrl, 'accepte');
    const reopened = await fetch(created.redirectUrl);
    assert.equal(reopened.status, 409);
    assert.match(await reopened.text(), /P3 : /);
    const replayed = await paid.replay();
    assert.equal(replayed.status, 409, 'the one-time token was used');
    await assert.rejects(sim.simulator.pay(created.idOp, 'refused'), (e: Error) => e instanceof SimulatorRefusal && e.code === 'P3');
    const details = await client.details(created.idOp);
    assert.equal(details.kind, 'paid');
    // A finished idOp stays known long after its 15 minutes.
    clock.advance(3 * 24 * 60 * MINUTE);
    assert.equal((await client.details(created.idOp)).kind, 'paid');
  });

  it('PAY-2 a functional error other than the P-codes is a refusal with PayFiP’s code; what PayFiP would refuse is refused before sending', async () => {
    const otherClient = createPayfipClient({ numcli: '654321', saisie: 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl });
    await assert.rejects(otherClient.create(attempt()), (e: Error) => e instanceof ProviderRejected && e.code === 'T2' && /T2/.test(e.message));
    const before = sim.simulator.requests.length;
    for (const [changes, field] of [
      [{ refdet: 'ABC' }, 'refdet'],
      [{ amountCents: 99 }, 'montant'],
      [{ amountCents: 10_000_001 }, 'montant'],
      [{ email: 'lea' }, 'mel'],
      [{ notifyUrl: `${receiver.url}?${'x'.repeat(250)}` }, 'urlnotif'],
      [{ returnUrl: 'ftp://x/y' }, 'urlredirect'],
    ] as const)
      await assert.rejects(client.create(attempt(changes)), (e: Error) => e instanceof ProviderRejected && e.code === `invalid:${field}`, field);
    assert.equal(sim.simulator.requests.length, before, 'nothing was sent');
    assert.throws(() => createPayfipClient({ numcli: '12345', saisie: 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl }), /numcli/);
    assert.throws(() => createPayfipClient({ numcli: '123456', saisie: 'Z' as 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl }), /saisie/);
  });
});

describe('PAY-2: the notification modes of the simulated PayFiP, seen by a receiver', () => {
  let sim: StartedSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: PaymentProvider;
  let counter = 0;
  const create = () =>
    client.create({
      refdet: `NOTIF2026X${String(++counter).padStart(4, '0')}`,
      exer: 2026,
      objet: 'Anglais',
      amountCents: 4500,
      email: 'lea.martin@example.fr',
      notifyUrl: receiver.url,
      returnUrl: 'https://cours.example.fr/retour',
    });

  before(async () => {
    sim = await startPayfipSimulator({ lateMs: 500 });
    receiver = await startReceiver();
    client = createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl });
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await sim.simulator.settled();
    receiver.received.length = 0;
  });

  it('PAY-2 twice: the same idOp is notified two times', async () => {
    const created = await create();
    await payOnPage(created.redirectUrl, 'accepte', 'twice');
    await sim.simulator.settled();
    assert.deepEqual(receiver.received.map((r) => r.body), [`idOp=${created.idOp}`, `idOp=${created.idOp}`]);
  });

  it('PAY-2 late: the browser is back before the notification comes', async () => {
    const created = await create();
    const paid = await payOnPage(created.redirectUrl, 'accepte', 'late');
    assert.equal(receiver.received.length, 0, 'nothing yet when the browser has the link back');
    await sim.simulator.settled();
    assert.equal(receiver.received.length, 1);
    assert.ok(receiver.received[0].at - paid.chosenAt >= 400, `${receiver.received[0].at - paid.chosenAt} ms after the payment`);
  });

  it('PAY-2 before the return: the notification has arrived when the browser is sent on', async () => {
    const created = await create();
    const paid = await payOnPage(created.redirectUrl, 'refuse', 'before-return');
    assert.equal(receiver.received.length, 1);
    assert.ok(receiver.received[0].at <= paid.chosenAt);
  });

  it('PAY-2 never: no notification, and details still tell the result', async () => {
    const created = await create();
    await payOnPage(created.redirectUrl, 'accepte', 'never');
    await sim.simulator.settled();
    assert.equal(receiver.received.length, 0);
    assert.equal((await client.details(created.idOp)).kind, 'paid');
  });

  it('PAY-2 the mode configured is the page’s default and the hook’s; a notification that cannot be delivered is recorded, not retried', async () => {
    sim.simulator.configure({ notification: 'twice' });
    const created = await create();
    await sim.simulator.pay(created.idOp, 'abandoned');
    await sim.simulator.settled();
    assert.equal(receiver.received.length, 2);
    sim.simulator.configure({ notification: 'normal' });
    const lost = await client.create({
      refdet: 'LOST000001',
      exer: 2026,
      objet: '',
      amountCents: 100,
      email: 'a@b.fr',
      notifyUrl: 'http://127.0.0.1:9/nobody',
      returnUrl: 'https://cours.example.fr/retour',
    });
    await sim.simulator.pay(lost.idOp, 'accepted');
    await sim.simulator.settled();
    const record = sim.simulator.notifications.find((n) => n.idOp === lost.idOp)!;
    assert.equal(record.status, undefined);
    assert.match(record.error!, /fetch failed|ECONNREFUSED/);
  });
});

describe('PAY-2: PayFiP down or slow is "unavailable", within the timeout', () => {
  let sim: StartedSimulator;
  const input: CreateAttempt = {
    refdet: 'DOWN000001',
    exer: 2026,
    objet: 'Anglais',
    amountCents: 4500,
    email: 'lea.martin@example.fr',
    notifyUrl: 'https://cours.example.fr/notification',
    returnUrl: 'https://cours.example.fr/retour',
  };
  before(async () => {
    sim = await startPayfipSimulator({ slowMs: 5_000 });
  });
  after(() => sim.close());

  const client = (timeoutMs = 300) => createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl, timeoutMs });
  const unavailable = (pattern: RegExp) => (e: Error) => e instanceof ProviderUnavailable && pattern.test(e.message);

  it('PAY-2 down (HTTP 503, not SOAP) and garbled (HTTP 200, not SOAP): both calls say unavailable', async () => {
    const idOp = (await client().create(input)).idOp;
    for (const service of ['down', 'garbled'] as const) {
      sim.simulator.configure({ service });
      await assert.rejects(client().create(input), unavailable(/no SOAP envelope/), service);
      await assert.rejects(client().details(idOp), unavailable(/no SOAP envelope/), service);
    }
    sim.simulator.configure({ service: 'up' });
    assert.deepEqual(await client().details(idOp), { kind: 'not_yet' }, 'and back when it is');
  });

  it('PAY-2 slow: the call gives up after the timeout, not after the answer', async () => {
    sim.simulator.configure({ service: 'slow' });
    for (const call of [() => client(300).create(input), () => client(300).details('0b7a3c52-0000-4000-8000-000000000000')]) {
      const started = Date.now();
      await assert.rejects(call(), unavailable(/within 300 ms/));
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 290 && elapsed < 2_000, `${elapsed} ms`);
    }
    sim.simulator.configure({ service: 'up' });
  });

  it('PAY-2 unreachable (nothing listens) and a server error page are unavailable too', async () => {
    const nobody = createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: 'http://127.0.0.1:9/tpa/services/securite', pageUrl: sim.pageUrl, timeoutMs: 1_000 });
    await assert.rejects(nobody.create(input), unavailable(/could not be reached/));
    const wrongPath = createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: `${sim.origin}/tpa/services/autre`, pageUrl: sim.pageUrl });
    await assert.rejects(wrongPath.details('0b7a3c52-0000-4000-8000-000000000000'), unavailable(/HTTP 404/));
  });
});
