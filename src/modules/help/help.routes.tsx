import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import type { Translator } from '../../platform/i18n';
import type { HelpLine } from '../../config';
import { emptyForm, type FormState } from '../../ui/context';
import { helpLineHours, telHref } from '../../ui/help-line';
import { articlesByTheme, findArticle } from './help.articles';
import { HELP_QUERY_MAX, searchHelp } from './help.search';
import { HelpArticlePage, HelpHomePage } from './views/help';

const TEN_MINUTES = 600_000;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * What the search box sent, as a person typed it: one text (the first, if the address repeats
 * it), control characters (a NUL byte…) out. Too long is a message next to the box, the text
 * kept; never an error page.
 */
export function readHelpQuery(query: unknown): { form: FormState; q?: string } {
  const raw = (query as Record<string, unknown> | undefined)?.q;
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first !== 'string') return { form: emptyForm() };
  const typed = first.replace(CONTROL, ' ');
  const form = emptyForm({ q: typed });
  if (typed.length > HELP_QUERY_MAX) return { form: { ...form, errors: { q: { message: 'help.search.tooLong', params: { max: HELP_QUERY_MAX } } } } };
  const q = typed.trim();
  return { form, q: q || undefined };
}

/** An article's `{{phone}}` and `{{hours}}`: the help line of the settings, in the reader's language. */
export function fillHelpLine(html: string, t: Translator, line: HelpLine): string {
  return html
    .replaceAll('{{phone}}', `<a href="${escapeHtml(telHref(line.phone))}">${escapeHtml(line.phone)}</a>`)
    .replaceAll('{{hours}}', escapeHtml(helpLineHours(t, line)));
}

const slugParams = z.object({ slug: z.string().max(100) });
const searching = (request: FastifyRequest) => typeof (request.query as Record<string, unknown> | undefined)?.q !== 'undefined';

/** SVC-1: the help pages, public. `/aide` (themes, search `?q=`), `/aide/<slug>` (one article). */
export function helpRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { devTools, config } = deps;
  return async (app) => {
    app.get(
      '/aide',
      {
        // Only a search counts against the address's limit; the page itself is free.
        config: { rateLimit: { max: async () => (await deps.policies()).helpSearchesPerIpPer10Min, timeWindow: TEN_MINUTES, allowList: (request) => !searching(request) } },
      },
      async (request, reply) => {
        const ctx = pageContext(request, reply, devTools);
        const { form, q } = readHelpQuery(request.query);
        const results = q ? searchHelp(request.locale, q, config.profile) : undefined;
        return sendPage(reply, <HelpHomePage ctx={ctx} form={form} query={q} results={results} themes={articlesByTheme(request.locale, config.profile)} />, form.errors.q ? 400 : 200);
      },
    );

    app.get<{ Params: z.infer<typeof slugParams> }>('/aide/:slug', { schema: { params: slugParams } }, async (request, reply) => {
      const article = findArticle(request.locale, request.params.slug, config.profile);
      if (!article) return reply.callNotFound();
      const ctx = pageContext(request, reply, devTools);
      const sameTheme = articlesByTheme(request.locale, config.profile)
        .find((g) => g.theme === article.theme)!
        .articles.filter((a) => a.slug !== article.slug);
      return sendPage(reply, <HelpArticlePage ctx={ctx} article={article} html={fillHelpLine(article.html, ctx.t, config.helpLine)} sameTheme={sameTheme} />);
    });
  };
}
