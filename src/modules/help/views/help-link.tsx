import type { Translator } from '../../../platform/i18n';
import { getArticle, type HelpSlug } from '../help.articles';

/** Where an article is, and the words of a link to it: « Aide : Qui peut payer demi-tarif ? ». */
export function helpLink(t: Translator, slug: HelpSlug): { href: string; text: string } {
  return { href: `/aide/${slug}`, text: t('help.link', { title: getArticle(t.locale, slug).title }) };
}

/**
 * SVC-1: a link to the help article that answers the question this page raises, next to it.
 * `inline` gives the link alone (in a sentence or a hint); otherwise a paragraph of its own.
 */
export function HelpLink(props: { t: Translator; slug: HelpSlug; inline?: boolean }) {
  const { href, text } = helpLink(props.t, props.slug);
  const link = (
    <a href={href} class="help-link-anchor">
      {text}
    </a>
  );
  return props.inline ? link : <p class="help-link">{link}</p>;
}
