import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import '../../messages';
import { convocationKinds } from '../../domain/vocabulary';
import { locales, translator } from '../../platform/i18n';
import { convocationIcs, durationText, falcConvocation, falcDate, falcEmailText, type ConvocationFacts } from './convocation.falc';
import { FALC_LARGE_PT, FALC_LARGE_REM, FALC_MAX_WORDS, falcProblems, falcText, hardWords, hardWordsIn, sentencesOf, wordsOf, type FalcDocument } from './falc.rules';

/** A convocation as staff type it: a long course title and an address with its commas. */
const facts = (kind: ConvocationFacts['kind'], more: Partial<ConvocationFacts> = {}): ConvocationFacts => ({
  applicationId: '0b6c8f0e-8d7f-4b8a-9d5e-2f3c4a5b6c7d',
  kind,
  at: new Date('2027-01-12T08:30:00Z'),
  minutes: 90,
  place: 'Salle 12, 2e étage, 1 rue de la Mairie, 75011 Paris',
  title: 'Français langue étrangère — A1 débutants, cours du soir',
  schoolName: 'École Voltaire',
  sequence: 0,
  easyReadUrl: 'https://cursus.example.org/convocation/abc/facile',
  ...more,
});

/** Every easy-read text the service writes: both languages, both kinds, valid and cancelled. */
const everyText = locales.flatMap((locale) =>
  convocationKinds.flatMap((kind) => [false, true].map((cancelled) => ({ locale, kind, cancelled, doc: falcConvocation(translator(locale), facts(kind, { cancelled })) }))),
);

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const property = (ics: string, name: string) => new RegExp(`^${name}(?:;[^:]*)?:(.*)$`, 'm').exec(unfold(ics).replace(/\r\n/g, '\n'))?.[1];

describe('SVC-7 easy-read convocations (FALC)', () => {
  it('SVC-7 every easy-read convocation (fr and en, test and interview, valid and cancelled) keeps the FALC rules', () => {
    assert.equal(everyText.length, 8);
    for (const { locale, kind, cancelled, doc } of everyText) {
      assert.deepEqual(falcProblems(doc, locale), [], `${locale} ${kind}${cancelled ? ' cancelled' : ''}`);
      for (const block of doc.blocks) {
        for (const sentence of 'text' in block ? sentencesOf(block.text) : [block.label]) {
          assert.ok(wordsOf(sentence).length <= FALC_MAX_WORDS, sentence);
          assert.ok(!sentence.includes(';') && (sentence.match(/,/g) ?? []).length <= 1, sentence);
        }
      }
    }
  });

  it('SVC-7 the date, the place and what to bring are each a large line of their own', () => {
    for (const { doc } of everyText) {
      const large = doc.blocks.filter((b) => 'large' in b && b.large).map((b) => ('key' in b ? b.key : null));
      assert.deepEqual(large, ['date', 'place', 'bring']);
    }
    const date = falcConvocation(translator('fr'), facts('test')).blocks.find((b) => 'key' in b && b.key === 'date');
    assert.deepEqual(date && 'value' in date ? date.value : null, 'mardi 12 janvier 2027 à 9 h 30');
  });

  it('SVC-7 the checker fails a sentence longer than 15 words, a semicolon, two commas, a hard word, a missing or small key line', () => {
    const good = falcConvocation(translator('fr'), facts('test'));
    const withText = (text: string): FalcDocument => ({ ...good, blocks: [...good.blocks, { text }] });
    const long = 'Vous devez venir au rendez-vous avec tous les papiers que nous vous avons demandés dans le courrier.';
    assert.ok(wordsOf(long).length > 15);
    assert.deepEqual(
      falcProblems(withText(long), 'fr').map((p) => p.rule),
      ['length'],
    );
    assert.deepEqual(falcProblems(withText('Venez tôt ; apportez un stylo.'), 'fr').map((p) => p.rule), ['semicolon']);
    assert.deepEqual(falcProblems(withText('Venez tôt, seul, avec un stylo.'), 'fr').map((p) => p.rule), ['commas']);
    assert.deepEqual(falcProblems(withText('Une absence vaut désistement.'), 'fr').map((p) => p.detail), ['désistement → vous abandonnez votre demande', 'vaut → compte comme']);
    assert.deepEqual(falcProblems(withText('Apportez une pièce d’identité.'), 'fr').map((p) => p.rule), ['word']);
    assert.deepEqual(falcProblems(withText('Bring an identity document.'), 'en').map((p) => p.detail), ['identity document → official paper with your photo']);
    const noDate: FalcDocument = { ...good, blocks: good.blocks.filter((b) => !('key' in b && b.key === 'date')) };
    assert.deepEqual(falcProblems(noDate, 'fr').map((p) => p.detail), ['date: 0 lines']);
    const small: FalcDocument = { ...good, blocks: good.blocks.map((b) => ('key' in b && b.key === 'place' ? { ...b, large: false } : b)) };
    assert.deepEqual(falcProblems(small, 'fr').map((p) => p.detail), ['place: not large']);
  });

  it('SVC-7 the usual convocation email is not easy-read: the checker finds what FALC rewrites', () => {
    const t = translator('fr');
    const usual = t('email.appConvoked.body', { title: 'Anglais B1', school: 'École', slots: 'lundi', kind: t('sel.kind.test'), date: 'le 12 janvier', place: 'Salle 12', link: 'x', falc: '' });
    const problems = falcProblems({ title: t('sel.pdf.title'), blocks: [{ text: usual }] }, 'fr');
    assert.ok(problems.some((p) => p.rule === 'length'));
    assert.ok(problems.some((p) => p.rule === 'word' && p.detail?.startsWith('convocation')));
  });

  it('SVC-7 every hard word is found, plural included, and its plain replacement is not itself hard', () => {
    for (const locale of locales) {
      for (const [word, instead] of Object.entries(hardWords[locale])) {
        assert.ok(hardWordsIn(`Voici ${word}.`, locale).some((h) => h.word === word), word);
        assert.deepEqual(hardWordsIn(instead, locale), [], `${word} → ${instead}`);
      }
    }
    assert.ok(hardWordsIn('Deux convocations.', 'fr').length === 1);
    assert.deepEqual(hardWordsIn('Une reconvocation', 'fr'), [], 'whole words only');
  });

  it('SVC-7 the large type is at least 1.5 rem on the page (public/app.css) and 16 points in the PDF', () => {
    const css = readFileSync(new URL('../../../public/app.css', import.meta.url), 'utf8');
    const rule = /\.falc-large\s*\{[^}]*font-size:\s*([\d.]+)rem/.exec(css);
    assert.ok(rule, 'a .falc-large rule with a font size in rem');
    assert.ok(Number(rule[1]) >= 1.5 && FALC_LARGE_REM >= 1.5, rule[1]);
    assert.ok(FALC_LARGE_PT >= 16);
  });

  it('SVC-7 dates and lengths in full words', () => {
    assert.equal(falcDate(translator('en'), new Date('2027-01-12T08:30:00Z')), 'Tuesday 12 January 2027 at 9:30 am');
    assert.equal(falcDate(translator('fr'), new Date('2027-03-01T13:00:00Z')), 'lundi 1er mars 2027 à 14 h');
    assert.equal(durationText(translator('fr'), 90), '1 heure et 30 minutes');
    assert.equal(durationText(translator('fr'), 120), '2 heures');
    assert.equal(durationText(translator('en'), 45), '45 minutes');
  });

  it('SVC-7 the email text holds the easy-read version, one line each, and the link to the large-print page', () => {
    const t = translator('fr');
    const text = falcEmailText(t, facts('interview'));
    assert.match(text, /^Date : mardi 12 janvier 2027 à 9 h 30$/m);
    assert.match(text, /^Adresse : Salle 12, 2e étage/m);
    assert.match(text, /^ {2}- un papier officiel avec votre photo$/m);
    assert.match(text, /En grands caractères : https:\/\/cursus\.example\.org\/convocation\/abc\/facile/);
    assert.equal(falcText(falcConvocation(t, facts('interview')), 'fr').split('\n')[0], 'VOTRE RENDEZ-VOUS POUR UN ENTRETIEN');
  });

  it('SVC-7 the calendar file: start, length, place and school, a UID stable per convocation, SEQUENCE one more when convoked again', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const first = convocationIcs(translator('fr'), facts('test'), now);
    assert.equal(property(first, 'DTSTART'), '20270112T083000Z');
    assert.equal(property(first, 'DURATION'), 'PT1H30M');
    assert.equal(property(first, 'UID'), 'convocation-0b6c8f0e-8d7f-4b8a-9d5e-2f3c4a5b6c7d@cursus.example.org');
    assert.equal(property(first, 'SEQUENCE'), '0');
    assert.match(property(first, 'LOCATION') ?? '', /Salle 12\\, 2e étage.*\(École Voltaire\)/);
    assert.match(property(first, 'SUMMARY') ?? '', /Test de positionnement — Français langue étrangère/);
    assert.equal(property(first, 'METHOD'), 'PUBLISH');
    for (const line of first.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    const again = convocationIcs(translator('fr'), facts('test', { at: new Date('2027-01-19T08:30:00Z'), sequence: 1 }), now);
    assert.equal(property(again, 'UID'), property(first, 'UID'));
    assert.equal(property(again, 'SEQUENCE'), '1');
    assert.equal(property(again, 'DTSTART'), '20270119T083000Z');
    assert.equal(property(convocationIcs(translator('en'), facts('interview', { cancelled: true }), now), 'STATUS'), 'CANCELLED');
  });
});
