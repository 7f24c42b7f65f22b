import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { idParams, printable, type RouteDeps } from '../../platform/routes';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { getPolicies } from '../../platform/policies';
import { emptyForm } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { editStaffSchema, newStaffSchema } from './admin.schema';
import { createStaffByAdmin, listStaff, policyKeys, updatePolicies, updateStaffByAdmin } from './admin.service';
import { catalogueRoutes } from './catalogue-forms.routes';
import { PoliciesPage } from './views/policies';
import { AdminHomePage, StaffAccountsPage, StaffEditPage } from './views/staff';

/** The administrator's pages: settings (policies), staff accounts, catalogue forms. Admin only. */
export function adminRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const adminOnly = { preHandler: requireUser('admin') };
  const settingsQuery = z.object({ message: z.enum(['saved']).optional() });
  const accountsQuery = z.object({ enregistre: printable(254).optional() });

  return async (app) => {
    app.get('/personnel/admin', adminOnly, async (request, reply) => sendPage(reply, <AdminHomePage ctx={pageContext(request, reply, devTools)} />));

    app.get<{ Querystring: z.output<typeof settingsQuery> }>('/personnel/admin/reglages', { ...adminOnly, schema: { querystring: settingsQuery } }, async (request, reply) => {
      const policies = await getPolicies(db);
      const values = Object.fromEntries(policyKeys.map((k) => [k, String(policies[k])]));
      const saved = request.query.message === 'saved';
      return sendPage(reply, <PoliciesPage ctx={pageContext(request, reply, devTools)} form={emptyForm(values)} flash={saved ? pageContext(request, reply, devTools).t('admin.saved') : undefined} />);
    });

    app.post('/personnel/admin/reglages', adminOnly, async (request, reply) => {
      const values = typedValues(request.body);
      const result = await updatePolicies({ db, clock }, { adminId: request.auth!.user.id, values });
      if (result.ok) return reply.redirect('/personnel/admin/reglages?message=saved', 303);
      return sendPage(reply, <PoliciesPage ctx={pageContext(request, reply, devTools)} form={{ values, errors: result.errors }} />, 400);
    });

    app.get<{ Querystring: z.output<typeof accountsQuery> }>('/personnel/admin/comptes', { ...adminOnly, schema: { querystring: accountsQuery } }, async (request, reply) => {
      const ctx = pageContext(request, reply, devTools);
      const saved = request.query.enregistre;
      const flash = saved !== undefined ? ctx.t('admin.staffSaved', { email: saved }) : undefined;
      return sendPage(reply, <StaffAccountsPage ctx={ctx} rows={await listStaff(db)} form={emptyForm({ role: 'trainer' })} flash={flash} />);
    });

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

    app.get<{ Params: { id: string } }>('/personnel/admin/comptes/:id', { ...adminOnly, schema: { params: idParams } }, async (request, reply) => {
      const row = (await listStaff(db)).find((r) => r.id === request.params.id);
      if (!row) return reply.callNotFound();
      const values = {
        displayName: row.display_name ?? '',
        role: row.role,
        schools: (row.schools ?? []).join(', '),
        domains: (row.domains ?? []).join(', '),
        sessions: (row.sessions ?? []).join(', '),
        active: row.status === 'disabled' ? 'no' : 'yes',
      };
      return sendPage(reply, <StaffEditPage ctx={pageContext(request, reply, devTools)} id={row.id} email={row.email} form={emptyForm(values)} />);
    });

    app.post<{ Params: { id: string } }>('/personnel/admin/comptes/:id', { ...adminOnly, schema: { params: idParams } }, async (request, reply) => {
      const row = (await listStaff(db)).find((r) => r.id === request.params.id);
      if (!row) return reply.callNotFound();
      const parsed = parseForm(editStaffSchema, request.body);
      let form = parsed.ok ? emptyForm() : parsed.form;
      if (parsed.ok) {
        const result = await updateStaffByAdmin({ db, clock }, { adminId: request.auth!.user.id, userId: row.id, staff: parsed.data });
        if (result.ok) return reply.redirect(`/personnel/admin/comptes?enregistre=${encodeURIComponent(row.email)}`, 303);
        if (result.field === null) return reply.callNotFound();
        form = withError({ values: typedValues(request.body), errors: {} }, result.field, result.error);
      }
      return sendPage(reply, <StaffEditPage ctx={pageContext(request, reply, devTools)} id={row.id} email={row.email} form={form} />, 400);
    });

    await app.register(catalogueRoutes(deps));
  };
}
