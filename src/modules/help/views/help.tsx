import type { FormState, PageContext } from '../../../ui/context';
import { defaultHelpLine, helpLineHours, telHref } from '../../../ui/help-line';
import { Layout } from '../../../ui/Layout';
import type { MessageKey } from '../../../platform/i18n';
import type { HelpArticle, HelpTheme } from '../help.articles';
import { HELP_QUERY_MAX } from '../help.search';

const themeKey = (theme: HelpTheme) => `help.theme.${theme}` as MessageKey;

/** The help line and the contact form: the way out when no article answers. */
function StillAQuestion(props: { ctx: PageContext }) {
  const { ctx } = props;
  const t = ctx.t;
  const line = ctx.helpLine ?? defaultHelpLine;
  return (
    <section aria-labelledby="help-still" class="notice">
      <h2 id="help-still">{t('help.still')}</h2>
      <p>
        {t('layout.helpLine.call')} <a href={telHref(line.phone)}>{line.phone}</a> ({helpLineHours(t, line)}).
      </p>
      <p>
        <a href="/contact">{t('help.writeUs')}</a>
      </p>
    </section>
  );
}

function SearchBox(props: { ctx: PageContext; form: FormState }) {
  const t = props.ctx.t;
  const error = props.form.errors.q;
  return (
    <form method="get" action="/aide" role="search" novalidate class={error ? 'field-error' : undefined}>
      <label for="q">{t('help.search.label')}</label>
      <p class="hint" id="q-hint">
        {t('help.search.hint')}
      </p>
      {error ? (
        <p class="error-message" id="q-error">
          {t(error.message, error.params)}
        </p>
      ) : null}
      <div class="inline-search">
        <input
          id="q"
          name="q"
          type="search"
          class="input input-long"
          maxLength={HELP_QUERY_MAX}
          value={props.form.values.q ?? ''}
          aria-describedby={error ? 'q-hint q-error' : 'q-hint'}
          aria-invalid={error ? 'true' : undefined}
        />
        <button type="submit" class="button">
          {t('help.search.submit')}
        </button>
      </div>
    </form>
  );
}

/** SVC-1: `/aide`, the search box, what a search found, and every article by theme. */
export function HelpHomePage(props: { ctx: PageContext; form: FormState; query?: string; results?: HelpArticle[]; themes: { theme: HelpTheme; articles: HelpArticle[] }[] }) {
  const { ctx, results, query } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={query ? `${query} – ${t('help.title')}` : t('help.title')}>
      <h1>{t('help.title')}</h1>
      <p class="lead">{t('help.intro')}</p>
      <SearchBox ctx={ctx} form={props.form} />
      {results && query ? (
        <section aria-labelledby="help-results">
          <h2 id="help-results" tabindex={-1}>
            {results.length ? t.plural('help.results', results.length, { query }) : t('help.results.none', { query })}
          </h2>
          {results.length ? (
            <ol class="help-results">
              {results.map((a) => (
                <li>
                  <a href={`/aide/${a.slug}`}>{a.title}</a>
                  <p class="hint">{a.summary}</p>
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ) : null}
      <h2>{t('help.themes')}</h2>
      <ul class="help-themes">
        {props.themes.map(({ theme, articles }) => (
          <li>
            <h3 id={`theme-${theme}`}>{t(themeKey(theme))}</h3>
            <ul>
              {articles.map((a) => (
                <li>
                  <a href={`/aide/${a.slug}`}>{a.title}</a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <StillAQuestion ctx={ctx} />
    </Layout>
  );
}

/** SVC-1: `/aide/<slug>`, one article, the others of its theme, and the way to ask. */
export function HelpArticlePage(props: { ctx: PageContext; article: HelpArticle; html: string; sameTheme: HelpArticle[] }) {
  const { ctx, article } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={article.title}>
      <p>
        <a href="/aide">{t('help.back')}</a>
      </p>
      <article class="help-article" aria-labelledby="help-article-title">
        <p class="hint">{t('help.themeOf', { theme: t(themeKey(article.theme)) })}</p>
        <h1 id="help-article-title">{article.title}</h1>
        <div dangerouslySetInnerHTML={{ __html: props.html }} />
      </article>
      {props.sameTheme.length ? (
        <nav aria-labelledby="help-same-theme">
          <h2 id="help-same-theme">{t('help.sameTheme')}</h2>
          <ul>
            {props.sameTheme.map((a) => (
              <li>
                <a href={`/aide/${a.slug}`}>{a.title}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <StillAQuestion ctx={ctx} />
    </Layout>
  );
}
