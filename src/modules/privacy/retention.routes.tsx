import type { FastifyPluginAsync } from 'fastify';
import { csvFile } from '../../platform/csv';
import { registerRoles } from '../../platform/personal-data';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { translator } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import { registerLines } from './registry';
import { whatWeKeep } from './retention.service';
import { registerColumns, registerValues, RegisterPage } from './views/register';
import { RetentionPage } from './views/retention';

/**
 * ACC-14's pages: the learner's "what we keep" (their own only: the service asks by the
 * logged-in learner) and the staff's processing register with its CSV (`registerRoles`:
 * administrators and the central service's coordinators, who answer the data protection officer).
 */
export { registerRoles };

export function retentionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const registerReaders = { preHandler: requireUser(...registerRoles) };
  return async (app) => {
    app.get('/compte/donnees/conservation', { preHandler: requireUser('learner') }, async (request, reply) => {
      const kept = await whatWeKeep({ db, policies: await deps.policies() }, request.auth!.user.id);
      return sendPage(reply, <RetentionPage ctx={pageContext(request, reply, devTools)} kept={kept} />);
    });

    app.get('/personnel/registre-traitements', registerReaders, async (request, reply) => {
      const policies = await deps.policies();
      return sendPage(reply, <RegisterPage ctx={pageContext(request, reply, devTools)} lines={registerLines(policies)} policies={policies} at={clock.now()} />);
    });

    app.get('/personnel/registre-traitements.csv', registerReaders, async (request, reply) => {
      const t = translator(request.locale);
      const lines = registerLines(await deps.policies());
      const csv = csvFile([registerColumns.map((c) => t(`privacy.register.col.${c}`)), ...lines.map((l) => registerColumns.map((c) => registerValues(t, l)[c]))]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${t('privacy.register.csvName')}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    });
  };
}
