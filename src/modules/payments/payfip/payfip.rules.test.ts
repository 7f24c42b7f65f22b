import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreateAttempt } from '../provider';
import { attemptFields, cleanObjet, faultMeaning, readDetails } from './payfip.rules';
import type { Fault } from './soap';

const settings = { numcli: '123456', saisie: 'T' };
const attempt: CreateAttempt = {
  refdet: 'CURSUS2026A0001',
  exer: 2026,
  objet: 'Cours municipaux d’adultes — Anglais A1',
  amountCents: 4500,
  email: 'lea.martin@example.fr',
  notifyUrl: 'https://cours.example.fr/paiements/payfip/notification',
  returnUrl: 'https://cours.example.fr/paiements/payfip/retour',
};
const refused = (input: Partial<CreateAttempt>) => {
  const result = attemptFields(settings, { ...attempt, ...input });
  return result.ok ? undefined : result.field;
};

describe('PAY-2: what creerPaiementSecurise accepts, checked before sending', () => {
  it('gives the fields of an attempt, objet cleaned', () => {
    assert.deepEqual(attemptFields(settings, attempt), {
      ok: true,
      fields: {
        exer: '2026',
        mel: 'lea.martin@example.fr',
        montant: '4500',
        numcli: '123456',
        objet: 'Cours municipaux d adultes Anglais A1',
        refdet: 'CURSUS2026A0001',
        saisie: 'T',
        urlnotif: 'https://cours.example.fr/paiements/payfip/notification',
        urlredirect: 'https://cours.example.fr/paiements/payfip/retour',
      },
    });
  });

  it('refdet: 6 to 30 letters or digits', () => {
    for (const ok of ['ABCDEF', 'a1b2c3', 'X'.repeat(30), '201912261758460053903194']) assert.equal(refused({ refdet: ok }), undefined, ok);
    for (const bad of ['', 'ABCD', 'ABCDE', 'X'.repeat(31), 'CURSUS-2026', 'CURSUS 2026', 'CURSUSÉ2026', 'ABCDEF\n', '#000001'])
      assert.equal(refused({ refdet: bad }), 'refdet', JSON.stringify(bad));
  });

  it('montant: whole cents from 1 € to 100 000 €', () => {
    for (const ok of [100, 101, 4500, 9_999_999, 10_000_000]) assert.equal(refused({ amountCents: ok }), undefined, String(ok));
    for (const bad of [0, 99, -4500, 10_000_001, 45.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(refused({ amountCents: bad }), 'montant', String(bad));
  });

  it('mel: 6 to 80 characters with an @', () => {
    assert.equal(refused({ email: 'a@b.fr' }), undefined);
    for (const bad of ['a@b.f', 'john.doeexample.com', `${'a'.repeat(76)}@b.fr`, 'a b@c.fr', 'a@b@c.fr']) assert.equal(refused({ email: bad }), 'mel', bad);
  });

  it('urlnotif and urlredirect: http(s), shorter than 250 characters', () => {
    const long = `https://cours.example.fr/${'x'.repeat(250 - 'https://cours.example.fr/'.length)}`;
    assert.equal(long.length, 250);
    assert.equal(refused({ notifyUrl: long.slice(0, 249) }), undefined);
    assert.equal(refused({ notifyUrl: long }), 'urlnotif');
    assert.equal(refused({ returnUrl: long }), 'urlredirect');
    assert.equal(refused({ notifyUrl: 'javascript:alert(1)' }), 'urlnotif');
    assert.equal(refused({ returnUrl: '/paiements/retour' }), 'urlredirect');
  });

  it('exer: a year', () => {
    assert.equal(refused({ exer: 26 }), 'exer');
    assert.equal(refused({ exer: 2026.5 }), 'exer');
  });

  it('objet: accents and signs PayFiP refuses are cleaned, at most 100 characters; an empty objet is left out', () => {
    assert.equal(cleanObjet('18/09/2020  Établissement attestation hors-sol n#1234'), '18 09 2020 Etablissement attestation hors sol n 1234');
    assert.equal(cleanObjet('Cœur de l’été — Ægée, straße'), 'Coeur de l ete AEgee strasse');
    assert.equal(cleanObjet('  <script>alert("x")</script>  '), 'script alert x script');
    assert.equal(cleanObjet('Cours d’anglais\u202f: niveau 1 (2026-2027)'), 'Cours d anglais niveau 1 2026 2027');
    assert.equal(cleanObjet('à'.repeat(150)).length, 100);
    assert.match(cleanObjet('mot '.repeat(40)), /^[A-Za-z0-9 ]{1,100}$/);
    assert.doesNotMatch(cleanObjet('mot '.repeat(40)), / $/, 'no trailing space after the cut');
    const empty = attemptFields(settings, { ...attempt, objet: '—' });
    assert.ok(empty.ok && !('objet' in empty.fields));
  });
});

const functional = (code: string, descriptif = ''): Fault => ({
  faultcode: 'S:Server',
  faultstring: 'fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur',
  detail: { type: 'FonctionnelleErreur', fields: { code, descriptif, libelle: descriptif, severite: '2' } },
});

describe('PAY-2: what PayFiP’s faults mean', () => {
  it('for recupererDetailPaiementSecurise, P1 unknown, P3 used, P4 expired, P5 not known yet are answers', () => {
    const details = (code: string) => faultMeaning(functional(code), 'recupererDetailPaiementSecurise');
    assert.deepEqual(details('P1'), { kind: 'details', details: { kind: 'unknown' } });
    assert.deepEqual(details('P3'), { kind: 'details', details: { kind: 'used' } });
    assert.deepEqual(details('P4'), { kind: 'details', details: { kind: 'expired' } });
    assert.deepEqual(details('P5'), { kind: 'details', details: { kind: 'not_yet' } });
  });

  it('any other functional error is a refusal with PayFiP’s code; for a creation even a P-code is', () => {
    const r3 = faultMeaning(functional('R3', "Le format du paramètre REFDET n'est pas conforme"), 'creerPaiementSecurise');
    assert.equal(r3.kind, 'rejected');
    assert.ok(r3.kind === 'rejected' && r3.code === 'R3' && /REFDET/.test(r3.message));
    assert.equal(faultMeaning(functional('A2'), 'creerPaiementSecurise').kind, 'rejected');
    assert.equal(faultMeaning(functional('P5'), 'creerPaiementSecurise').kind, 'rejected');
    assert.equal(faultMeaning(functional('T2'), 'recupererDetailPaiementSecurise').kind, 'rejected');
  });

  it('unavailability and malfunction mean "later"; a protocol error or a client fault, a refusal; an unknown server fault, "later"', () => {
    const tech = (type: string): Fault => ({ faultcode: 'S:Server', faultstring: type, detail: { type, fields: { code: 'X', severite: '3' } } });
    assert.equal(faultMeaning(tech('TechIndisponibiliteErreur'), 'creerPaiementSecurise').kind, 'unavailable');
    assert.equal(faultMeaning(tech('TechDysfonctionnementErreur'), 'recupererDetailPaiementSecurise').kind, 'unavailable');
    assert.equal(faultMeaning(tech('TechProtocolaireErreur'), 'creerPaiementSecurise').kind, 'rejected');
    assert.equal(faultMeaning({ faultcode: 'S:Client', faultstring: 'Cannot find dispatch method' }, 'creerPaiementSecurise').kind, 'rejected');
    assert.equal(faultMeaning({ faultcode: 'soapenv:Server', faultstring: 'java.lang.NullPointerException' }, 'recupererDetailPaiementSecurise').kind, 'unavailable');
  });
});

describe('PAY-2: reading recupererDetailPaiementSecurise', () => {
  const raw = {
    dattrans: '12122019',
    exer: '2019',
    heurtrans: '1311',
    idOp: 'cc0cb210-1cd4-11ea-8cca-0213ad91a103',
    mel: 'john.doe@example.com',
    montant: '1000',
    numauto: '112233445566-tip',
    numcli: '090909',
    objet: 'coucou',
    refdet: 'EFEFAEFG',
    resultrans: 'V',
    saisie: 'T',
  };
  const read = (changes: Record<string, string>) => readDetails(raw.idOp, { ...raw, ...changes });

  it('P and V are paid, at the Paris time given, with the authorisation number', () => {
    for (const resultrans of ['P', 'V']) {
      const reading = read({ resultrans });
      assert.ok(reading.ok && reading.details.kind === 'paid', resultrans);
      assert.deepEqual(
        { ...reading.details, raw: undefined },
        { kind: 'paid', refdet: 'EFEFAEFG', amountCents: 1000, paidAt: new Date('2019-12-12T12:11:00Z'), transactionId: '112233445566-tip', raw: undefined },
      );
      assert.equal(reading.details.raw.resultrans, resultrans);
    }
  });

  it('A is abandoned; R and Z are refused', () => {
    const kind = (resultrans: string) => {
      const reading = read({ resultrans, numauto: '' });
      return reading.ok ? reading.details.kind : reading.message;
    };
    assert.equal(kind('A'), 'abandoned');
    assert.equal(kind('R'), 'refused');
    assert.equal(kind('Z'), 'refused');
  });

  it('an answer for another idOp, an unknown result, an unreadable amount or date is not PayFiP’s protocol', () => {
    assert.equal(readDetails('another-idop', raw).ok, false);
    assert.equal(read({ resultrans: 'X' }).ok, false);
    assert.equal(read({ resultrans: '' }).ok, false);
    assert.equal(read({ montant: '10,00' }).ok, false);
    assert.equal(read({ dattrans: '31022019' }).ok, false);
    assert.equal(read({ resultrans: 'A', dattrans: '' }).ok, true, 'the date only matters for a payment');
  });
});
