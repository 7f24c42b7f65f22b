import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { catalogueCode } from '../../domain/vocabulary';
import { ownEntry } from '../../platform/input';
import { printable, type RouteDeps } from '../../platform/routes';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { emptyForm } from '../../ui/context';
import { invalidCharacters, typedValues } from '../../ui/forms';
import { catalogueList, catalogueRecord, saveCatalogueRecord } from '../catalogue';
import { CatalogueFormPage, CatalogueHomePage, fields, kinds, slugOfKind } from './views/catalogue';

/** The administrator's catalogue forms: periods, schools, courses, sessions (besides the CSV import). */
export function catalogueRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const adminOnly = { preHandler: requireUser('admin') };
  // Route schemas: `:kind` is one of the four slugs (not any key of an object), codes are codes;
  // the lookup takes own keys only all the same.
  const savedQuery = z.object({ enregistre: z.string().regex(catalogueCode).optional() });
  const kindParams = z.object({ kind: z.enum(Object.keys(kinds) as [string, ...string[]]) });
  const codeQuery = z.object({ code: printable(100).optional() });
  const recordParams = kindParams.extend({ code: z.string().regex(catalogueCode) });

  return async (app) => {
    app.get<{ Querystring: z.output<typeof savedQuery> }>('/personnel/admin/catalogue', { ...adminOnly, schema: { querystring: savedQuery } }, async (request, reply) => {
      const [periods, schools] = await Promise.all([catalogueList(db, 'periods'), catalogueList(db, 'schools')]);
      const saved = request.query.enregistre;
      const ctx = pageContext(request, reply, devTools);
      return sendPage(reply, <CatalogueHomePage ctx={ctx} lists={{ periods, schools }} flash={saved ? ctx.t('catf.saved', { code: saved }) : undefined} />);
    });

    // The hub's "edit the one with this code" form.
    app.get<{ Params: z.output<typeof kindParams>; Querystring: z.output<typeof codeQuery> }>('/personnel/admin/catalogue/:kind', { ...adminOnly, schema: { params: kindParams, querystring: codeQuery } }, async (request, reply) => {
      const code = request.query.code?.trim() ?? '';
      return reply.redirect(`/personnel/admin/catalogue/${request.params.kind}/${encodeURIComponent(code || 'nouveau')}`, 303);
    });

    app.get<{ Params: z.output<typeof recordParams> }>('/personnel/admin/catalogue/:kind/:code', { ...adminOnly, schema: { params: recordParams } }, async (request, reply) => {
      const file = ownEntry(kinds, request.params.kind);
      if (!file) return reply.callNotFound();
      const ctx = pageContext(request, reply, devTools);
      if (request.params.code === 'nouveau') return sendPage(reply, <CatalogueFormPage ctx={ctx} file={file} form={emptyForm()} creating />);
      const record = await catalogueRecord(db, file, request.params.code);
      if (!record) return reply.callNotFound();
      return sendPage(reply, <CatalogueFormPage ctx={ctx} file={file} form={emptyForm(record)} creating={false} />);
    });

    app.post<{ Params: z.output<typeof kindParams> }>('/personnel/admin/catalogue/:kind', { ...adminOnly, schema: { params: kindParams } }, async (request, reply) => {
      const file = ownEntry(kinds, request.params.kind);
      if (!file) return reply.callNotFound();
      const values = typedValues(request.body);
      const creating = values.nouveau === '1';
      const record = Object.fromEntries(fields[file].map((f) => [f.name, values[f.name] ?? '']));
      const invalid = invalidCharacters(record, fields[file].filter((f) => f.kind === 'long').map((f) => f.name));
      if (Object.keys(invalid).length)
        return sendPage(reply, <CatalogueFormPage ctx={pageContext(request, reply, devTools)} file={file} form={{ values: record, errors: invalid }} creating={creating} />, 400);
      const result = await saveCatalogueRecord({ db, clock }, { adminId: request.auth!.user.id, file, record, creating });
      if (result.ok) return reply.redirect(`/personnel/admin/catalogue?enregistre=${encodeURIComponent(result.code)}#kind-${slugOfKind(file)}`, 303);
      return sendPage(reply, <CatalogueFormPage ctx={pageContext(request, reply, devTools)} file={file} form={{ values: record, errors: result.errors }} creating={creating} />, 400);
    });
  };
}
