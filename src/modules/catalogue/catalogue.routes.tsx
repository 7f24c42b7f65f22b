import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../app';
import { pageContext, sendPage } from '../../platform/http';
import { parseFilters } from './catalogue.rules';
import { getCourseSheet, listDomains, listPeriods, listSchools, searchSessions } from './catalogue.service';
import { SearchPage } from './views/search';
import { CourseSheetPage } from './views/sheet';

/** The public catalogue: search with filters, and course sheets. SPEC CAT-1 to CAT-7. */
export function catalogueRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  return async (app) => {
    app.get('/recherche', async (request, reply) => {
      const filters = parseFilters((request.query ?? {}) as Record<string, unknown>);
      const [found, domains, periods, schools] = await Promise.all([
        searchSessions(db, clock, filters),
        listDomains(db),
        listPeriods(db),
        listSchools(db),
      ]);
      return sendPage(
        reply,
        <SearchPage ctx={pageContext(request, reply, devTools)} filters={filters} domains={domains} periods={periods} schools={schools} {...found} />,
      );
    });

    app.get<{ Params: { code: string } }>('/formations/:code', async (request, reply) => {
      const sheet = await getCourseSheet(db, clock, request.params.code);
      if (!sheet) return reply.callNotFound();
      return sendPage(reply, <CourseSheetPage ctx={pageContext(request, reply, devTools)} sheet={sheet} />);
    });
  };
}
