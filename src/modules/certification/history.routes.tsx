import type { FastifyPluginAsync } from 'fastify';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import { legacyHistoryOf } from '../legacy';
import { learnerHistory } from './history.service';
import { HistoryPage } from './views/history';

/** ACC-10: the learner's history, at `/compte/historique` (their own only: the service asks by the logged-in learner), with the old system's (ACC-9). */
export function historyRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, secret, devTools } = deps;
  return async (app) => {
    app.get('/compte/historique', { preHandler: requireUser('learner') }, async (request, reply) => {
      const policies = await deps.policies();
      const [entries, legacy] = await Promise.all([learnerHistory({ db, clock, baseUrl: config.baseUrl, secret, policies }, request.auth!.user.id), legacyHistoryOf(db, request.auth!.user.id)]);
      return sendPage(reply, <HistoryPage ctx={pageContext(request, reply, devTools)} entries={entries} legacy={legacy} percent={policies.attendanceCertificatePercent} />);
    });
  };
}
