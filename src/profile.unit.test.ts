import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config';
import './messages';
import { isMessageKey, profileWording, registeredCatalogues, translator } from './platform/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the institution’s profile (issue 18)', () => {
  it('CRED-1 CURSUS_PROFILE chooses the profile: municipal by default, credits, nothing else', () => {
    assert.equal(loadConfig({}).profile, 'municipal');
    assert.equal(loadConfig({ CURSUS_PROFILE: 'credits' }).profile, 'credits');
    assert.throws(() => loadConfig({ CURSUS_PROFILE: 'cnam' }), /CURSUS_PROFILE must be municipal .* or credits/);
  });

  it('CRED-1 the credits wording rewords existing keys only, in both languages, with the same placeholders as the key’s own text', () => {
    const wording = profileWording('credits');
    assert.ok(Object.keys(wording.fr).length > 5);
    assert.deepEqual(Object.keys(wording.en).sort(), Object.keys(wording.fr).sort());
    const own = Object.assign({}, ...registeredCatalogues().map((c) => c.fr)) as Record<string, string>;
    for (const key of Object.keys(wording.fr)) {
      assert.ok(isMessageKey(key), `${key} is a message key`);
      assert.deepEqual(placeholders(wording.fr[key]), placeholders(own[key]), key);
      assert.deepEqual(placeholders(wording.en[key]), placeholders(own[key]), key);
    }
  });

  it('CRED-1 the municipal texts are unchanged; the credits translator speaks of units and semesters', () => {
    assert.equal(translator('fr')('search.period'), 'Période d’inscription');
    assert.equal(translator('fr', 'municipal')('search.period'), 'Période d’inscription');
    assert.equal(translator('fr', 'credits')('search.period'), 'Semestre');
    assert.equal(translator('en', 'credits')('search.period'), 'Semester');
    // A key the profile does not reword keeps its own text.
    assert.equal(translator('fr', 'credits')('search.keywords'), translator('fr')('search.keywords'));
  });
});
