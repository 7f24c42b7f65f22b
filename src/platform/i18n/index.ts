import { en } from './en';
import { fr } from './fr';

export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'fr';
export type MessageKey = keyof typeof fr;
export type Params = Record<string, string | number>;

const catalogues: Record<Locale, Record<MessageKey, string>> = { fr, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && value in fr;
}

export interface Translator {
  locale: Locale;
  (key: MessageKey, params?: Params): string;
  /** Picks `<base>.one` or `<base>.other` by the locale's plural rules. */
  plural(base: string, count: number, params?: Params): string;
  date(value: Date | string, style?: 'date' | 'datetime'): string;
}

const translators = new Map<Locale, Translator>();

/** The translator of a locale, made once (Intl formatters are costly to build). */
export function translator(locale: Locale): Translator {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = makeTranslator(locale)));
  return t;
}

function makeTranslator(locale: Locale): Translator {
  const catalogue = catalogues[locale];
  const plurals = new Intl.PluralRules(locale);
  const format = (key: MessageKey, params?: Params) => {
    const template = catalogue[key] ?? fr[key] ?? key;
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
  };
  const t = format as Translator;
  t.locale = locale;
  t.plural = (base, count, params) => {
    const key = `${base}.${plurals.select(count) === 'one' ? 'one' : 'other'}`;
    return format(key as MessageKey, { count, ...params });
  };
  const dateFormat = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  });
  t.date = (value, style = 'date') => {
    const d = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value;
    const text = (style === 'date' ? dateFormat : dateTimeFormat).format(d);
    // French writes the first of the month "1er" (Intl gives "1").
    return locale === 'fr' ? text.replace(/^1 /, '1er ') : text;
  };
  return t;
}

/** Names of countries in the given locale, sorted for a select list; the codes are ISO 3166-1. */
export function countryOptions(locale: Locale, codes: readonly string[]): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const collator = new Intl.Collator(locale);
  return codes.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
}
