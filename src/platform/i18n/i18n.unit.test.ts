import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from './en';
import { fr } from './fr';
import { isMessageKey, registerMessages, translator, type MessageKey } from './index';

// The platform's own catalogue; every module's is checked by src/messages.unit.test.ts.
describe('message catalogues', () => {
  it('SVC-4 English has every French message of the platform, with the same placeholders', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      assert.ok(en[key], `missing in English: ${key}`);
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(placeholders(en[key]), placeholders(fr[key]), key);
    }
  });

  it('fills placeholders and picks plural forms per language', () => {
    const t = translator('fr');
    assert.equal(t('field.tooLong', { max: 60 }), 'Ce texte est trop long (60 caractères au maximum).');
    assert.equal(t.plural('form.errorSummary', 1), 'Le formulaire contient une erreur');
    assert.equal(t.plural('form.errorSummary', 3), 'Le formulaire contient 3 erreurs');
    assert.equal(translator('en').plural('form.errorSummary', 2), 'There are problems with 2 fields');
  });

  it('shows dates in Paris time', () => {
    assert.equal(translator('fr').date(new Date('2026-08-31T22:30:00Z')), '1er septembre 2026');
    assert.equal(translator('fr').date('2026-09-11'), '11 septembre 2026');
    assert.equal(translator('en').date('1988-04-12'), '12 April 1988');
  });

  it('a date formatted again is the same text, each style and locale its own, past the bound of those kept too', () => {
    const fr = translator('fr');
    const instant = new Date('2026-09-01T07:05:00Z');
    for (let round = 0; round < 2; round++) {
      assert.equal(fr.date(instant), '1er septembre 2026');
      assert.equal(fr.date(instant, 'datetime'), '1er septembre 2026 à 09:05');
      assert.equal(translator('en').date(instant, 'datetime'), '1 September 2026 at 09:05');
      assert.equal(fr.date('2026-09-01'), '1er septembre 2026');
      // More dates than the translator keeps: the first ones are formatted again, the same.
      for (let day = 0; day < 5000; day++) fr.date(new Date(Date.UTC(2000, 0, 1) + day * 86_400_000));
    }
    assert.throws(() => fr.date('not a date'), RangeError);
  });

  it('a registered catalogue is known to the translators (even ones made before) and to isMessageKey', () => {
    const t = translator('en');
    const key = 'probe.hello' as MessageKey;
    assert.equal(isMessageKey(key), false);
    assert.equal(t(key), 'probe.hello', 'an unknown key shows as itself');
    registerMessages('probe', { fr: { [key]: 'Bonjour {name}' }, en: { [key]: 'Hello {name}' } });
    assert.equal(isMessageKey(key), true);
    assert.equal(t(key, { name: 'Ada' }), 'Hello Ada');
    assert.equal(translator('fr')(key, { name: 'Ada' }), 'Bonjour Ada');
    assert.equal(isMessageKey('toString'), false, 'only the catalogues’ own keys');
  });

  it('refuses a key that another catalogue already defines', () => {
    assert.throws(() => registerMessages('twice', { fr: { 'layout.skip': 'Aller au contenu' }, en: { 'layout.skip': 'Skip to content' } }), /layout\.skip also in platform/);
    assert.equal(translator('fr')('layout.skip'), 'Aller au contenu');
  });
});
