import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { idParams, type RouteDeps } from '../../platform/routes';
import { dataExportFile, latestExport, requestDataExport } from './export.service';
import { ExportPage, ExportReportPage } from './views/export';

const ONE_DAY = 24 * 3_600_000;

/** What holds personal data is kept by no cache and sent to no other site. */
const privately = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');

/**
 * ACC-11: "download my data", for the learner only (staff are refused by the guard; no staff page
 * reads a download). The download's id is random and every read names its owner too: another
 * account's id is the 404 page. Asking is limited per account and per day (a policy).
 */
export function exportRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const svc = { db, clock };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const perDay = {
    rateLimit: {
      hook: 'preHandler' as const,
      max: async () => (await deps.policies()).dataExportsPerAccountPerDay,
      timeWindow: ONE_DAY,
      keyGenerator: (request: FastifyRequest) => `data-export:${request.auth?.user.id ?? request.ip}`,
    },
  };
  type WithId = { Params: z.output<typeof idParams> };

  return async (app) => {
    app.get('/compte/donnees', { preHandler: requireUser('learner') }, async (request, reply) => {
      const [state, policies] = await Promise.all([latestExport(svc, request.auth!.user.id), deps.policies()]);
      return sendPage(privately(reply), <ExportPage ctx={ctx(request, reply)} state={state} hours={policies.dataExportHours} />);
    });

    app.post('/compte/donnees', { preHandler: requireUser('learner'), config: perDay }, async (request, reply) => {
      await requestDataExport(svc, { userId: request.auth!.user.id });
      return reply.redirect('/compte/donnees', 303);
    });

    app.get<WithId>('/compte/donnees/:id', { schema: { params: idParams }, preHandler: requireUser('learner') }, async (request, reply) => {
      const found = await dataExportFile(svc, { userId: request.auth!.user.id, exportId: request.params.id });
      if (!found) return reply.callNotFound();
      return sendPage(privately(reply), <ExportReportPage ctx={ctx(request, reply)} file={found.file} />);
    });

    app.get<WithId>('/compte/donnees/:id/fichier', { schema: { params: idParams }, preHandler: requireUser('learner') }, async (request, reply) => {
      const found = await dataExportFile(svc, { userId: request.auth!.user.id, exportId: request.params.id });
      if (!found) return reply.callNotFound();
      const day = found.file.generatedAt.slice(0, 10);
      return privately(reply)
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="cursus-mes-donnees-${day}.json"`)
        .send(found.text);
    });
  };
}
