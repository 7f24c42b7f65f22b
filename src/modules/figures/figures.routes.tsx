import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import ExcelJS from 'exceljs';
import { figureViewers } from '../../domain/vocabulary';
import { csvFile } from '../../platform/csv';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { translator, type MessageKey, type Translator } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { columns, type Column } from './figures.columns';
import type { Counts, Group } from './figures.rules';
import { figuresSchema, filtersOf } from './figures.schema';
import { figureChoices, figuresFor, type FigureChoices, type FiguresReport } from './figures.service';
import { FIGURES_PATH, FiguresPage, filtersForm } from './views/figures';

const choiceErrors = { periode: 'fig.error.period', ecole: 'fig.error.school', domaine: 'fig.error.domain', session: 'fig.error.session' } as const satisfies Record<string, MessageKey>;

/** A spreadsheet's cell: the raw number (whole percent, euros), empty when there is nothing to divide by. */
const raw = (column: Column, counts: Counts) => column.value(counts);

/** The rows of one breakdown for an export: its label columns, then every figure. */
function sheetRows(t: Translator, head: string[], groups: readonly { labels: string[]; counts: Counts }[]) {
  return [[...head, ...columns.map((c) => t(c.label))], ...groups.map((g) => [...g.labels, ...columns.map((c) => raw(c, g.counts))])];
}

function sessionRows(t: Translator, report: FiguresReport) {
  const head = [t('fig.col.session'), t('fig.col.course'), t('fig.col.school'), t('fig.col.domain'), t('fig.filter.period')];
  const periods = new Map(report.choices.periods.map((p) => [p.code, p.name]));
  return sheetRows(t, head, [
    ...report.bySession.map((s) => ({ labels: [s.session.code, s.session.title, s.session.schoolName, s.session.domainName, periods.get(s.session.periodCode) ?? s.session.periodCode], counts: s.counts })),
    { labels: [t('fig.table.total'), '', '', '', ''], counts: report.total },
  ]);
}

const groupRows = (t: Translator, head: string, groups: readonly Group[], sum: Counts) => sheetRows(t, [head], [...groups.map((g) => ({ labels: [g.label], counts: g.counts })), { labels: [t('fig.table.total')], counts: sum }]);

/**
 * SVC-6: the figures page and its exports, for school heads, coordinators and administrators
 * (the route's guard; the service checks the role again and counts in the scope only). A
 * trainer or a counsellor gets the 403 page. Filters are a GET form: a bad date or a choice
 * outside the scope is a message next to its field (400), what was typed kept; an export asked
 * with bad filters is the 400 page.
 */
export function figuresRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const svc = { db, clock, policies: deps.policies };
  const viewers = { preHandler: requireUser(...figureViewers) };

  /** The filters of a request, and the figures; or the form to show again with its errors and what the filters may choose. */
  async function figures(request: FastifyRequest): Promise<{ ok: true; report: FiguresReport } | { ok: false; form: FormState; choices: FigureChoices }> {
    const user = request.auth!.user;
    const parsed = parseForm(figuresSchema, request.query);
    if (!parsed.ok) {
      const choices = await figureChoices(svc, user);
      if (!choices) throw new AppError('forbidden');
      return { ok: false, form: parsed.form, choices };
    }
    const result = await figuresFor(svc, user, filtersOf(parsed.data));
    if (result.ok) return result;
    if (result.code === 'forbidden') throw new AppError('forbidden');
    return { ok: false, form: withError({ values: typedValues(request.query), errors: {} }, result.field, { message: choiceErrors[result.field] }), choices: result.choices };
  }

  async function exportReport(request: FastifyRequest) {
    const result = await figures(request);
    if (!result.ok) throw new AppError('validation');
    return result.report;
  }

  const download = (reply: FastifyReply, type: string, name: string) =>
    reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
  const fileName = (report: FiguresReport, extension: string) => `chiffres-${report.filters.periodCode || 'toutes-periodes'}${report.filters.from ? `-du-${report.filters.from}` : ''}${report.filters.to ? `-au-${report.filters.to}` : ''}.${extension}`;

  return async (app) => {
    app.get(FIGURES_PATH, viewers, async (request, reply) => {
      const ctx = pageContext(request, reply, devTools);
      const result = await figures(request);
      if (!result.ok) return sendPage(reply, <FiguresPage ctx={ctx} report={null} form={result.form} choices={result.choices} />, 400);
      return sendPage(reply, <FiguresPage ctx={ctx} report={result.report} form={filtersForm(result.report)} choices={result.report.choices} />);
    });

    app.get(`${FIGURES_PATH}.csv`, viewers, async (request, reply) => {
      const t = translator(request.locale);
      const report = await exportReport(request);
      // Formulas neutralised (csvFile): a course title such as =HYPERLINK(…) is text.
      return download(reply, 'text/csv; charset=utf-8', fileName(report, 'csv')).send(csvFile(sessionRows(t, report)));
    });

    app.get(`${FIGURES_PATH}.xlsx`, viewers, async (request, reply) => {
      const t = translator(request.locale);
      const report = await exportReport(request);
      const workbook = new ExcelJS.Workbook();
      // One sheet per table of the page; strings are written as text cells, never as formulas.
      const sheet = (name: string, rows: (string | number | null)[][]) => {
        const ws = workbook.addWorksheet(name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
        for (const row of rows) ws.addRow(row);
        ws.getRow(1).font = { bold: true };
        ws.columns.forEach((column, i) => (column.width = i === 0 ? 40 : 16));
      };
      sheet(t('fig.table.total'), [[t('fig.col.measure'), t('fig.col.value')], ...columns.map((c) => [t(c.label), raw(c, report.total)])]);
      sheet(t('fig.table.bySchool'), groupRows(t, t('fig.col.school'), report.bySchool, report.total));
      sheet(t('fig.table.byDomain'), groupRows(t, t('fig.col.domain'), report.byDomain, report.total));
      sheet(t('fig.table.bySession'), sessionRows(t, report));
      const sum = report.total;
      sheet(t('fig.table.payments'), [
        [t('fig.col.rate'), t('fig.col.count'), t('fig.col.sum')],
        [t('pay.rate.full'), sum.fullCount, sum.fullCents / 100],
        [t('pay.rate.half'), sum.halfCount, sum.halfCents / 100],
        [t('fig.table.total'), sum.paidCount, sum.paidCents / 100],
      ]);
      sheet(t('fig.table.refunds'), [
        [t('fig.col.measure'), t('fig.col.count'), t('fig.col.sum')],
        [t('fig.refund.granted'), sum.refundsGranted, sum.grantedCents / 100],
        [t('fig.refund.paid'), sum.refundsPaid, sum.refundedCents / 100],
      ]);
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      return download(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(report, 'xlsx')).send(buffer);
    });
  };
}
