import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../messages';
import { botQuestionAnswer, botQuestionKinds, numberInWords, pickBotQuestion } from './botcheck';
import { translator } from './i18n';

describe('ACC-2 the bot check’s spelled-out question', () => {
  it('numbers in words, as written in full in French and in English', () => {
    const fr: [number, string][] = [
      [0, 'zéro'], [7, 'sept'], [16, 'seize'], [17, 'dix-sept'], [20, 'vingt'], [21, 'vingt et un'], [22, 'vingt-deux'],
      [31, 'trente et un'], [60, 'soixante'], [61, 'soixante et un'], [70, 'soixante-dix'], [71, 'soixante et onze'],
      [72, 'soixante-douze'], [77, 'soixante-dix-sept'], [80, 'quatre-vingts'], [81, 'quatre-vingt-un'],
      [90, 'quatre-vingt-dix'], [91, 'quatre-vingt-onze'], [99, 'quatre-vingt-dix-neuf'],
    ];
    for (const [n, words] of fr) assert.equal(numberInWords(n, 'fr'), words, String(n));
    const en: [number, string][] = [[0, 'zero'], [13, 'thirteen'], [40, 'forty'], [42, 'forty-two'], [99, 'ninety-nine']];
    for (const [n, words] of en) assert.equal(numberInWords(n, 'en'), words, String(n));
    for (const locale of ['fr', 'en'] as const)
      assert.equal(new Set(Array.from({ length: 100 }, (_, n) => numberInWords(n, locale))).size, 100, `${locale}: one spelling per number`);
    assert.throws(() => numberInWords(100, 'fr'), RangeError);
  });

  it('the answers of each kind of question', () => {
    const cases: [Parameters<typeof botQuestionAnswer>[0], number][] = [
      [{ kind: 'sum', a: 12, b: 7 }, 19], [{ kind: 'add', a: 3, b: 20 }, 23], [{ kind: 'minus', a: 30, b: 9 }, 21],
      [{ kind: 'takeAway', a: 10, b: 1 }, 9], [{ kind: 'times', a: 5, b: 9 }, 45], [{ kind: 'after', a: 98 }, 99],
      [{ kind: 'before', a: 11 }, 10], [{ kind: 'double', a: 20 }, 40], [{ kind: 'digits', a: 72 }, 72],
    ];
    for (const [question, answer] of cases) assert.equal(botQuestionAnswer(question), answer, question.kind);
  });

  it('draws every kind of question, with numbers a person reads at a glance, a sentence in each language', () => {
    const kinds = new Set<string>();
    const answers = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const q = pickBotQuestion();
      kinds.add(q.kind);
      const answer = botQuestionAnswer(q);
      answers.add(answer);
      assert.ok(answer >= 0 && answer <= 99, `${JSON.stringify(q)} → ${answer}`);
      assert.ok(q.a >= 1 && q.a <= 99 && (q.b === undefined || (q.b >= 1 && q.b <= 99)), JSON.stringify(q));
      for (const locale of ['fr', 'en'] as const) {
        const words = (n?: number) => (n === undefined ? '' : numberInWords(n, locale));
        const sentence = translator(locale)(`botcheck.question.${q.kind}`, { a: words(q.a), b: words(q.b) });
        assert.doesNotMatch(sentence, /[{}\d]/, sentence);
      }
    }
    assert.deepEqual([...kinds].sort(), [...botQuestionKinds].sort());
    assert.ok(answers.size > 60, `many different answers (${answers.size}): guessing one is a long shot`);
  });
});
