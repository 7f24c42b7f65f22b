import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countryOfInseeCode, providerEmail, recordPrefillFromClaims } from './claims';

describe('ACC-13 the provider’s claims prefill the learner record (ACC-6)', () => {
  it('ACC-13 maps FranceConnect’s claims: civility, given names, birth name and usage name, birth date, INSEE country', () => {
    const prefill = recordPrefillFromClaims({
      sub: 'x',
      gender: 'female',
      given_name: 'Angela Claire Louise',
      family_name: 'DUBOIS',
      preferred_username: 'Martin',
      birthdate: '1962-08-24',
      birthcountry: '99100',
      birthplace: '75107',
    });
    assert.deepEqual(prefill, { civility: 'MME', firstName: 'Angela Claire Louise', lastName: 'Martin', birthName: 'DUBOIS', birthDate: '24/08/1962', birthCountry: 'FR' });
  });

  it('ACC-13 the family name alone is the last name; the same usage name is no birth name', () => {
    assert.deepEqual(recordPrefillFromClaims({ gender: 'male', given_name: 'Jean', family_name: 'Dupont' }), { civility: 'M', firstName: 'Jean', lastName: 'Dupont' });
    assert.deepEqual(recordPrefillFromClaims({ family_name: 'DUPONT', preferred_username: 'dupont' }), { lastName: 'DUPONT' });
    assert.deepEqual(recordPrefillFromClaims({ preferred_username: 'Durand' }), { lastName: 'Durand' });
  });

  it('ACC-13 an approximate birth date (1st of January) is prefilled and flagged to be checked', () => {
    assert.deepEqual(recordPrefillFromClaims({ birthdate: '1975-01-01' }), { birthDate: '01/01/1975', birthDateToCheck: true });
    assert.deepEqual(recordPrefillFromClaims({ birthdate: '1975-01-02' }), { birthDate: '02/01/1975' });
  });

  it('ACC-13 what is missing, malformed or unknown is left for the learner to fill', () => {
    const cases: Record<string, unknown>[] = [
      { gender: 'unspecified' },
      { birthdate: '1975' },
      { birthdate: '1975-02-30' },
      { birthdate: '1850-05-05' },
      { birthdate: 19750101 },
      { birthcountry: '99157' }, // Kosovo: no ISO code
      { birthcountry: '99999' },
      { birthcountry: 99100 },
      { given_name: '' },
      { given_name: 'x'.repeat(101) },
      { family_name: ['DUBOIS'] },
    ];
    for (const claims of cases) assert.deepEqual(recordPrefillFromClaims(claims), {}, JSON.stringify(claims));
  });

  it('ACC-13 INSEE country codes become ISO codes; a commune code is France', () => {
    assert.equal(countryOfInseeCode('99100'), 'FR');
    assert.equal(countryOfInseeCode('99109'), 'DE');
    assert.equal(countryOfInseeCode('99350'), 'MA');
    assert.equal(countryOfInseeCode('99352'), 'DZ');
    assert.equal(countryOfInseeCode('99404'), 'US');
    assert.equal(countryOfInseeCode('75107'), 'FR');
    assert.equal(countryOfInseeCode('2A004'), 'FR');
    assert.equal(countryOfInseeCode('991'), undefined);
  });

  it('ACC-13 control characters and runs of spaces are cleaned from names', () => {
    assert.deepEqual(recordPrefillFromClaims({ given_name: ' Jean\u0000  Paul ' }), { firstName: 'Jean Paul' });
  });

  it('ACC-13 the email counts as verified only when the provider says exactly true', () => {
    assert.deepEqual(providerEmail({ email: ' Lea@Example.org ', email_verified: true }), { email: 'lea@example.org', verified: true });
    assert.deepEqual(providerEmail({ email: 'lea@example.org', email_verified: 'true' }), { email: 'lea@example.org', verified: false });
    assert.deepEqual(providerEmail({ email: 'lea@example.org' }), { email: 'lea@example.org', verified: false });
    assert.equal(providerEmail({ email: 'not an email' }), undefined);
    assert.equal(providerEmail({}), undefined);
  });
});
