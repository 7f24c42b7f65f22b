import type { Translator } from '../../../platform/i18n';
import { ErrorSummary, Select, SubmitButton, Table, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { money } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import { cellText, columns, percentText, whole } from '../figures.columns';
import { attendanceRate, fillRate, type Counts, type Group } from '../figures.rules';
import { filtersQuery } from '../figures.schema';
import type { FigureChoices, FiguresReport } from '../figures.service';
import { BarChart } from './chart';

export const FIGURES_PATH = '/personnel/chiffres';

/** The labels of the filters, for their fields and the error summary. */
export const filterLabels = (t: Translator) => ({
  periode: t('fig.filter.period'),
  du: t('fig.filter.from'),
  au: t('fig.filter.to'),
  ecole: t('fig.filter.school'),
  domaine: t('fig.filter.domain'),
  session: t('fig.filter.session'),
});

/** The filters as the form shows them again (the days as a person writes them). */
export function filtersForm(report: FiguresReport): FormState {
  const f = report.filters;
  const day = (iso?: string) => (iso ? iso.split('-').reverse().join('/') : '');
  return {
    values: {
      periode: f.periodCode,
      du: day(f.from),
      au: day(f.to),
      ecole: f.schoolId !== undefined ? String(f.schoolId) : '',
      domaine: f.domainId !== undefined ? String(f.domainId) : '',
      session: f.sessionCode ?? '',
    },
    errors: {},
  };
}

/** What the figures count, in words: the period, the days, the number of sessions. */
function shownText(t: Translator, report: FiguresReport): string {
  const { filters } = report;
  const parts = [report.period ? t('fig.shown.period', { period: report.period.name }) : t('fig.shown.allPeriods')];
  if (filters.from && filters.to) parts.push(t('fig.shown.range', { from: t.date(filters.from), to: t.date(filters.to) }));
  else if (filters.from) parts.push(t('fig.shown.from', { from: t.date(filters.from) }));
  else if (filters.to) parts.push(t('fig.shown.to', { to: t.date(filters.to) }));
  parts.push(t.plural('fig.shown.sessions', report.total.sessions));
  return parts.join(' — ');
}

/** Every column of a breakdown, with its total last. */
function Breakdown(props: { t: Translator; id: string; caption: string; head: string; groups: readonly Group[]; total?: Counts }) {
  const { t } = props;
  const rows = [...props.groups.map((g) => ({ label: g.label, counts: g.counts })), ...(props.total ? [{ label: t('fig.table.total'), counts: props.total }] : [])];
  return (
    <Table
      id={props.id}
      caption={props.caption}
      rows={rows}
      columns={[{ label: props.head, rowHeader: true, cell: (r) => r.label }, ...columns.map((c) => ({ label: t(c.label), cell: (r: { counts: Counts }) => cellText(t, c, r.counts) }))]}
    />
  );
}

/**
 * SVC-6: the figures page — the filters, then each question as a chart with its data table
 * (applications and decisions, how full the sessions are, payments, attendance and
 * certificates), then every figure by school, subject area and session, and the exports.
 */
export function FiguresPage(props: { ctx: PageContext; report: FiguresReport | null; form: FormState; choices: FigureChoices }) {
  const { ctx, report, form, choices } = props;
  const t = ctx.t;
  const labels = filterLabels(t);
  return (
    <Layout ctx={ctx} title={t('fig.title')}>
      <h1>{t('fig.title')}</h1>
      <p>{ctx.user?.role === 'admin' ? t('fig.intro.all') : t('fig.intro.scope')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="get" action={FIGURES_PATH} role="search" aria-label={t('fig.filters')} class="filters-inline" novalidate>
        <Select t={t} form={form} name="periode" label={labels.periode} placeholder={t('fig.filter.allPeriods')} options={choices.periods.map((p) => ({ value: p.code, label: p.name }))} />
        <TextField t={t} form={form} name="du" label={labels.du} hint={t('fig.filter.dateHint')} maxLength={40} width="short" />
        <TextField t={t} form={form} name="au" label={labels.au} hint={t('fig.filter.dateHint')} maxLength={40} width="short" />
        <Select t={t} form={form} name="ecole" label={labels.ecole} placeholder={t('fig.filter.allSchools')} options={choices.schools.map((s) => ({ value: String(s.id), label: s.name }))} />
        <Select t={t} form={form} name="domaine" label={labels.domaine} placeholder={t('fig.filter.allDomains')} options={choices.domains.map((d) => ({ value: String(d.id), label: d.name }))} />
        <TextField t={t} form={form} name="session" label={labels.session} hint={t('fig.filter.sessionHint')} maxLength={60} width="short" />
        <SubmitButton secondary>{t('fig.filter.submit')}</SubmitButton>
      </form>
      {report ? <Report t={t} report={report} /> : null}
    </Layout>
  );
}

function Report(props: { t: Translator; report: FiguresReport }) {
  const { t, report } = props;
  const query = `?${filtersQuery(report.filters)}`;
  const sum = report.total;
  const percentBars = (groups: readonly Group[], rate: (c: Counts) => number | null) =>
    groups.flatMap((g) => {
      const value = rate(g.counts);
      return value === null ? [] : [{ label: g.label, value, text: percentText(t, value) }];
    });
  const countBar = (label: string, value: number) => ({ label, value, text: whole(t, value) });
  const rates = [
    { label: t('pay.rate.full'), count: sum.fullCount, cents: sum.fullCents },
    { label: t('pay.rate.half'), count: sum.halfCount, cents: sum.halfCents },
  ];
  const refunds = [
    { label: t('fig.refund.granted'), count: sum.refundsGranted, cents: sum.grantedCents },
    { label: t('fig.refund.paid'), count: sum.refundsPaid, cents: sum.refundedCents },
  ];
  return (
    <>
      <h2 id="chiffres-selection">{shownText(t, report)}</h2>
      <p>{t('fig.today')}</p>
      <p>
        {t('fig.export')} : <a href={`${FIGURES_PATH}.csv${query}`}>{t('fig.exportCsv')}</a>, <a href={`${FIGURES_PATH}.xlsx${query}`}>{t('fig.exportXlsx')}</a>
      </p>
      {sum.sessions === 0 ? (
        <p>{t('fig.none')}</p>
      ) : (
        <>
          <section aria-labelledby="fig-applications">
            <h2 id="fig-applications">{t('fig.section.applications')}</h2>
            <BarChart
              t={t}
              id="chart-applications"
              title={t('fig.chart.applications')}
              kind="count"
              labelHeader={t('fig.col.measure')}
              valueHeader={t('fig.col.value')}
              bars={[countBar(t('fig.col.applications'), sum.applications), countBar(t('fig.col.accepted'), sum.accepted), countBar(t('fig.col.refused'), sum.refused), countBar(t('fig.col.waiting'), sum.waiting)]}
            />
          </section>
          <section aria-labelledby="fig-places">
            <h2 id="fig-places">{t('fig.section.places')}</h2>
            <BarChart t={t} id="chart-fill-school" title={t('fig.chart.fillBySchool')} kind="percent" labelHeader={t('fig.col.school')} valueHeader={t('fig.col.fillRate')} bars={percentBars(report.bySchool, fillRate)} />
            <BarChart t={t} id="chart-fill-domain" title={t('fig.chart.fillByDomain')} kind="percent" labelHeader={t('fig.col.domain')} valueHeader={t('fig.col.fillRate')} bars={percentBars(report.byDomain, fillRate)} />
          </section>
          <section aria-labelledby="fig-payments">
            <h2 id="fig-payments">{t('fig.section.payments')}</h2>
            <BarChart
              t={t}
              id="chart-payments"
              title={t('fig.chart.payments')}
              kind="count"
              labelHeader={t('fig.col.rate')}
              valueHeader={t('fig.col.sum')}
              bars={rates.map((r) => ({ label: r.label, value: r.cents, text: money(t, r.cents) }))}
              extra={[{ header: t('fig.col.count'), cell: (i) => whole(t, rates[i].count) }]}
            />
            <BarChart
              t={t}
              id="chart-refunds"
              title={t('fig.chart.refunds')}
              kind="count"
              labelHeader={t('fig.col.measure')}
              valueHeader={t('fig.col.sum')}
              bars={refunds.map((r) => ({ label: r.label, value: r.cents, text: money(t, r.cents) }))}
              extra={[{ header: t('fig.col.count'), cell: (i) => whole(t, refunds[i].count) }]}
            />
          </section>
          <section aria-labelledby="fig-attendance">
            <h2 id="fig-attendance">{t('fig.section.attendance')}</h2>
            <BarChart t={t} id="chart-attendance-school" title={t('fig.chart.attendanceBySchool')} kind="percent" labelHeader={t('fig.col.school')} valueHeader={t('fig.col.attendance')} bars={percentBars(report.bySchool, attendanceRate)} />
            <BarChart
              t={t}
              id="chart-certificates"
              title={t('fig.chart.certificates')}
              kind="count"
              labelHeader={t('fig.col.measure')}
              valueHeader={t('fig.col.value')}
              bars={[countBar(t('fig.col.attendanceCertificates'), sum.attendanceCertificates), countBar(t('fig.col.skillsCertificates'), sum.skillsCertificates)]}
            />
          </section>
          <section aria-labelledby="fig-details">
            <h2 id="fig-details">{t('fig.section.details')}</h2>
            <Breakdown t={t} id="table-schools" caption={t('fig.table.bySchool')} head={t('fig.col.school')} groups={report.bySchool} total={sum} />
            <Breakdown t={t} id="table-domains" caption={t('fig.table.byDomain')} head={t('fig.col.domain')} groups={report.byDomain} total={sum} />
            <Breakdown t={t} id="table-sessions" caption={t('fig.table.bySession')} head={t('fig.col.session')} groups={report.bySession} />
          </section>
        </>
      )}
    </>
  );
}
