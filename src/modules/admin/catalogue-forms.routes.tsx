import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { catalogueCode } from '../../domain/vocabulary';
import { ownEntry } from '../../platform/input';
import { printable, type RouteDeps } from '../../platform/routes';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { emptyForm, type FormState } from '../../ui/context';
import { invalidCharacters, parseForm, typedValues } from '../../ui/forms';
import { catalogueList, catalogueRecord, declareEquivalence, listEquivalences, removeEquivalence, saveCatalogueRecord } from '../catalogue';
import { scopeOf } from '../scopes';
import { equivalenceSchema } from './admin.schema';
import { CatalogueFormPage, CatalogueHomePage, fields, kinds, slugOfKind } from './views/catalogue';
import { EquivalencesPage } from './views/equivalences';

const TEN_MINUTES = 10 * 60_000;

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
  // SEL-7: equivalent courses are declared by an administrator, or by a coordinator for courses of their scope.
  const declarers = { preHandler: requireUser('admin', 'coordinator') };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `eqv:${request.auth?.user.id ?? request.ip}` },
  });
  const pairParams = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number) });
  const flashQuery = z.object({ message: z.enum(['declared', 'removed']).optional() });
  const actorOf = async (request: FastifyRequest) => ({ id: request.auth!.user.id, scope: await scopeOf(db, request.auth!.user) });
  const equivalencesPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200, flash?: 'declared' | 'removed') => {
    const ctx = pageContext(request, reply, devTools);
    const pairs = await listEquivalences(db, (await actorOf(request)).scope);
    return sendPage(reply, <EquivalencesPage ctx={ctx} pairs={pairs} form={form} flash={flash ? ctx.t(flash === 'declared' ? 'eqv.declared' : 'eqv.removed') : undefined} />, status);
  };

  return async (app) => {
    app.get<{ Querystring: z.output<typeof flashQuery> }>('/personnel/admin/catalogue/equivalences', { ...declarers, schema: { querystring: flashQuery } }, async (request, reply) =>
      equivalencesPage(request, reply, emptyForm(), 200, request.query.message),
    );

    app.post('/personnel/admin/catalogue/equivalences', { ...declarers, config: perAccount(60) }, async (request, reply) => {
      const parsed = parseForm(equivalenceSchema, request.body);
      if (!parsed.ok) return equivalencesPage(request, reply, parsed.form, 400);
      const result = await declareEquivalence({ db, clock }, { actor: await actorOf(request), course: parsed.data.course, equivalentCourse: parsed.data.equivalent_course });
      if (result.ok) return reply.redirect('/personnel/admin/catalogue/equivalences?message=declared', 303);
      return equivalencesPage(request, reply, { values: typedValues(request.body), errors: result.errors }, 400);
    });

    app.post<{ Params: z.output<typeof pairParams> }>('/personnel/admin/catalogue/equivalences/:id/retrait', { ...declarers, schema: { params: pairParams }, config: perAccount(60) }, async (request, reply) => {
      if (!(await removeEquivalence({ db, clock }, { actor: await actorOf(request), id: request.params.id }))) return reply.callNotFound();
      return reply.redirect('/personnel/admin/catalogue/equivalences?message=removed', 303);
    });

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
