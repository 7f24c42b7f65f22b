/**
 * The help pages (SVC-1, SVC-4): the FAQ of the service in plain words, in French and English,
 * searchable, and the links other pages give to the question that arises there. The lowest
 * module: every other may link to an article (`helpLink`, `<HelpLink t={t} slug="demi-tarif" />`;
 * a slug not in `helpSlugs` does not compile).
 */
export { helpSlugs, type HelpSlug } from './help.articles';
export { helpRoutes } from './help.routes';
export { HelpLink, helpLink } from './views/help-link';
