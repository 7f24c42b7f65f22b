import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify from 'fastify';
import { FixedClock } from '../../../platform/clock';
import { registerCsrf } from '../../../platform/csrf';
import { createPayfipSimulator, startPayfipSimulator, type StartedSimulator } from './simulator';
import { readEnvelope, requestEnvelope, type Fields } from './soap';
import { payfipContract } from './wsdl';

/** PAY-2: the simulated PayFiP on its own, as a site and as a SOAP service. */

const valid: Fields = {
  exer: '2026',
  mel: 'lea.martin@example.fr',
  montant: '4500',
  numcli: '123456',
  objet: 'Anglais A1',
  refdet: 'CURSUS2026S0001',
  saisie: 'T',
  urlnotif: 'http://127.0.0.1:9/notification',
  urlredirect: 'https://cours.example.fr/retour',
};

describe('PAY-2: the simulated PayFiP web service answers like PayFiP', () => {
  let sim: StartedSimulator;
  before(async () => {
    sim = await startPayfipSimulator({ numcli: '123456', notification: 'never' });
  });
  after(() => sim.close());

  const post = async (body: string, contentType = 'text/xml; charset=utf-8') => {
    const response = await fetch(sim.wsUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, type: response.headers.get('content-type'), message: readEnvelope(await response.text()) };
  };
  const create = (changes: Fields) => post(requestEnvelope(payfipContract, 'creerPaiementSecurise', { ...valid, ...changes }));
  const code = (answer: Awaited<ReturnType<typeof post>>) => (answer.message?.kind === 'fault' ? answer.message.fault.detail?.fields.code : undefined);

  it('PAY-2 creerPaiementSecurise answers an idOp; a wrong field is a FonctionnelleErreur with HTTP 500, as JAX-WS sends faults', async () => {
    const ok = await create({});
    assert.equal(ok.status, 200);
    assert.match(ok.type!, /^text\/xml/);
    assert.ok(ok.message?.kind === 'message' && ok.message.element === 'creerPaiementSecuriseResponse' && /^[0-9a-f-]{36}$/.test(ok.message.fields.idOp));
    const cases: [Fields, string][] = [
      [{ numcli: '12345' }, 'T1'],
      [{ numcli: '654321' }, 'T2'],
      [{ saisie: 'A' }, 'S1'],
      [{ refdet: 'ABCD' }, 'R3'],
      [{ refdet: 'CURSUS-2026' }, 'R3'],
      [{ montant: '45,00' }, 'M1'],
      [{ montant: '99' }, 'M3'],
      [{ montant: '10000001' }, 'M5'],
      [{ mel: undefined }, 'A1'],
      [{ mel: 'john.doeexample.com' }, 'A2'],
      [{ urlnotif: 'notification' }, 'N1'],
      [{ urlredirect: `https://x/${'y'.repeat(250)}` }, 'D1'],
      [{ objet: 'Cours d’anglais' }, 'O1'],
    ];
    for (const [changes, expected] of cases) {
      const answer = await create(changes);
      assert.equal(answer.status, 500, expected);
      assert.equal(code(answer), expected, JSON.stringify(changes));
      assert.ok(answer.message?.kind === 'fault' && answer.message.fault.faultstring === 'fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur');
    }
  });

  it('PAY-2 fields in a namespace are ignored (JAXB binds the unqualified ones only); an unknown operation or a broken envelope is a client fault', async () => {
    const qualified = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="${payfipContract.namespace}"><s:Body><p:creerPaiementSecurise><arg0>${Object.entries(valid)
      .map(([k, v]) => `<p:${k}>${v}</p:${k}>`)
      .join('')}</arg0></p:creerPaiementSecurise></s:Body></s:Envelope>`;
    assert.equal(code(await post(qualified)), 'T1', 'numcli was not read');
    const wrongNamespace = await post(requestEnvelope(payfipContract, 'creerPaiementSecurise', valid).replace(`xmlns:pai="${payfipContract.namespace}"`, 'xmlns:pai="urn:other"'));
    assert.ok(wrongNamespace.message?.kind === 'fault' && wrongNamespace.message.fault.faultcode === 'S:Client' && /Cannot find dispatch method/.test(wrongNamespace.message.fault.faultstring));
    for (const broken of ['', 'idOp=1', '<a><b></a>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>']) {
      const answer = await post(broken);
      assert.equal(answer.status, 500, broken);
      assert.ok(answer.message?.kind === 'fault' && answer.message.fault.faultcode === 'S:Client', broken);
    }
    const form = await post('idOp=1', 'application/x-www-form-urlencoded');
    assert.equal(form.status, 500, 'a form is not a SOAP request either');
  });

  it('PAY-2 recupererDetailClient, and the WSDL served at ?wsdl with this endpoint’s address', async () => {
    const known = await post(requestEnvelope(payfipContract, 'recupererDetailClient', { numCli: '123456' }));
    assert.ok(known.message?.kind === 'message' && known.message.fields.numcli === '123456' && known.message.order[0] === 'libelleN1');
    assert.equal(code(await post(requestEnvelope(payfipContract, 'recupererDetailClient', { numCli: '999999' }))), 'T2');
    const wsdl = await (await fetch(`${sim.wsUrl}?wsdl`)).text();
    assert.match(wsdl, new RegExp(`<soap:address location="${sim.wsUrl}"/>`));
  });
});

describe('PAY-2: the simulated PayFiP’s page', () => {
  let sim: StartedSimulator;
  let idOp: string;
  before(async () => {
    sim = await startPayfipSimulator({ clock: new FixedClock(new Date('2026-09-14T08:00:00Z')), notification: 'never' });
  });
  after(() => sim.close());

  const newAttempt = async (changes: Fields = {}) => {
    const response = await fetch(sim.wsUrl, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: requestEnvelope(payfipContract, 'creerPaiementSecurise', { ...valid, ...changes }) });
    const message = readEnvelope(await response.text());
    assert.ok(message?.kind === 'message');
    return message.fields.idOp;
  };

  it('PAY-2 shows the amount and objet in plain accessible HTML: language, title, main, heading, labelled choices, three buttons, no script', async () => {
    idOp = await newAttempt({ montant: '123456', objet: 'Cours municipaux Anglais A1' });
    const response = await fetch(`${sim.pageUrl}?idop=${idOp}`);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /^<!doctype html>\n<html lang="fr">/);
    assert.match(html, /<title>Paiement de 1\s234,56\s€ – PayFiP \(simulation\)<\/title>/);
    assert.match(html, /<main>[\s\S]*<h1>Payer 1\s234,56\s€<\/h1>[\s\S]*<\/main>/);
    assert.match(html, /<dd>Cours municipaux Anglais A1<\/dd>/);
    for (const [, id] of html.matchAll(/<input type="radio" id="([^"]+)"/g)) assert.match(html, new RegExp(`<label for="${id}">`), id);
    assert.match(html, /<fieldset>\n<legend>Notification envoyée au service \(simulation\)<\/legend>/);
    for (const name of ['Carte acceptée', 'Carte refusée', 'Abandonner le paiement']) assert.match(html, new RegExp(`<button type="submit" name="choix" value="\\w+">${name}</button>`));
    assert.doesNotMatch(html, /<script|style=/);
    assert.match(response.headers.get('content-security-policy')!, /default-src 'none'; style-src 'self'; form-action 'self'/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal((await fetch(`${sim.origin}/simulateur.css`)).status, 200);
  });

  it('PAY-2 the choice needs the page’s one-time token: without it, or with another, nothing is paid', async () => {
    const target = await newAttempt();
    await fetch(`${sim.pageUrl}?idop=${target}`);
    for (const jeton of [undefined, '', 'forged-token-from-another-site']) {
      const forged = await fetch(sim.pageUrl, { method: 'POST', body: new URLSearchParams({ idop: target, choix: 'accepte', ...(jeton === undefined ? {} : { jeton }) }), redirect: 'manual' });
      assert.equal(forged.status, 400);
      assert.match(await forged.text(), /Formulaire expiré/);
    }
    assert.equal(sim.simulator.attempt(target)?.resultrans, undefined);
    const page = await (await fetch(`${sim.pageUrl}?idop=${target}`)).text();
    const jeton = /name="jeton" value="([^"]+)"/.exec(page)![1];
    const unknownChoice = await fetch(sim.pageUrl, { method: 'POST', body: new URLSearchParams({ idop: target, jeton, choix: 'payer' }), redirect: 'manual' });
    assert.equal(unknownChoice.status, 400);
    const ok = await fetch(sim.pageUrl, { method: 'POST', body: new URLSearchParams({ idop: target, jeton, choix: 'refuse' }), redirect: 'manual' });
    assert.equal(ok.status, 303);
    assert.equal(sim.simulator.attempt(target)?.resultrans, 'R');
  });

  it('PAY-2 an unknown idOp is the P1 page; the ticket of an unfinished payment sends back to the page', async () => {
    const unknown = await fetch(`${sim.pageUrl}?idop=0b7a3c52-0000-4000-8000-000000000000`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /<h1>Paiement impossible<\/h1>[\s\S]*P1 : IdOp incorrect/);
    assert.equal((await fetch(`${sim.pageUrl}`)).status, 404);
    const unfinished = await newAttempt();
    const ticket = await fetch(`${sim.origin}/tpa/resultat.web?idop=${unfinished}`, { redirect: 'manual' });
    assert.equal(ticket.status, 303);
    assert.equal(ticket.headers.get('location'), `/tpa/paiementws.web?idop=${unfinished}`);
  });

  it('PAY-2 down: the page is unavailable too', async () => {
    sim.simulator.configure({ service: 'down' });
    const page = await fetch(`${sim.pageUrl}?idop=${idOp}`);
    assert.equal(page.status, 503);
    sim.simulator.configure({ service: 'up' });
  });
});

describe('PAY-2: the simulator mounted in an app that has the CSRF protection', () => {
  const secret = 'x'.repeat(40);
  async function appWith(order: 'before' | 'after') {
    const app = Fastify({ logger: false });
    const simulator = createPayfipSimulator({ notification: 'never' });
    if (order === 'before') await app.register(simulator.routes, { prefix: '/simulateur-payfip' });
    await app.register(fastifyCookie, { secret });
    await registerCsrf(app, { production: false, secret });
    await app.register(fastifyFormbody);
    if (order === 'after') await app.register(simulator.routes, { prefix: '/simulateur-payfip' });
    app.post('/compte/formulaire', async () => 'done');
    app.post('/simulateur-payfip-bis/tpa/services/securite', async () => 'an app route that looks like it');
    await app.ready();
    return { app, simulator };
  }

  for (const order of ['before', 'after'] as const)
    it(`PAY-2 registered ${order} the CSRF protection, its SOAP endpoint and its page work without the app’s tokens, and the app’s own forms still need them`, async () => {
      const { app, simulator } = await appWith(order);
      try {
        const created = await app.inject({
          method: 'POST',
          url: '/simulateur-payfip/tpa/services/securite',
          headers: { 'content-type': 'text/xml; charset=utf-8' },
          payload: requestEnvelope(payfipContract, 'creerPaiementSecurise', valid),
        });
        assert.equal(created.statusCode, 200, created.body);
        const message = readEnvelope(created.body);
        assert.ok(message?.kind === 'message');
        const idOp = message.fields.idOp;
        const page = await app.inject({ url: `/simulateur-payfip/tpa/paiementws.web?idop=${idOp}` });
        assert.match(page.body, /action="\/simulateur-payfip\/tpa\/paiementws\.web"/);
        assert.match(page.body, /href="\/simulateur-payfip\/simulateur\.css"/);
        const jeton = /name="jeton" value="([^"]+)"/.exec(page.body)![1];
        const chosen = await app.inject({ method: 'POST', url: '/simulateur-payfip/tpa/paiementws.web', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ idop: idOp, jeton, choix: 'accepte' }).toString() });
        assert.equal(chosen.statusCode, 303, chosen.body);
        assert.equal(chosen.headers.location, `/simulateur-payfip/tpa/resultat.web?idop=${idOp}`);
        assert.equal(simulator.attempt(idOp)?.resultrans, 'P');
        // The exemption is the simulator's two routes, nothing else.
        for (const url of ['/compte/formulaire', '/simulateur-payfip/../compte/formulaire', '/simulateur-payfip-bis/tpa/services/securite', '/compte/formulaire?/simulateur-payfip/tpa/services/securite'])
          assert.equal((await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' })).statusCode, 403, url);
        const xmlToApp = await app.inject({ method: 'POST', url: '/compte/formulaire', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
        assert.notEqual(xmlToApp.statusCode, 200);
      } finally {
        await app.close();
      }
    });

  it('PAY-2 a body larger than the simulator takes is refused with 413', async () => {
    const { app } = await appWith('after');
    try {
      const big = await app.inject({ method: 'POST', url: '/simulateur-payfip/tpa/paiementws.web', payload: `idop=${'x'.repeat(20_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(big.statusCode, 413);
    } finally {
      await app.close();
    }
  });
});
