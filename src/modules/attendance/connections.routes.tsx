import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import { uploadedForm } from '../../platform/uploads';
import type { FormState } from '../../ui/context';
import { rolesFor } from '../applications';
import { learnerConnections } from './connections.learner';
import { importConnections, MAX_PROBLEMS, recentConnectionImports } from './connections.service';
import type { LineProblem } from './connections.rules';
import { CONNECTIONS_FILE_FIELD, connectionPaths, ConnectionsImportPage, LearnerConnectionsPage } from './views/connections';

const TEN_MINUTES = 10 * 60_000;
const flashQuery = z.object({ added: z.coerce.number().int().min(0).max(1e6).optional(), unchanged: z.coerce.number().int().min(0).max(1e6).optional(), superseded: z.coerce.number().int().min(0).max(1e6).optional() });

/** What a browser says a file is called, without its folders or control characters. */
const uploadName = (name: string) =>
  (name.split(/[/\\]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .slice(0, 200) || 'connexions.csv';

/**
 * Issue 18, remote attendance: the staff page that imports the learning platform's connection
 * hours (`/personnel/connexions`: those who take registers, in their scope, which the service
 * checks line by line) and the learner's page of their connection hours (`/compte/heures-de-connexion`).
 * The file comes through the platform's uploads (its size policy); a refused file is the page
 * again with its line report, never a 500.
 */
export function connectionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const importers = rolesFor('markAttendance');
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const perAccount = { rateLimit: { hook: 'preHandler' as const, max: 30, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `conn:${request.auth?.user.id ?? request.ip}` } };

  async function staffPage(request: FastifyRequest, reply: FastifyReply, extra: { form?: FormState; problems?: LineProblem[]; flash?: string; status?: number } = {}) {
    const imports = await recentConnectionImports(db, request.auth!.user);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <ConnectionsImportPage ctx={ctx(request, reply)} form={extra.form} problems={extra.problems} truncated={(extra.problems?.length ?? 0) >= MAX_PROBLEMS} imports={imports} flash={extra.flash} />,
      extra.status ?? 200,
    );
  }

  return async (app) => {
    app.get<{ Querystring: z.output<typeof flashQuery> }>(connectionPaths.staff, { preHandler: requireUser(...importers), schema: { querystring: flashQuery } }, async (request, reply) => {
      const q = request.query;
      const flash = q.added !== undefined ? ctx(request, reply).t('att.conn.flash.imported', { added: q.added, unchanged: q.unchanged ?? 0, superseded: q.superseded ?? 0 }) : undefined;
      return staffPage(request, reply, { flash });
    });

    app.post(connectionPaths.staff, { preHandler: requireUser(...importers), config: { upload: true, ...perAccount } }, async (request, reply) => {
      const upload = uploadedForm(request, CONNECTIONS_FILE_FIELD);
      const values = { replace: upload.fields.replace === 'on' ? 'on' : '' };
      const fileError = upload.fileError ?? (upload.file ? null : { message: 'att.conn.fileRequired' as const });
      if (fileError) return staffPage(request, reply, { form: { values, errors: { [CONNECTIONS_FILE_FIELD]: fileError } }, status: 400 });
      const result = await importConnections({ db, clock }, { importer: request.auth!.user, fileName: uploadName(upload.file!.name), content: upload.file!.data, replace: values.replace === 'on' });
      if (result.ok) return reply.redirect(`${connectionPaths.staff}?added=${result.added}&unchanged=${result.unchanged}&superseded=${result.superseded}`, 303);
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return staffPage(request, reply, { form: { values, errors: { [CONNECTIONS_FILE_FIELD]: { message: 'att.conn.refused' } } }, problems: result.problems, status: 400 });
    });

    app.get(connectionPaths.learner, { preHandler: requireUser('learner') }, async (request, reply) => {
      const lines = await learnerConnections({ db, clock, policies: await deps.policies() }, request.auth!.user.id);
      reply.header('cache-control', 'no-store');
      return sendPage(reply, <LearnerConnectionsPage ctx={ctx(request, reply)} lines={lines} />);
    });
  };
}
