import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { z } from 'zod';
import { profiles, type Profile } from '../../domain/profile';
import type { Locale } from '../../platform/i18n';

/**
 * SVC-1, SVC-4: the help pages, the seeds' FAQ rewritten in plain words. One markdown file per
 * article and language, `content/<fr|en>/<slug>.md`, with a small front matter (title, theme,
 * keywords). The slug is the same in both languages, so switching language keeps the article.
 * A slug is a type: `<HelpLink slug="demi-tarif" />` with a wrong slug does not compile, and a
 * slug without its two files (or a file without its slug) stops the program at start.
 * An article may say which institutions it is for (`profiles: credits`): the help of the other
 * profile neither lists it, finds it nor shows it (an article for everyone says nothing).
 */
export const helpSlugs = [
  // Registering
  'periodes-inscription',
  'qui-peut-s-inscrire',
  's-inscrire',
  'plusieurs-formations',
  'modifier-annuler',
  'demande-bien-recue',
  'mot-de-passe',
  'ancien-compte',
  // How places are given
  'criteres-de-selection',
  'tests-et-entretiens',
  'liste-d-attente',
  'cours-complet',
  'changer-de-jour',
  // Paying
  'payer',
  'demi-tarif',
  'remboursement',
  'prise-en-charge',
  'carte-d-auditeur',
  // During the course
  'vacances',
  'assiduite',
  'radiation',
  'cours-annule',
  'reglement-interieur',
  // Issue 18, units with credits: remote attendance
  'heures-de-connexion',
  // Certificates and diplomas
  'certificat-de-competences',
  'notes',
  'echec-au-test',
  'formations-diplomantes',
  'titre-de-sejour',
  // Issue 18, units with credits: exams (CRED-3)
  'examens',
  // Your account and your data
  'modifier-mes-informations',
  'messages-email-sms',
  'donnees-personnelles',
  // Issue 18, units with credits: moving
  'demenagement',
  // Help
  'qui-peut-m-aider',
  'accueil-langue-etrangere',
] as const;
export type HelpSlug = (typeof helpSlugs)[number];

/** The themes, in the order the help page shows them. */
export const helpThemes = ['inscription', 'selection', 'paiement', 'cours', 'certificats', 'compte', 'aide'] as const;
export type HelpTheme = (typeof helpThemes)[number];

export interface HelpArticle {
  slug: HelpSlug;
  locale: Locale;
  title: string;
  theme: HelpTheme;
  keywords: string[];
  /** The body as HTML, from markdown-it without raw HTML; `{{phone}}` and `{{hours}}` are filled per request. */
  html: string;
  /** The institutions it is for (issue 18's profiles): every profile unless its front matter says. */
  profiles: readonly Profile[];
  /** The first paragraph, as text: the results' preview. */
  summary: string;
  /** The whole body as text, for the search. */
  text: string;
}

const frontMatter = z.object({
  title: z.string().min(3).max(120),
  theme: z.enum(helpThemes),
  keywords: z.string().max(500).default(''),
  profiles: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [...profiles];
      const named = value.split(',').map((p) => p.trim());
      const unknown = named.filter((p) => !(profiles as readonly string[]).includes(p));
      if (unknown.length || !named.length) ctx.addIssue({ code: 'custom', message: `must be among ${profiles.join(', ')} (${unknown.join(', ')})` });
      return named as Profile[];
    }),
});

/**
 * Raw HTML in an article is shown as text, never passed through (`html: false`): an article is
 * words, and a mistake in one must not put a script or a form on the page. Links are kept
 * (markdown-it refuses javascript: and data: addresses).
 */
export const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** HTML → text: tags out, markdown-it's entities back to characters. */
export const htmlToText = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e])
    .replace(/\s+/g, ' ')
    .trim();

/** Parses one article file: `---`, `key: value` lines, `---`, then the markdown body. */
export function parseArticle(source: string, slug: HelpSlug, locale: Locale): HelpArticle {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source.replace(/\r\n/g, '\n'));
  if (!match) throw new Error(`help article ${locale}/${slug}.md: no front matter (--- title, theme, keywords ---)`);
  const fields = Object.fromEntries(
    match[1]
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
      }),
  );
  const parsed = frontMatter.safeParse(fields);
  if (!parsed.success) throw new Error(`help article ${locale}/${slug}.md: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const html = markdown.render(match[2]);
  const firstParagraph = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  return {
    slug,
    locale,
    title: parsed.data.title,
    theme: parsed.data.theme,
    keywords: parsed.data.keywords
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    html,
    profiles: parsed.data.profiles,
    summary: htmlToText(firstParagraph),
    text: htmlToText(html),
  };
}

const contentDir = join(import.meta.dirname, 'content');

/** Reads every article of both languages; a missing or extra file is an error (at start). */
function loadArticles(): Record<Locale, Map<HelpSlug, HelpArticle>> {
  const read = (locale: Locale) => {
    const files = readdirSync(join(contentDir, locale)).filter((f) => f.endsWith('.md'));
    const extra = files.map((f) => f.slice(0, -3)).filter((s) => !(helpSlugs as readonly string[]).includes(s));
    if (extra.length) throw new Error(`help articles without a slug in helpSlugs (help.articles.ts): ${extra.map((s) => `${locale}/${s}.md`).join(', ')}`);
    return new Map(helpSlugs.map((slug) => [slug, parseArticle(readFileSync(join(contentDir, locale, `${slug}.md`), 'utf8'), slug, locale)]));
  };
  return { fr: read('fr'), en: read('en') };
}

const articles = loadArticles();

/** An article of this profile's help, by its slug as typed (the address): undefined when none. */
export function findArticle(locale: Locale, slug: string, profile: Profile): HelpArticle | undefined {
  const article = articles[locale].get(slug as HelpSlug);
  return article?.profiles.includes(profile) ? article : undefined;
}

/** An article by its slug, whichever profile it is for (a link the code writes: `HelpLink`). */
export function getArticle(locale: Locale, slug: HelpSlug): HelpArticle {
  return articles[locale].get(slug)!;
}

/** Every article of a language; with a profile, those of its help only. */
export function allArticles(locale: Locale, profile?: Profile): HelpArticle[] {
  const all = [...articles[locale].values()];
  return profile ? all.filter((a) => a.profiles.includes(profile)) : all;
}

/** The articles of each theme of this profile's help, in the themes' order. */
export function articlesByTheme(locale: Locale, profile: Profile): { theme: HelpTheme; articles: HelpArticle[] }[] {
  return helpThemes.map((theme) => ({ theme, articles: allArticles(locale, profile).filter((a) => a.theme === theme) }));
}
