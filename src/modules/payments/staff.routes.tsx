import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { catalogueCode } from '../../domain/vocabulary';
import { csvFile } from '../../platform/csv';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { translator, type MessageKey, type Params, type Translator } from '../../platform/i18n';
import { countParam, idParams, uuidParam, type RouteDeps } from '../../platform/routes';
import type { FieldError, FormState } from '../../ui/context';
import { money } from '../../ui/format';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { rolesFor } from '../applications';
import type { PaymentFailure, SchoolDeps } from './payments.service';
import { cashSchema, chequeSchema, clearFlagSchema, reportSchema, type ReportFilters } from './staff.schema';
import './staff.messages';
import * as staffPayments from './staff.service';
import { CollectPage, FlagPage, FlagsPage, paymentPaths as paths, ReportPage, reportColumns, reportLabels, reportValues, ToCollectPage, ToValidatePage } from './views/staff';


const flashes = {
  validated: 'pay.staff.validate.done',
  released: 'pay.staff.release.done',
  cleared: 'pay.staff.flags.done',
} as const satisfies Record<string, MessageKey>;

/** The cash desk's refusals that concern the amount handed over: shown next to that field. */
const cashFieldRefusals = new Set<MessageKey>(['pay.error.cashOverLimit', 'pay.error.cashNotExact']);

/** A refusal of the payments service as a field's error, its placeholders in the reader's words (the limit in euros, the cash office). */
function fieldError(t: Translator, result: PaymentFailure, payee: string): FieldError {
  const params: Params = { ...result.params, payee };
  if (typeof params.limit === 'number') params.limit = money(t, params.limit);
  return { message: result.message, params };
}

const isoToInput = (day: string | undefined) => (day ? day.split('-').reverse().join('/') : '');

/**
 * The staff pages of enrolment and payment (PAY-1, PAY-2, PAY-3): "to validate", "to collect"
 * with the cheque and cash forms and the release of an unpaid place, the payments received with
 * their exports, and the online attempts flagged for staff. Every route checks the role (the
 * lifecycle's table); the services check the scope, and the payments service the lifecycle again
 * under its locks. Out of scope: 403; unknown: 404 (docs/decisions/008).
 */
export function paymentStaffRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc: SchoolDeps = { db, clock, baseUrl: config.baseUrl, secret: deps.secret, cashOffice: config.cashOffice };
  const validators = { preHandler: requireUser(...rolesFor('validateEnrolment')) };
  const collectors = { preHandler: requireUser(...rolesFor('recordPayment')) };
  const reviewers = { preHandler: requireUser(...staffPayments.paymentReviewers) };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  // Route schemas: ids are UUIDs, a session's code its catalogue code, the flashes the app's own.
  const withId = { schema: { params: idParams } };
  const sessionParams = z.object({ code: z.string().regex(catalogueCode) });
  const validateQuery = z.object({ message: z.literal('validated').optional(), validees: countParam.optional() });
  const collectQuery = z.object({ message: z.literal('released').optional(), paiement: uuidParam.optional() });
  const flagsQuery = z.object({ message: z.literal('cleared').optional() });

  /** A scoped "not found": 403 if it exists outside the scope, else the 404 page. */
  async function refuse(reply: FastifyReply, what: { applicationId?: string; sessionCode?: string; attemptId?: string }) {
    if (await staffPayments.existsUnscoped(db, what)) throw new AppError('forbidden');
    return reply.callNotFound();
  }

  /** Filters parsed from a query string, as the service takes them. */
  function reportFilters(query: unknown): { filters: Partial<ReportFilters>; form: FormState | null } {
    const parsed = parseForm(reportSchema, query);
    if (!parsed.ok) return { filters: {}, form: parsed.form };
    const { du, au, ecole, mode } = parsed.data;
    return { filters: { from: du, to: au, schoolId: ecole, method: mode || undefined }, form: null };
  }

  return async (app) => {
    // ---- PAY-1: to validate ----

    async function validatePage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: MessageKey; status?: number; flash?: string } = {}) {
      const result = await staffPayments.toValidate(svc, request.auth!.user);
      if (!result.ok) throw new AppError('forbidden');
      return sendPage(reply, <ToValidatePage ctx={ctx(request, reply)} groups={result.groups} notice={extra.notice} flash={extra.flash} />, extra.status ?? 200);
    }

    app.get<{ Querystring: z.output<typeof validateQuery> }>(paths.validate, { ...validators, schema: { querystring: validateQuery } }, (request, reply) => {
      const t = ctx(request, reply).t;
      const { message, validees } = request.query;
      const flash = validees !== undefined ? t.plural('pay.staff.validate.doneAll', validees) : message ? t(flashes[message]) : undefined;
      return validatePage(request, reply, { flash });
    });

    app.post<{ Params: { id: string } }>(`${paths.validate}/:id`, { ...validators, ...withId }, async (request, reply) => {
      const result = await staffPayments.validateOne(svc, request.auth!.user, request.params.id);
      if (result.ok) return reply.redirect(`${paths.validate}?message=validated`, 303);
      if (result.code === 'not_found') return refuse(reply, { applicationId: request.params.id });
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return validatePage(request, reply, { notice: result.message, status: 409 });
    });

    app.post<{ Params: z.output<typeof sessionParams> }>(`${paths.validate}/session/:code`, { ...validators, schema: { params: sessionParams } }, async (request, reply) => {
      const result = await staffPayments.validateAllWhoCame(svc, request.auth!.user, request.params.code);
      if (result.ok) return reply.redirect(`${paths.validate}?validees=${result.validated}`, 303);
      if (result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return validatePage(request, reply, { notice: result.message, status: 409 });
    });

    // ---- PAY-3: to collect ----

    async function collectList(request: FastifyRequest, reply: FastifyReply, extra: { notice?: MessageKey; status?: number; flash?: string; recorded?: string } = {}) {
      const result = await staffPayments.toCollect(svc, request.auth!.user, { recorded: extra.recorded });
      if (!result.ok) throw new AppError('forbidden');
      return sendPage(
        reply,
        <ToCollectPage ctx={ctx(request, reply)} payee={config.cashOffice} rows={result.rows} cashLimitCents={result.cashLimitCents} notice={extra.notice} flash={extra.flash} recorded={result.recorded?.id} />,
        extra.status ?? 200,
      );
    }

    app.get<{ Querystring: z.output<typeof collectQuery> }>(paths.collect, { ...collectors, schema: { querystring: collectQuery } }, (request, reply) => {
      const { message, paiement } = request.query;
      return collectList(request, reply, { flash: message ? ctx(request, reply).t(flashes[message]) : undefined, recorded: paiement });
    });

    async function collectPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: { cheque?: FormState; cash?: FormState; notice?: MessageKey; status?: number } = {}) {
      const result = await staffPayments.collectOne(svc, request.auth!.user, request.params.id);
      if (!result.ok && result.code === 'not_found') return refuse(reply, { applicationId: request.params.id });
      if (!result.ok) throw new AppError('forbidden');
      return sendPage(reply, <CollectPage ctx={ctx(request, reply)} payee={config.cashOffice} applicationId={request.params.id} {...result} {...extra} />, extra.status ?? 200);
    }

    app.get<{ Params: { id: string } }>(`${paths.collect}/:id`, { ...collectors, ...withId }, (request, reply) => collectPage(request, reply));

    /**
     * The two forms of the cash desk: parse, record, then the list with the receipt's link; or the
     * page again with the message next to the field (400: what was typed; 409: what the cash desk
     * refuses, the amount over the limit or not exact), or what changed meanwhile (409).
     */
    function paymentForm<S extends z.ZodType>(path: 'cheque' | 'especes', form: 'cheque' | 'cash', schema: S, toPayment: (data: z.output<S>) => Parameters<typeof staffPayments.recordAtSchool>[3]) {
      app.post<{ Params: { id: string } }>(`${paths.collect}/:id/${path}`, { ...collectors, ...withId }, async (request, reply) => {
        const parsed = parseForm(schema, request.body);
        if (!parsed.ok) return collectPage(request, reply, { [form]: parsed.form, status: 400 });
        const result = await staffPayments.recordAtSchool(svc, request.auth!.user, request.params.id, toPayment(parsed.data));
        if (result.ok) return reply.redirect(`${paths.collect}?paiement=${result.payment.id}`, 303);
        if (result.code === 'not_found') return refuse(reply, { applicationId: request.params.id });
        if (result.code === 'forbidden') throw new AppError('forbidden');
        if (form === 'cash' && cashFieldRefusals.has(result.message)) {
          const typed = { values: typedValues(request.body), errors: {} };
          return collectPage(request, reply, { cash: withError(typed, 'tendered', fieldError(translator(request.locale), result, config.cashOffice)), status: 409 });
        }
        return collectPage(request, reply, { notice: result.message, status: 409 });
      });
    }

    paymentForm('cheque', 'cheque', chequeSchema, (d) => ({ method: 'cheque', chequeNumber: d.chequeNumber, bank: d.bank, payerName: d.chequePayer }));
    paymentForm('especes', 'cash', cashSchema, (d) => ({ method: 'cash', tenderedCents: d.tendered, payerName: d.cashPayer }));

    app.post<{ Params: { id: string } }>(`${paths.collect}/:id/liberer`, { ...collectors, ...withId }, async (request, reply) => {
      const result = await staffPayments.releasePlace(svc, request.auth!.user, request.params.id);
      if (result.ok) return reply.redirect(`${paths.collect}?message=released`, 303);
      if (result.code === 'not_found') return refuse(reply, { applicationId: request.params.id });
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return collectList(request, reply, { notice: result.message, status: 409 });
    });

    // ---- the payments received, and their exports ----

    app.get(paths.report, reviewers, async (request, reply) => {
      const { filters, form } = reportFilters(request.query);
      const result = await staffPayments.paymentsReport(svc, request.auth!.user, filters);
      if (!result.ok) throw new AppError('forbidden');
      const applied = result.filters;
      const shown = form ?? {
        values: { du: isoToInput(applied.from), au: isoToInput(applied.to), ecole: applied.schoolId !== undefined ? String(applied.schoolId) : '', mode: applied.method ?? '' },
        errors: {},
      };
      const query = new URLSearchParams({ du: applied.from, au: applied.to, ...(applied.schoolId !== undefined ? { ecole: String(applied.schoolId) } : {}), ...(applied.method ? { mode: applied.method } : {}) });
      return sendPage(reply, <ReportPage ctx={ctx(request, reply)} report={result} form={shown} exportQuery={`?${query}`} />, form ? 400 : 200);
    });

    /** The report's rows for an export, with the same filters as the page (a bad one: the 400 page). */
    async function exportRows(request: FastifyRequest) {
      const { filters, form } = reportFilters(request.query);
      if (form) throw new AppError('validation');
      const result = await staffPayments.paymentsReport(svc, request.auth!.user, filters);
      if (!result.ok) throw new AppError('forbidden');
      return result;
    }

    const download = (reply: FastifyReply, type: string, name: string) =>
      reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');

    app.get(`${paths.report}.csv`, reviewers, async (request, reply) => {
      const t = translator(request.locale);
      const report = await exportRows(request);
      const labels = reportLabels(t);
      const total = reportColumns.map((c) => (c === 'paidAt' ? t('pay.staff.report.total') : c === 'reference' ? t.plural('pay.staff.report.count', report.total.count) : c === 'amount' ? money(t, report.total.cents) : ''));
      // Formulas neutralised (csvFile): a payer's name such as =HYPERLINK(…) is text.
      const csv = csvFile([reportColumns.map((c) => labels[c]), ...report.rows.map((r) => reportColumns.map((c) => reportValues(t, r)[c])), total]);
      return download(reply, 'text/csv; charset=utf-8', `paiements-${report.filters.from}-${report.filters.to}.csv`).send(csv);
    });

    app.get(`${paths.report}.xlsx`, reviewers, async (request, reply) => {
      const t = translator(request.locale);
      const report = await exportRows(request);
      const labels = reportLabels(t);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(t('pay.staff.report.sheet'));
      sheet.columns = reportColumns.map((c) => ({ header: labels[c], key: c, width: c === 'course' || c === 'school' || c === 'learner' || c === 'payer' ? 32 : 18 }));
      // Text cells are written as text, never as formulas; the amounts are numbers (euros), so the sheet can add them up.
      for (const r of report.rows) sheet.addRow({ ...reportValues(t, r), amount: r.payment.amountCents / 100 });
      const total = sheet.addRow({ paidAt: t('pay.staff.report.total'), reference: t.plural('pay.staff.report.count', report.total.count), amount: report.total.cents / 100 });
      sheet.getColumn('amount').numFmt = '#,##0.00 "€"';
      sheet.getRow(1).font = { bold: true };
      total.font = { bold: true };
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      return download(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `paiements-${report.filters.from}-${report.filters.to}.xlsx`).send(buffer);
    });

    // ---- PAY-2: the attempts to look at ----

    app.get<{ Querystring: z.output<typeof flagsQuery> }>(paths.flags, { ...reviewers, schema: { querystring: flagsQuery } }, async (request, reply) => {
      const result = await staffPayments.flaggedAttempts(svc, request.auth!.user);
      if (!result.ok) throw new AppError('forbidden');
      const flash = request.query.message ? ctx(request, reply).t(flashes[request.query.message]) : undefined;
      return sendPage(reply, <FlagsPage ctx={ctx(request, reply)} rows={result.rows} flash={flash} />);
    });

    async function flagPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: { form?: FormState; notice?: MessageKey; status?: number } = {}) {
      const result = await staffPayments.flaggedAttempt(svc, request.auth!.user, request.params.id);
      if (!result.ok && result.code === 'not_found') return refuse(reply, { attemptId: request.params.id });
      if (!result.ok) throw new AppError('forbidden');
      return sendPage(reply, <FlagPage ctx={ctx(request, reply)} row={result.row} form={extra.form} notice={extra.notice} />, extra.status ?? 200);
    }

    app.get<{ Params: { id: string } }>(`${paths.flags}/:id`, { ...reviewers, ...withId }, (request, reply) => flagPage(request, reply));

    app.post<{ Params: { id: string } }>(`${paths.flags}/:id`, { ...reviewers, ...withId }, async (request, reply) => {
      const parsed = parseForm(clearFlagSchema, request.body);
      if (!parsed.ok) return flagPage(request, reply, { form: parsed.form, status: 400 });
      const result = await staffPayments.clearAttemptFlag(svc, request.auth!.user, request.params.id, parsed.data.note);
      if (result.ok) return reply.redirect(`${paths.flags}?message=cleared`, 303);
      if (result.code === 'not_found') return refuse(reply, { attemptId: request.params.id });
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return flagPage(request, reply, { notice: result.message, status: 409 });
    });
  };
}
