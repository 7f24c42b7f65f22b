import type { StatementLineState } from '../../../domain/vocabulary';
import { statementSources } from '../../../domain/vocabulary';
import type { MessageKey, Params, Translator } from '../../../platform/i18n';
import { Csrf, ErrorSummary, FieldShell, Notice, Radios, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { money } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import { MAX_REPORTED_ERRORS, MAX_STATEMENT_BYTES, MAX_STATEMENT_LINES, reportOrder, type StatementError } from '../statements.rules';
import type { ImportSummary, ReportLine, StatementReport } from '../statements.service';

/** The states that need someone to look at them (all but matched and discarded). */
const toCheck = (counts: Record<StatementLineState, number>) => counts.no_match + counts.amount_mismatch + counts.already_paid;

function Back(props: { href: string; label: string }) {
  return (
    <p>
      <a href={props.href}>{props.label}</a>
    </p>
  );
}

/** Numbers in a message as the language writes them (10 000 in French). */
function localParams(t: Translator, params: Params | undefined): Params | undefined {
  if (!params) return undefined;
  const format = new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB');
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? format.format(v) : v]));
}

/** The line-by-line report of a refused file (at most MAX_REPORTED_ERRORS rows, then how many more). */
function ErrorReport(props: { t: Translator; errors: StatementError[] }) {
  const { t, errors } = props;
  const shown = errors.slice(0, MAX_REPORTED_ERRORS);
  return (
    <section aria-labelledby="lignes-a-corriger">
      <h2 id="lignes-a-corriger">{t('stmt.errors.title')}</h2>
      <p>{t('stmt.form.refused')}</p>
      <Table
        id="erreurs"
        caption={t('stmt.errors.title')}
        captionHidden
        rows={shown}
        columns={[
          { label: t('stmt.col.line'), rowHeader: true, cell: (e) => (e.line > 0 ? String(e.line) : t('stmt.errors.wholeFile')) },
          { label: t('stmt.col.column'), cell: (e) => e.column ?? '—' },
          { label: t('stmt.col.problem'), cell: (e) => t(e.message, localParams(t, e.params)) },
        ]}
      />
      {errors.length > shown.length ? <p>{t('stmt.errors.more', localParams(t, { count: errors.length - shown.length }))}</p> : null}
    </section>
  );
}

export const statementFormLabels = (t: Translator) => ({ source: t('stmt.form.source'), file: t('stmt.form.file'), csv: t('stmt.form.csv'), filename: t('stmt.form.filename') });

/** PAY-11: the statements page: the import form (central service), a refused file's report, the imports so far. */
export function StatementsPage(props: {
  ctx: PageContext;
  form: FormState;
  errors?: StatementError[];
  imports: ImportSummary[];
  all: boolean;
  mayImport: boolean;
  flash?: string;
}) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = statementFormLabels(t);
  return (
    <Layout ctx={ctx} title={t('stmt.title')} flash={props.flash}>
      <Back href="/personnel" label={t('staff.title')} />
      <h1>{t('stmt.title')}</h1>
      <p>{t('stmt.intro')}</p>
      {props.all ? null : <p>{t('stmt.scopeSchools')}</p>}

      {props.mayImport ? (
        <section aria-labelledby="importer">
          <h2 id="importer">{t('stmt.import.title')}</h2>
          <ErrorSummary t={t} form={form} labels={labels} />
          {props.errors?.length ? <ErrorReport t={t} errors={props.errors} /> : null}
          <p>{t('stmt.formatLink')}</p>
          <form method="post" action="/personnel/releves" enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <Radios
              t={t}
              form={form}
              name="source"
              legend={labels.source}
              required
              options={statementSources.map((s) => ({ value: s, label: t(`stmt.source.${s}`) }))}
            />
            <FieldShell t={t} form={form} name="file" label={labels.file} hint={t('stmt.form.fileHint', localParams(t, { max: MAX_STATEMENT_BYTES / 1024 / 1024, lines: MAX_STATEMENT_LINES }))}>
              {(control) => <input {...control} type="file" accept=".csv,.txt,text/csv,text/plain" class="input" />}
            </FieldShell>
            <TextArea t={t} form={form} name="csv" label={labels.csv} hint={t('stmt.form.csvHint')} rows={8} />
            <TextField t={t} form={form} name="filename" label={labels.filename} hint={t('stmt.form.filenameHint')} maxLength={200} />
            <SubmitButton>{t('stmt.form.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="releves-importes">
        <h2 id="releves-importes">{t('stmt.past')}</h2>
        {props.imports.length === 0 ? (
          <p>{t('stmt.pastNone')}</p>
        ) : (
          <Table
            id="imports"
            caption={t('stmt.past')}
            captionHidden
            rows={props.imports}
            columns={[
              { label: t('stmt.col.importedAt'), rowHeader: true, cell: (i) => <a href={`/personnel/releves/${i.id}`}>{t.date(i.importedAt, 'datetime')}</a> },
              { label: t('stmt.col.source'), cell: (i) => t(`stmt.sourceName.${i.source}`) },
              { label: t('stmt.col.filename'), cell: (i) => i.filename || t('stmt.pasted') },
              { label: t('stmt.col.importedBy'), cell: (i) => i.importedBy },
              { label: t('stmt.col.lines'), cell: (i) => String(i.lines) },
              { label: t('stmt.state.matched'), cell: (i) => String(i.counts.matched) },
              { label: t('stmt.col.toCheck'), cell: (i) => String(toCheck(i.counts)) },
            ]}
          />
        )}
      </section>
    </Layout>
  );
}

/** Why a line is in its state, in words: the matcher's reason with what the payment says, or the staff's note. */
export function lineExplanation(t: Translator, line: ReportLine): string {
  if (line.discardNote !== null) return t('stmt.discardedBy', { name: line.discardedBy ?? '—', note: line.discardNote });
  if (!line.note) return '';
  const p = line.payment;
  const params = {
    expected: p ? money(t, p.amountCents) : '—',
    paidOn: p?.paidOn ? t.date(p.paidOn) : '—',
    method: p?.method ? t(`stmt.method.${p.method}`) : '—',
  };
  return t(`stmt.note.${line.note}` as MessageKey, params);
}

function paymentText(t: Translator, line: ReportLine): string {
  const p = line.payment;
  if (!p) return '—';
  const status = p.status === 'paid' && p.paidOn ? `${t('stmt.paymentStatus.paid')} ${t.date(p.paidOn)}${p.method ? ` (${t(`stmt.method.${p.method}`)})` : ''}` : t(`stmt.paymentStatus.${p.status}`);
  return t('stmt.paymentLine', { learner: p.learner, session: p.session, school: p.school, amount: money(t, p.amountCents), status });
}

const reportTitle = (t: Translator, report: Pick<StatementReport, 'source' | 'importedAt'>) => t(`stmt.report.title.${report.source}`, { date: t.date(report.importedAt, 'datetime') });

/** PAY-11: one import's report: counts per state, the lines to look at first, the exports. */
export function StatementReportPage(props: { ctx: PageContext; report: StatementReport; flash?: string }) {
  const { ctx, report } = props;
  const t = ctx.t;
  const title = reportTitle(t, report);
  const base = `/personnel/releves/${report.id}`;
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <Back href="/personnel/releves" label={t('stmt.back')} />
      <h1>{title}</h1>
      <p>{t('stmt.report.meta', { filename: report.filename || t('stmt.pasted'), name: report.importedBy })}</p>
      {report.all ? null : <p>{t('stmt.scopeSchools')}</p>}
      <section aria-labelledby="resultat">
        <h2 id="resultat">{t('stmt.report.summary')}</h2>
        <dl class="summary">
          {reportOrder.flatMap((s) => [<dt key={`${s}-t`}>{t(`stmt.state.${s}`)}</dt>, <dd key={`${s}-d`} data-state={s}>{report.counts[s]}</dd>])}
        </dl>
        <p>
          {t('stmt.export')}
          {t.locale === 'fr' ? ' : ' : ': '}
          <a href={`${base}/rapport.csv`}>{t('stmt.exportCsv')}</a>, <a href={`${base}/rapport.xlsx`}>{t('stmt.exportXlsx')}</a>
        </p>
      </section>
      <section aria-labelledby="lignes">
        <h2 id="lignes">{t('stmt.report.lines')}</h2>
        {report.lines.length === 0 ? (
          <p>{t('stmt.report.none')}</p>
        ) : (
          <Table
            id="lignes-releve"
            caption={t('stmt.report.lines')}
            captionHidden
            rows={report.lines}
            columns={[
              { label: t('stmt.col.line'), rowHeader: true, cell: (l) => String(l.lineNo) },
              { label: t('stmt.col.state'), cell: (l) => <span data-line-state={l.state}>{t(`stmt.state.${l.state}`)}</span> },
              { label: t('stmt.col.reference'), cell: (l) => l.reference },
              { label: t('stmt.col.amount'), cell: (l) => money(t, l.amountCents) },
              { label: t('stmt.col.date'), cell: (l) => t.date(l.paidOn) },
              { label: t('stmt.col.transaction'), cell: (l) => l.transactionId ?? '—' },
              { label: t('stmt.col.note'), cell: (l) => lineExplanation(t, l) || '—' },
              { label: t('stmt.col.payment'), cell: (l) => paymentText(t, l) },
              report.mayDiscard && {
                label: t('stmt.col.action'),
                cell: (l) =>
                  l.mayDiscard ? (
                    <a href={`${base}/lignes/${l.id}/ecarter`}>
                      {t('stmt.discard')}
                      <span class="visually-hidden"> {t('stmt.discardLine', { line: l.lineNo })}</span>
                    </a>
                  ) : null,
              },
            ]}
          />
        )}
      </section>
    </Layout>
  );
}

/** PAY-11: discarding one line, with the staff member's note. */
export function DiscardLinePage(props: { ctx: PageContext; report: StatementReport; line: ReportLine; form: FormState; notice?: MessageKey }) {
  const { ctx, report, line, form } = props;
  const t = ctx.t;
  const title = t('stmt.discard.title', { line: line.lineNo });
  const base = `/personnel/releves/${report.id}`;
  return (
    <Layout ctx={ctx} title={title}>
      <Back href={base} label={reportTitle(t, report)} />
      <h1>{title}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <dl class="summary">
        <dt>{t('stmt.col.state')}</dt>
        <dd>{t(`stmt.state.${line.state}`)}</dd>
        <dt>{t('stmt.col.reference')}</dt>
        <dd>{line.reference}</dd>
        <dt>{t('stmt.col.amount')}</dt>
        <dd>{money(t, line.amountCents)}</dd>
        <dt>{t('stmt.col.date')}</dt>
        <dd>{t.date(line.paidOn)}</dd>
        <dt>{t('stmt.col.transaction')}</dt>
        <dd>{line.transactionId ?? '—'}</dd>
        <dt>{t('stmt.col.note')}</dt>
        <dd>{lineExplanation(t, line) || '—'}</dd>
        <dt>{t('stmt.col.payment')}</dt>
        <dd>{paymentText(t, line)}</dd>
      </dl>
      {line.mayDiscard ? (
        <>
          <p>{t('stmt.discard.intro')}</p>
          <ErrorSummary t={t} form={form} labels={{ note: t('stmt.discard.note') }} />
          <form method="post" action={`${base}/lignes/${line.id}/ecarter`} novalidate>
            <Csrf ctx={ctx} />
            <TextArea t={t} form={form} name="note" label={t('stmt.discard.note')} hint={t('stmt.discard.noteHint')} required maxLength={500} rows={3} />
            <SubmitButton>{t('stmt.discard.submit')}</SubmitButton>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

/** The report as rows of plain values, for the CSV and Excel exports. */
export const exportColumns = [
  'line',
  'state',
  'reference',
  'amount',
  'date',
  'transaction',
  'note',
  'learner',
  'session',
  'school',
  'expected',
  'paidOn',
  'method',
] as const;
export type ExportColumn = (typeof exportColumns)[number];

export function exportHeader(t: Translator): string[] {
  return exportColumns.map((c) => t(`stmt.col.${c}` as MessageKey));
}

export function exportRow(t: Translator, l: ReportLine): Record<ExportColumn, string | number> {
  const p = l.payment;
  return {
    line: l.lineNo,
    state: t(`stmt.state.${l.state}`),
    reference: l.reference,
    amount: l.amountCents / 100,
    date: l.paidOn,
    transaction: l.transactionId ?? '',
    note: lineExplanation(t, l),
    learner: p?.learner ?? '',
    session: p?.session ?? '',
    school: p?.school ?? '',
    expected: p ? p.amountCents / 100 : '',
    paidOn: p?.paidOn ?? '',
    method: p?.method ? t(`stmt.method.${p.method}`) : '',
  };
}
