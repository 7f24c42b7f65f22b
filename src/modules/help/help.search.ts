import MiniSearch from 'minisearch';
import type { Locale } from '../../platform/i18n';
import type { Profile } from '../../domain/profile';
import { allArticles, getArticle, type HelpArticle, type HelpSlug } from './help.articles';

/** The longest search the help page takes (the box says so; longer is a message, not a search). */
export const HELP_QUERY_MAX = 200;

/** Lower case, accents folded (« Démarches » finds « demarches »), ligatures opened. */
export const foldTerm = (term: string) =>
  term
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase();

/** Words too common to tell articles apart: a search of them alone finds nothing of use. */
const stopWords: Record<Locale, Set<string>> = {
  fr: new Set('a au aux avec ce ces comment dans de des du elle en est et il je la le les leur ma mes mon ne ou par pas peut pour puis que qui quoi quand sa se ses si son sont sur ta te tu un une vous nous y l d j qu s c n m t est-ce'.split(' ')),
  en: new Set('a an and are as at be by can do does for from how i if in is it my of on or the to what when where which who why with you your me'.split(' ')),
};

/** Words: letters and digits; hyphens and apostrophes split (« demi-tarif », « l'aide »). */
const tokenize = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function buildIndex(locale: Locale): MiniSearch<HelpArticle> {
  const index = new MiniSearch<HelpArticle>({
    idField: 'slug',
    fields: ['title', 'keywordText', 'text'],
    extractField: (article, field) => (field === 'keywordText' ? article.keywords.join(' ') : String((article as unknown as Record<string, unknown>)[field] ?? '')),
    tokenize,
    processTerm: (term) => {
      const folded = foldTerm(term);
      return stopWords[locale].has(folded) ? null : folded;
    },
    searchOptions: { boost: { title: 3, keywordText: 2 }, prefix: (term) => term.length >= 3, fuzzy: (term) => (term.length >= 5 ? 0.2 : false) },
  });
  index.addAll(allArticles(locale));
  return index;
}

const indexes: Record<Locale, MiniSearch<HelpArticle>> = { fr: buildIndex('fr'), en: buildIndex('en') };

/**
 * SVC-1: the articles that answer a search, best first. Every word must be found (« demi
 * tarif » finds the half rate, not every page with « tarif »); when no article has them all,
 * those with most of them. Accents and case do not matter; a word may be cut short or
 * slightly misspelt.
 */
export function searchHelp(locale: Locale, query: string, profile: Profile, limit = 10): HelpArticle[] {
  const q = query.slice(0, HELP_QUERY_MAX);
  if (!q.trim()) return [];
  const index = indexes[locale];
  // Only this profile's articles (issue 18): the other profile's are in the index, never found here.
  const filter = (hit: { id: unknown }) => getArticle(locale, hit.id as HelpSlug).profiles.includes(profile);
  let hits = index.search(q, { combineWith: 'AND', filter });
  if (!hits.length) hits = index.search(q, { combineWith: 'OR', filter });
  return hits.slice(0, limit).map((hit) => getArticle(locale, hit.id as HelpSlug));
}
