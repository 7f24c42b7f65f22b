import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { pageContext, renderPage, sendHtml, sendPage } from '../../platform/http';
import { LRUCache } from 'lru-cache';
import { filtersQuery, parseFilters, type SearchFilters } from './catalogue.rules';
import { catalogueVersion, getCourseSheet, unitEnrolments, listDomains, listPeriods, listSchools, searchSessions, type Domain, type Period, type School } from './catalogue.service';
import { SearchPage } from './views/search';
import { CourseSheetPage } from './views/sheet';

/** The public catalogue: search with filters, and course sheets. SPEC CAT-1 to CAT-7. */
export function catalogueRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const keep = deps.config.microcacheSeconds > 0;
  const ttl = Math.max(1, deps.config.microcacheSeconds * 1000);
  /**
   * A few seconds of memory for searches and the filter lists (docs/decisions/004): on opening
   * day thousands of people run the same searches; each distinct search still reaches
   * PostgreSQL at most once per TTL per process, and concurrent identical ones share one query.
   */
  const searches = new LRUCache<string, Awaited<ReturnType<typeof searchSessions>>, SearchFilters>({
    max: 5_000,
    ttl,
    fetchMethod: (_key, _stale, { context }) => searchSessions(db, clock, context),
  });
  /**
   * The filter lists (domains, periods, schools) of the catalogue's version (decision 024): read
   * again only when a transaction changed the catalogue, so never stale; concurrent requests
   * share one read.
   */
  type Lists = { domains: Domain[]; periods: Period[]; schools: School[] };
  let lists: { version: number; lists: Promise<Lists> } | undefined;
  const referenceLists = (version: number): Promise<Lists> => {
    if (lists?.version !== version) {
      const read = Promise.all([listDomains(db), listPeriods(db), listSchools(db)]).then(([domains, periods, schools]) => ({ domains, periods, schools }));
      lists = { version, lists: read };
      read.catch(() => {
        if (lists?.lists === read) lists = undefined;
      });
    }
    return lists.lists;
  };
  const pages = new LRUCache<string, string>({ max: 2_000, ttl, maxSize: 100_000_000, sizeCalculation: (html) => html.length });

  return async (app) => {
    app.get('/recherche', async (request, reply) => {
      const filters = parseFilters((request.query ?? {}) as Record<string, unknown>);
      // Visitors who are not logged in all see the same page for the same search: it is kept a
      // few seconds, rendered (the rush-day answer; nothing personal is on it).
      const pageKey = request.auth || !keep ? undefined : `${request.locale}|${filtersQuery(filters)}`;
      const cached = pageKey ? pages.get(pageKey) : undefined;
      if (cached) return sendHtml(reply, cached);
      const found = keep
        ? ((await searches.fetch(filtersQuery(filters), { context: filters })) as Awaited<ReturnType<typeof searchSessions>>)
        : await searchSessions(db, clock, filters);
      const { domains, periods, schools } = await referenceLists(found.version);
      const html = renderPage(
        <SearchPage
          ctx={pageContext(request, reply, devTools)}
          filters={filters}
          domains={domains}
          periods={periods}
          schools={schools.filter((s) => s.arrondissement === filters.arrondissement)}
          {...found}
        />,
      );
      if (pageKey) pages.set(pageKey, html);
      return sendHtml(reply, html);
    });

    /** CAT-4: the schools of an arrondissement, for the script that updates the school list in place. */
    app.get('/recherche/etablissements', async (request, reply) => {
      const arrondissement = parseFilters((request.query ?? {}) as Record<string, unknown>).arrondissement;
      const { schools } = await referenceLists(await catalogueVersion(db));
      return reply
        .header('cache-control', 'public, max-age=60')
        .send(arrondissement ? schools.filter((s) => s.arrondissement === arrondissement).map((s) => ({ code: s.code, name: s.name })) : []);
    });

    app.get<{ Params: { code: string } }>('/formations/:code', async (request, reply) => {
      const sheet = await getCourseSheet(db, clock, request.params.code);
      if (!sheet) return reply.callNotFound();
      const ctx = pageContext(request, reply, devTools);
      // CRED-2: in the credits profile, what each session offers for enrolment all year (the payments module answers).
      const enrolments = ctx.profile === 'credits' ? await unitEnrolments.ask(db, { profile: ctx.profile, now: clock.now(), sessionCodes: sheet.sessions.map((s) => s.code) }) : undefined;
      return sendPage(reply, <CourseSheetPage ctx={ctx} sheet={sheet} enrolments={enrolments} />);
    });
  };
}
