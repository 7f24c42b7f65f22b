import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultProfile, type Profile } from '../../domain/profile';
import { en } from './en';
import { fr } from './fr';

export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'fr';
export type Params = Record<string, string | number>;

type PlatformMessages = typeof fr;
/**
 * Every message of Cursus, one typed key set. The platform's own messages (layout, forms,
 * errors, generic field messages) are declared here; each module adds its own, kept beside it in
 * src/modules/<module>/<module>.messages.ts, by declaration merging:
 *
 *     declare module '../../platform/i18n' { interface Messages extends AccountsMessages {} }
 *
 * so a wrong key is a type error wherever it is used. Two catalogues giving one key different
 * texts do not compile; the same text twice is caught by registerMessages and the unit test.
 */
export interface Messages extends PlatformMessages {}
export type MessageKey = keyof Messages;

/** One catalogue: French, the reference, and English with exactly the same keys and placeholders. */
export interface Catalogue {
  owner: string;
  fr: Readonly<Record<string, string>>;
  en: Readonly<Record<string, string>>;
}

const registered: Catalogue[] = [];
const catalogues: Record<Locale, Record<string, string>> = { fr: {}, en: {} };
const ownerOf = new Map<string, string>();

/**
 * Adds a catalogue to the messages the translators know. Each module's messages file calls it
 * when it is loaded, and the composition root loads them all (src/messages.ts). A key already
 * given by another catalogue is refused: each key is defined once.
 */
export function registerMessages(owner: string, messages: Omit<Catalogue, 'owner'>): Catalogue {
  const existing = registered.find((c) => c.owner === owner);
  if (existing) return existing;
  const twice = Object.keys(messages.fr).filter((key) => ownerOf.has(key));
  if (twice.length) throw new Error(`Message keys defined twice (${owner}, ${twice.map((k) => `${k} also in ${ownerOf.get(k)}`).join(', ')})`);
  for (const key of Object.keys(messages.fr)) ownerOf.set(key, owner);
  Object.assign(catalogues.fr, messages.fr);
  Object.assign(catalogues.en, messages.en);
  const catalogue: Catalogue = { owner, fr: messages.fr, en: messages.en };
  registered.push(catalogue);
  return catalogue;
}

/** The catalogues registered so far, the platform's first. */
export function registeredCatalogues(): readonly Catalogue[] {
  return registered;
}

registerMessages('platform', { fr, en });

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Whether a string is a key of a registered catalogue (a zod message, a key a rule returns…). */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(catalogues.fr, value);
}

export interface Translator {
  locale: Locale;
  /** Issue 18: the institution's profile whose wording it speaks. */
  profile: Profile;
  (key: MessageKey, params?: Params): string;
  /** Picks `<base>.one` or `<base>.other` by the locale's plural rules. */
  plural(base: string, count: number, params?: Params): string;
  date(value: Date | string, style?: 'date' | 'datetime'): string;
}

/**
 * Issue 18: the few messages whose words differ by the institution's profile (domain/profile):
 * « cours » becomes « unité d'enseignement (UE) », « période d'inscription » « semestre »… Each
 * is a key of a registered catalogue (the municipal text stays the key's own text); a profile's
 * translator reads its wording first. Registered by the module that owns the key, beside it.
 */
const wordings: Record<Profile, Record<Locale, Record<string, string>>> = { municipal: { fr: {}, en: {} }, credits: { fr: {}, en: {} } };

export function registerProfileWording(profile: Exclude<Profile, 'municipal'>, messages: { fr: Partial<Record<MessageKey, string>>; en: Partial<Record<MessageKey, string>> }): void {
  Object.assign(wordings[profile].fr, messages.fr);
  Object.assign(wordings[profile].en, messages.en);
}

/** A profile's wording, for the unit test that checks every key exists in both languages. */
export function profileWording(profile: Profile): Readonly<Record<Locale, Readonly<Record<string, string>>>> {
  return wordings[profile];
}

// Issue 18: the service's name in the credits profile, and the emails' footer (no city help line there).
registerProfileWording('credits', {
  fr: {
    'service.name': 'Centre de formation continue',
    'service.tagline': 'Unités d’enseignement et crédits ECTS',
    'email.footer': 'Ce message a été envoyé automatiquement par le Centre de formation continue, merci de ne pas y répondre. Besoin d’aide ? Écrivez-nous depuis le formulaire de contact du site.',
  },
  en: {
    'service.name': 'Continuing-education centre',
    'service.tagline': 'Teaching units and ECTS credits',
    'email.footer': 'This message was sent automatically by the continuing-education centre, please do not reply. Need help? Write to us through the site’s contact form.',
  },
});

/**
 * Issue 18: whose wording a translator made without a profile speaks. Emails, PDFs and the
 * command line make their translators deep in services that know no profile; they follow the
 * profile of the work under way: the app's, for everything a request does (`profileScope`,
 * entered by each request of an app, platform/profile-scope.ts), and the process's otherwise (the
 * worker's jobs, the command line: `setProcessProfile`, called once by src/main.ts from the
 * configuration). Municipal when nothing says otherwise, as before.
 */
const profileScope = new AsyncLocalStorage<Profile>();
let processProfile: Profile = defaultProfile;

/** The configured profile of this process (src/main.ts, from `config.profile`). */
export function setProcessProfile(profile: Profile): void {
  processProfile = profile;
}

/** Runs `work` (and everything it starts) in a profile's wording. */
export function withProfile<T>(profile: Profile, work: () => T): T {
  return profileScope.run(profile, work);
}

/** The profile of the work under way: the request's app, else the process's. */
export function currentProfile(): Profile {
  return profileScope.getStore() ?? processProfile;
}

const translators = new Map<string, Translator>();

/**
 * The translator of a locale in a profile's wording, made once (Intl formatters are costly to
 * build). Without a profile: the profile of the work under way (`currentProfile`), so an email,
 * a PDF or a command's output speaks the configured profile's words wherever it is made.
 */
export function translator(locale: Locale, profile: Profile = currentProfile()): Translator {
  const id = `${locale}:${profile}`;
  let t = translators.get(id);
  if (!t) translators.set(id, (t = makeTranslator(locale, profile)));
  return t;
}

/** How many formatted dates a translator keeps (a few years of days, in both styles). */
const DATES_KEPT = 4096;

function makeTranslator(locale: Locale, profile: Profile): Translator {
  const catalogue = catalogues[locale];
  const wording = wordings[profile][locale];
  const plurals = new Intl.PluralRules(locale);
  const format = (key: MessageKey, params?: Params) => {
    const template = wording[key] ?? catalogue[key] ?? catalogues.fr[key] ?? key;
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
  };
  const t = format as Translator;
  t.locale = locale;
  t.profile = profile;
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
  // A page of search results formats the same few hundred dates again and again, and Intl's
  // format is the costly part: each text is kept, keyed by the instant and the style, up to a bound.
  const formatted = new Map<string, string>();
  t.date = (value, style = 'date') => {
    const d = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value;
    const key = `${style}${d.getTime()}`;
    let text = formatted.get(key);
    if (text === undefined) {
      text = (style === 'date' ? dateFormat : dateTimeFormat).format(d);
      // French writes the first of the month "1er" (Intl gives "1").
      if (locale === 'fr') text = text.replace(/^1 /, '1er ');
      if (formatted.size >= DATES_KEPT) formatted.clear();
      formatted.set(key, text);
    }
    return text;
  };
  return t;
}

/** Names of countries in the given locale, sorted for a select list; the codes are ISO 3166-1. */
export function countryOptions(locale: Locale, codes: readonly string[]): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const collator = new Intl.Collator(locale);
  return codes.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
}
