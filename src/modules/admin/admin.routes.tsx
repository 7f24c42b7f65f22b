import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../app';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { getPolicies } from '../../platform/policies';
import { emptyForm } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { newStaffSchema } from './admin.schema';
import { createStaffByAdmin, listStaff, policyKeys, updatePolicies } from './admin.service';
import { catalogueRoutes } from './catalogue-forms.routes';
import { PoliciesPage } from './views/policies';
import { AdminHomePage, StaffAccountsPage } from './views/staff';

/** The administrator's pages: settings (policies), staff accounts, catalogue forms. Admin only. */
export function adminRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const adminOnly = { preHandler: requireUser('admin') };

  return async (app) => {
    app.get('/personnel/admin', adminOnly, async (request, reply) => sendPage(reply, <AdminHomePage ctx={pageContext(request, reply, devTools)} />));

    app.get('/personnel/admin/reglages', adminOnly, async (request, reply) => {
      const policies = await getPolicies(db);
      const values = Object.fromEntries(policyKeys.map((k) => [k, String(policies[k])]));
      const saved = (request.query as Record<string, unknown> | undefined)?.message === 'saved';
      return sendPage(reply, <PoliciesPage ctx={pageContext(request, reply, devTools)} form={emptyForm(values)} flash={saved ? pageContext(request, reply, devTools).t('admin.saved') : undefined} />);
    });

    app.post('/personnel/admin/reglages', adminOnly, async (request, reply) => {
      const values = typedValues(request.body);
      const result = await updatePolicies({ db, clock }, { adminId: request.auth!.user.id, values });
      if (result.ok) return reply.redirect('/personnel/admin/reglages?message=saved', 303);
      return sendPage(reply, <PoliciesPage ctx={pageContext(request, reply, devTools)} form={{ values, errors: result.errors }} />, 400);
    });

    app.get('/personnel/admin/comptes', adminOnly, async (request, reply) =>
      sendPage(reply, <StaffAccountsPage ctx={pageContext(request, reply, devTools)} rows={await listStaff(db)} form={emptyForm({ role: 'trainer' })} />),
    );

    app.post('/personnel/admin/comptes', adminOnly, async (request, reply) => {
      const parsed = parseForm(newStaffSchema, request.body);
      let form = parsed.ok ? emptyForm() : parsed.form;
      if (parsed.ok) {
        const result = await createStaffByAdmin({ db, clock, baseUrl: config.baseUrl }, { adminId: request.auth!.user.id, staff: parsed.data });
        if (result.ok) {
          reply.header('cache-control', 'no-store');
          return sendPage(reply, <StaffAccountsPage ctx={pageContext(request, reply, devTools)} rows={await listStaff(db)} form={emptyForm({ role: 'trainer' })} created={result.created} />);
        }
        form = withError({ values: typedValues(request.body), errors: {} }, result.field, result.error);
      }
      return sendPage(reply, <StaffAccountsPage ctx={pageContext(request, reply, devTools)} rows={await listStaff(db)} form={form} />, 400);
    });

    await app.register(catalogueRoutes(deps));
  };
}
