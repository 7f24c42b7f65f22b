/**
 * SVC-7: the easy-to-read rules ("facile à lire et à comprendre", FALC; Inclusion Europe's
 * "Information for all", 2009) that every easy-read text of the service is checked against, as
 * pure functions: the convocation's easy-read version (email, page, PDF) is built of blocks, and
 * `falcProblems` says which rule a block breaks. The rules kept here are those a program can check:
 *
 * - a sentence has at most 15 words (`FALC_MAX_WORDS`);
 * - one idea per sentence: no semicolon, at most one comma;
 * - common words: the words of `hardWords` are not used (each has its plain replacement);
 * - the date, the place and what to bring are each on their own line, in large type: a block
 *   of its own marked `large`, which the page shows at `FALC_LARGE_REM` rem at least (the class
 *   `.falc-large` in public/app.css) and the PDF at `FALC_LARGE_PT` points at least.
 *
 * A block is a sentence (`text`), or a line of data (`label` and `value`): the label is checked
 * like a sentence; the value is the data itself (a course's title, an address typed by staff, a
 * date), written as the service holds it, so only its words are checked, not its length.
 */
import type { Locale } from '../../platform/i18n';

export const FALC_MAX_WORDS = 15;
/** The smallest size of a line in large type on the page (rem) and in the PDF (points). */
export const FALC_LARGE_REM = 1.5;
export const FALC_LARGE_PT = 18;
export const FALC_MIN_PT = 14;

/** The three things that must stand out (SVC-7): each on its own line, in large type. */
export const falcKeyLines = ['date', 'place', 'bring'] as const;
export type FalcKeyLine = (typeof falcKeyLines)[number];

export type FalcBlock =
  | { text: string }
  | { label: string; value: string | string[]; key?: FalcKeyLine; large?: boolean };

export interface FalcDocument {
  title: string;
  blocks: FalcBlock[];
}

/**
 * Words that are not common, with the plain words that say the same (checked in every easy-read
 * text; matched as whole words, plural included). Administrative words first: they are what an
 * easy-read convocation replaces.
 */
export const hardWords: Record<Locale, Record<string, string>> = {
  fr: {
    convocation: 'rendez-vous',
    convoqué: 'vous avez un rendez-vous',
    'convoqué·e': 'vous avez un rendez-vous',
    nominatif: 'à votre nom',
    nominative: 'à votre nom',
    désistement: 'vous abandonnez votre demande',
    'pièce d’identité': 'papier officiel avec votre photo',
    justificatif: 'papier qui prouve',
    positionnement: 'test de niveau',
    modalités: 'comment faire',
    préalablement: 'avant',
    ultérieurement: 'plus tard',
    muni: 'avec',
    munie: 'avec',
    'se présenter': 'venir',
    'en cas de': 'si',
    'afin de': 'pour',
    toutefois: 'mais',
    néanmoins: 'mais',
    susmentionné: 'ce',
    impérativement: 'il faut',
    valoir: 'compter comme',
    vaut: 'compte comme',
  },
  en: {
    invitation: 'appointment',
    invited: 'you have an appointment',
    withdrawal: 'you give up your application',
    'identity document': 'official paper with your photo',
    placement: 'level',
    assessment: 'test',
    'prior to': 'before',
    subsequently: 'later',
    'in the event of': 'if',
    'in order to': 'to',
    commence: 'start',
    attend: 'come',
    however: 'but',
    regarding: 'about',
    approximately: 'about',
    obtain: 'get',
    require: 'need',
    additional: 'more',
    nominative: 'in your name',
    mandatory: 'you must',
  },
};

export type FalcProblem = {
  rule: 'length' | 'semicolon' | 'commas' | 'word' | 'key_line';
  /** The sentence or line at fault. */
  text: string;
  /** The hard word and its replacement, or the key line missing or not large. */
  detail?: string;
};

/** The sentences of a text: a line break or a full stop, question or exclamation mark ends one. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…])\s+/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The words of a sentence: what holds a letter or a digit ("9 h 30" is three words, "d’identité" one). */
export function wordsOf(sentence: string): string[] {
  return sentence.split(/[\s\u00a0\u202f]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

const normalise = (text: string) => text.toLowerCase().replace(/'/g, '’');

/** The hard words a text uses, each with its plain replacement. */
export function hardWordsIn(text: string, locale: Locale): { word: string; instead: string }[] {
  const lower = normalise(text);
  return Object.entries(hardWords[locale])
    .filter(([word]) => {
      const escaped = normalise(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`(?<![\\p{L}·])${escaped}(s|x)?(?![\\p{L}·])`, 'u').test(lower);
    })
    .map(([word, instead]) => ({ word, instead }));
}

/** What breaks the sentence rules in one sentence. */
export function sentenceProblems(sentence: string, locale: Locale): FalcProblem[] {
  const problems: FalcProblem[] = [];
  const words = wordsOf(sentence).length;
  if (words > FALC_MAX_WORDS) problems.push({ rule: 'length', text: sentence, detail: `${words} > ${FALC_MAX_WORDS}` });
  if (sentence.includes(';')) problems.push({ rule: 'semicolon', text: sentence });
  if ((sentence.match(/,/g) ?? []).length > 1) problems.push({ rule: 'commas', text: sentence });
  for (const hard of hardWordsIn(sentence, locale)) problems.push({ rule: 'word', text: sentence, detail: `${hard.word} → ${hard.instead}` });
  return problems;
}

/**
 * Every rule an easy-read document breaks (none: it may go). The title and each sentence are
 * checked as sentences, a data line's label too and its value for hard words; the date, the
 * place and what to bring must each be a large line of its own, once.
 */
export function falcProblems(doc: FalcDocument, locale: Locale): FalcProblem[] {
  const problems: FalcProblem[] = [];
  for (const sentence of sentencesOf(doc.title)) problems.push(...sentenceProblems(sentence, locale));
  for (const block of doc.blocks) {
    if ('text' in block) {
      for (const sentence of sentencesOf(block.text)) problems.push(...sentenceProblems(sentence, locale));
      continue;
    }
    problems.push(...sentenceProblems(block.label, locale));
    for (const value of [block.value].flat()) for (const hard of hardWordsIn(value, locale)) problems.push({ rule: 'word', text: value, detail: `${hard.word} → ${hard.instead}` });
  }
  for (const key of falcKeyLines) {
    const lines = doc.blocks.filter((b): b is Extract<FalcBlock, { label: string }> => 'key' in b && b.key === key);
    if (lines.length !== 1) problems.push({ rule: 'key_line', text: doc.title, detail: `${key}: ${lines.length} lines` });
    else if (!lines[0].large) problems.push({ rule: 'key_line', text: lines[0].label, detail: `${key}: not large` });
  }
  return problems;
}

/** The document as plain text (an email): a data line reads "label : value", a list one item a line. */
export function falcText(doc: FalcDocument, locale: Locale): string {
  const colon = locale === 'fr' ? ' :' : ':';
  const lines = [doc.title.toUpperCase(), ''];
  for (const block of doc.blocks) {
    if ('text' in block) lines.push(block.text);
    else if (Array.isArray(block.value)) lines.push(`${block.label}${colon}`, ...block.value.map((v) => `  - ${v}`));
    else lines.push(`${block.label}${colon} ${block.value}`);
  }
  return lines.join('\n');
}
