import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import './messages';
import { locales, registeredCatalogues } from './platform/i18n';
import { smsSegments, toGsm7 } from './platform/sms';

/**
 * Every SMS template (a message key starting with `sms.`, in any module's catalogue), in both
 * languages, with its placeholders filled with long values: written in the GSM 7-bit alphabet
 * (as queueSms sends it) it must stay GSM-7 and take at most 2 segments (306 characters).
 */
const LONG: Record<string, string> = {
  count: '12',
  dates: 'lundi 12 octobre, mardi 13 octobre',
  date: 'mercredi 30 septembre 2026',
  time: '18 h 30',
  course: 'Anglais professionnel : communication écrite et orale',
  session: 'ANG-B1-2026-PARIS11-03',
  code: 'ANG-B1-2026-PARIS11-03',
  school: 'École élémentaire Saint-Exupéry (Paris 11e)',
  firstName: 'Marie-Hélène',
  name: 'Marie-Hélène Lefèvre-Duchâteau',
  phone: '01 23 45 67 89',
  reason: 'absences répétées sans justificatif',
  url: 'https://cursus.paris.fr/candidatures/0b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b',
};
const filler = (name: string) => LONG[name] ?? 'Xxxxxxxxxx Xxxxxxxxxx Xxxxxxxxxx';
const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => filler(name));

describe('SMS templates (issue 13): every `sms.*` message, both languages, long placeholders', () => {
  const templates = registeredCatalogues().flatMap((catalogue) =>
    Object.keys(catalogue.fr)
      .filter((key) => key.startsWith('sms.'))
      .flatMap((key) => locales.map((locale) => ({ owner: catalogue.owner, key, locale, text: catalogue[locale][key] }))),
  );

  it('there are templates to check: at least one `sms.*` key, the ATT-5 warning among them', () => {
    assert.ok(templates.length > 0, 'no message key starts with `sms.`: this file would check nothing');
    assert.ok(templates.some((m) => m.key === 'sms.attendance.warning'), 'ATT-5: sms.attendance.warning');
  });

  it('each is GSM-7 once written for it, and at most 2 segments', (t) => {
    for (const { owner, key, locale, text } of templates) {
      const sent = toGsm7(fill(text));
      const { encoding, segments } = smsSegments(sent);
      t.diagnostic(`${key} (${locale}): ${sent.length} characters, ${encoding}, ${segments} segment(s)`);
      assert.equal(encoding, 'GSM-7', `${owner} ${key} (${locale}) is UCS-2 even written for GSM-7: ${[...sent].filter((c) => smsSegments(c).encoding === 'UCS-2').join(' ')}`);
      assert.ok(segments <= 2, `${owner} ${key} (${locale}) takes ${segments} segments (${sent.length} characters): at most 2 (306)`);
    }
  });

  it('the counting itself, on a fixed French text with its placeholders', () => {
    const text = fill('Cours municipaux : {firstName}, vous étiez absente les {dates} à « {course} ». Sans nouvelles, votre place sera proposée à une autre personne.');
    assert.equal(smsSegments(text).encoding, 'UCS-2', 'ê, « and » are not GSM-7');
    const sent = toGsm7(text);
    assert.equal(sent, "Cours municipaux : Marie-Hélène, vous étiez absente les lundi 12 octobre, mardi 13 octobre à \"Anglais professionnel : communication écrite et orale\". Sans nouvelles, votre place sera proposée à une autre personne.");
    assert.deepEqual(smsSegments(sent), { encoding: 'GSM-7', segments: 2 });
    assert.equal(smsSegments(text).segments, 4, 'as UCS-2 it would be 4');
  });
});
