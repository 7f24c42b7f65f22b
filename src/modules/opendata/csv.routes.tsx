import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, sendIfNotModified, sendPage } from '../../platform/http';
import { translator } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import { acceptsGzip, dataPackage, etagOf, fileOfName, type OpenDataFile } from './csv.rules';
import { csvQuery, datedParams, filtersOfQuery, latestParams, optionsOfQuery, type CsvQuery } from './csv.schema';
import { catalogueCsv } from './csv.service';
import { listSnapshots, readSnapshot, type SnapshotInfo } from './snapshots.service';
import { OpenDataPage } from './views/csv';

const TEN_MINUTES = 600_000;
/** Nothing in the query string: these addresses take no parameter (one sent is the 400 page). */
const noQuery = z.object({}).strict();
const ONE_YEAR = 31_536_000;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** A file's headers: its type, name, validators and how long it may be kept. */
function fileHeaders(reply: FastifyReply, input: { name: string; etag: string; lastModified: Date; cacheControl: string; gzip?: boolean }) {
  reply
    .header('content-type', input.name.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8; header=present')
    .header('etag', input.etag)
    .header('last-modified', input.lastModified.toUTCString())
    .header('cache-control', input.cacheControl)
    .header('vary', 'accept-encoding')
    // Portals and scripts of other sites read the files (CORS for reads; no cookies are looked at).
    .header('access-control-allow-origin', '*');
  if (input.name.endsWith('.csv')) reply.header('content-disposition', `attachment; filename="${input.name}"`);
  if (input.gzip) reply.header('content-encoding', 'gzip');
}

/**
 * SVC-8: the catalogue's open data, public, no login. `/donnees-ouvertes` (the page), the day's
 * snapshot files at stable addresses (`/donnees-ouvertes/sessions.csv`), each day's
 * (`/donnees-ouvertes/2026-12-02/sessions.csv`), the dictionary (`datapackage.json`), and the
 * catalogue as it is now with the search's filters (`/donnees-ouvertes/catalogue/sessions.csv?…`).
 * Conditional GETs (ETag, Last-Modified) answer 304; a path that is no file is the 404 page, a
 * query string the file does not take the 400 page.
 */
export function openDataCsvRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools, config } = deps;
  const baseUrl = config.baseUrl;
  const perAddress = (max: number) => ({ rateLimit: { max, timeWindow: TEN_MINUTES } });

  async function sendSnapshot(request: FastifyRequest, reply: FastifyReply, file: OpenDataFile, day?: string) {
    const gzip = acceptsGzip(header(request, 'accept-encoding'));
    const found = await readSnapshot(db, { file, day, gzip });
    if (!found) return reply.callNotFound();
    const s: SnapshotInfo = found.info;
    const etag = etagOf(s.sha256, gzip);
    // A dated file never changes (the first snapshot of a day stays): kept a year; the latest changes each night.
    fileHeaders(reply, { name: `${s.file}-${s.day}.csv`, etag, lastModified: s.createdAt, cacheControl: day ? `public, max-age=${ONE_YEAR}, immutable` : 'public, max-age=3600', gzip });
    if (sendIfNotModified(request, reply, { etag, lastModified: s.createdAt })) return reply;
    return reply.send(found.body);
  }

  return async (app) => {
    app.get<{ Querystring: z.output<typeof noQuery> }>('/donnees-ouvertes', { schema: { querystring: noQuery }, config: perAddress(600) }, async (request, reply) => {
      const snapshots = await listSnapshots(db);
      return sendPage(reply, <OpenDataPage ctx={pageContext(request, reply, devTools)} snapshots={snapshots} baseUrl={baseUrl} />);
    });

    app.get<{ Querystring: z.output<typeof noQuery> }>('/donnees-ouvertes/datapackage.json', { schema: { querystring: noQuery }, config: perAddress(600) }, async (_request, reply) => {
      const latest = (await listSnapshots(db))[0];
      // In French, the reference: a portal shows the descriptions as they are.
      const body = JSON.stringify(dataPackage(translator('fr'), baseUrl, latest?.createdAt ?? null), null, 2);
      return reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').send(body);
    });

    app.get<{ Params: z.output<typeof latestParams>; Querystring: CsvQuery }>(
      '/donnees-ouvertes/catalogue/:file',
      { schema: { params: latestParams, querystring: csvQuery }, config: perAddress(60) },
      async (request, reply) => {
        const file = fileOfName(request.params.file)!;
        const csv = await catalogueCsv({ db, clock, baseUrl }, file, filtersOfQuery(request.query), optionsOfQuery(request.query));
        const etag = etagOf(csv.sha256);
        const now = clock.now();
        fileHeaders(reply, { name: `${file}.csv`, etag, lastModified: now, cacheControl: `public, max-age=${Math.max(5, config.microcacheSeconds)}` });
        // The live file's Last-Modified is the time of the answer: only its tag tells whether it changed.
        if (sendIfNotModified(request, reply, { etag })) return reply;
        return reply.send(csv.body);
      },
    );

    app.get<{ Params: z.output<typeof latestParams>; Querystring: z.output<typeof noQuery> }>(
      '/donnees-ouvertes/:file',
      { schema: { params: latestParams, querystring: noQuery }, config: perAddress(600) },
      async (request, reply) => sendSnapshot(request, reply, fileOfName(request.params.file)!),
    );

    app.get<{ Params: z.output<typeof datedParams>; Querystring: z.output<typeof noQuery> }>(
      '/donnees-ouvertes/:day/:file',
      { schema: { params: datedParams, querystring: noQuery }, config: perAddress(600) },
      async (request, reply) => sendSnapshot(request, reply, fileOfName(request.params.file)!, request.params.day),
    );
  };
}
