import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from './en';
import { fr } from './fr';
import { translator } from './index';

describe('message catalogues', () => {
  it('SVC-4 English has every French message, with the same placeholders', () => {
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      assert.ok(en[key], `missing in English: ${key}`);
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(placeholders(en[key]), placeholders(fr[key]), key);
    }
  });

  it('fills placeholders and picks plural forms per language', () => {
    const t = translator('fr');
    assert.equal(t('birthDate.tooYoung', { age: 18 }), 'Les cours sont ouverts aux personnes de 18 ans ou plus.');
    assert.equal(t.plural('form.errorSummary', 1), 'Le formulaire contient une erreur');
    assert.equal(t.plural('form.errorSummary', 3), 'Le formulaire contient 3 erreurs');
    assert.equal(translator('en').plural('form.errorSummary', 2), 'There are problems with 2 fields');
  });

  it('shows dates in Paris time', () => {
    assert.equal(translator('fr').date(new Date('2026-08-31T22:30:00Z')), '1er septembre 2026');
    assert.equal(translator('fr').date('2026-09-11'), '11 septembre 2026');
    assert.equal(translator('en').date('1988-04-12'), '12 April 1988');
  });
});
