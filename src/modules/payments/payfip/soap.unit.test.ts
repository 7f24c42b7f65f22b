import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import soap from 'soap';
import { faultEnvelope, readEnvelope, requestEnvelope, responseEnvelope, SOAP_ENVELOPE } from './soap';
import { payfipContract, WSDL_PATH } from './wsdl';
import { parseXml } from './xml';

const NS = 'http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService';

/** The recorded WSDL as another reader sees it: node-soap's description (its own WSDL and XSD parser). */
async function describedBySoap() {
  const client = await soap.createClientAsync(WSDL_PATH);
  const port = client.describe().PaiementSecuriseService.PaiementSecuriseServicePort;
  const fields = (side: Record<string, unknown>) => {
    const [wrapper] = Object.keys(side).filter((k) => !['targetNSAlias', 'targetNamespace'].includes(k));
    return { wrapper, fields: Object.keys(side[wrapper] as object).filter((k) => !['targetNSAlias', 'targetNamespace'].includes(k)), namespace: side.targetNamespace };
  };
  return Object.fromEntries(
    Object.entries(port as Record<string, { input: Record<string, unknown>; output: Record<string, unknown> }>).map(([name, op]) => [
      name,
      { input: fields(op.input), output: fields(op.output) },
    ]),
  );
}

describe('PAY-2: the recorded PayFiP WSDL', () => {
  it('is read the same by payfip/wsdl.ts and by node-soap: operations, wrappers, fields and their order, namespace', async () => {
    const described = await describedBySoap();
    assert.equal(payfipContract.namespace, NS);
    assert.equal(payfipContract.address, 'https://www.payfip.gouv.fr/tpa/services/securite');
    assert.deepEqual(Object.keys(payfipContract.operations).sort(), Object.keys(described).sort());
    for (const [name, op] of Object.entries(payfipContract.operations)) {
      for (const side of ['input', 'output'] as const) {
        assert.equal(op[side].wrapper, described[name][side].wrapper, `${name} ${side}`);
        assert.deepEqual(op[side].fields, described[name][side].fields, `${name} ${side}`);
        assert.equal(described[name][side].namespace, NS);
      }
    }
    assert.deepEqual(payfipContract.operations.creerPaiementSecurise.input.fields, ['exer', 'mel', 'montant', 'numcli', 'objet', 'refdet', 'saisie', 'urlnotif', 'urlredirect']);
    assert.deepEqual(payfipContract.operations.recupererDetailPaiementSecurise.output.fields, [
      'dattrans', 'exer', 'heurtrans', 'idOp', 'mel', 'montant', 'numauto', 'numcli', 'objet', 'refdet', 'resultrans', 'saisie',
    ]);
    assert.deepEqual(payfipContract.faults.FonctionnelleErreur, ['code', 'descriptif', 'libelle', 'message', 'severite']);
  });
});

describe('PAY-2: SOAP envelopes', () => {
  it('a request: body element in the service namespace, arg0 and its fields unqualified, in the schema’s order whatever the order given', () => {
    const xml = requestEnvelope(payfipContract, 'creerPaiementSecurise', { urlredirect: 'https://r', refdet: 'ABCDEF', exer: '2026', montant: '100', numcli: '123456' });
    const root = parseXml(xml)!;
    assert.equal(root.ns, SOAP_ENVELOPE);
    const operation = root.children.find((c) => c.local === 'Body')!.children[0];
    assert.deepEqual([operation.ns, operation.local], [NS, 'creerPaiementSecurise']);
    assert.deepEqual([operation.children[0].ns, operation.children[0].local], ['', 'arg0']);
    assert.deepEqual(
      operation.children[0].children.map((c) => [c.ns, c.local]),
      [['', 'exer'], ['', 'montant'], ['', 'numcli'], ['', 'refdet'], ['', 'urlredirect']],
    );
    assert.throws(() => requestEnvelope(payfipContract, 'creerPaiementSecurise', { object: 'x' }), /no field object/, 'a misspelt field is not sent (Odoo once sent <object>)');
  });

  it('escapes what it writes and reads it back', () => {
    const xml = requestEnvelope(payfipContract, 'creerPaiementSecurise', { urlnotif: 'https://x/?a=1&b=<2>"\'', mel: 'a\u0001@b.fr' });
    const read = readEnvelope(xml);
    assert.ok(read?.kind === 'message');
    assert.equal(read.fields.urlnotif, 'https://x/?a=1&b=<2>"\'');
    assert.equal(read.fields.mel, 'a@b.fr', 'a control character XML cannot carry is dropped');
  });

  it('an answer and a fault as JAX-WS writes them, read back', () => {
    const answer = readEnvelope(responseEnvelope(payfipContract, 'creerPaiementSecurise', { idOp: 'cc0cb210-1cd4-11ea-8cca-0213ad91a103' }));
    assert.deepEqual(answer, {
      kind: 'message', ns: NS, element: 'creerPaiementSecuriseResponse', wrapper: 'return', fields: { idOp: 'cc0cb210-1cd4-11ea-8cca-0213ad91a103' }, order: ['idOp'], qualified: [],
    });
    const fault = readEnvelope(
      faultEnvelope(payfipContract, {
        faultcode: 'S:Server',
        faultstring: 'fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur',
        detail: { type: 'FonctionnelleErreur', fields: { severite: '2', libelle: 'IdOp incorrect', code: 'P1' } },
      }),
    );
    assert.deepEqual(fault, {
      kind: 'fault',
      fault: {
        faultcode: 'S:Server',
        faultstring: 'fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur',
        detail: { type: 'FonctionnelleErreur', fields: { code: 'P1', libelle: 'IdOp incorrect', severite: '2' } },
      },
    });
  });

  it('reads answers written with other prefixes and default namespaces; refuses what is not a SOAP 1.1 envelope', () => {
    const other = `<env:Envelope xmlns:env="${SOAP_ENVELOPE}"><env:Body><creerPaiementSecuriseResponse xmlns="${NS}"><return xmlns=""><idOp>42</idOp></return></creerPaiementSecuriseResponse></env:Body></env:Envelope>`;
    const read = readEnvelope(other);
    assert.ok(read?.kind === 'message' && read.ns === NS && read.fields.idOp === '42');
    const qualified = readEnvelope(`<env:Envelope xmlns:env="${SOAP_ENVELOPE}" xmlns:p="${NS}"><env:Body><p:creerPaiementSecurise><arg0><p:refdet>X</p:refdet></arg0></p:creerPaiementSecurise></env:Body></env:Envelope>`);
    assert.ok(qualified?.kind === 'message');
    assert.deepEqual([qualified.fields, qualified.qualified], [{}, ['refdet']], 'a qualified field is not the schema’s: JAXB ignores it');
    for (const bad of [
      '',
      'Service indisponible',
      '<html><body>502 Bad Gateway</body></html>',
      `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><x/></env:Body></env:Envelope>`,
      `<env:Envelope xmlns:env="${SOAP_ENVELOPE}"><env:Body></env:Body></env:Envelope>`,
      `<env:Envelope xmlns:env="${SOAP_ENVELOPE}"><env:Body><a></env:Body></env:Envelope>`,
      `<!DOCTYPE x [<!ENTITY a "aaaa">]><env:Envelope xmlns:env="${SOAP_ENVELOPE}"><env:Body><b>&a;</b></env:Body></env:Envelope>`,
    ])
      assert.equal(readEnvelope(bad), undefined, bad);
  });
});
