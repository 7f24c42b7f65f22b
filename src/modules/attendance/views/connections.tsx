import type { Translator } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, FileField, SubmitButton, Table } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { LineProblem } from '../connections.rules';
import type { LearnerConnectionLine } from '../connections.learner';

/** Issue 18: the staff page of the connection-hours import and the learner's page of their connection hours. */

export const connectionPaths = { staff: '/personnel/connexions', learner: '/compte/heures-de-connexion' } as const;
export const CONNECTIONS_FILE_FIELD = 'file';

/** 12 h 05, 45 min. */
export function hoursText(t: Translator, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return t.locale === 'fr' ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h ${String(m).padStart(2, '0')} min`;
}

export interface ImportSummary {
  importedAt: Date;
  fileName: string;
  replace: boolean;
  lines: number;
  added: number;
  unchanged: number;
  superseded: number;
}

/** One problem of the report in words (the column's name, then the message). */
export const problemText = (t: Translator, p: LineProblem) => t(p.message, { line: p.line, ...p.params });

export function ConnectionsImportPage(props: { ctx: PageContext; form?: FormState; problems?: LineProblem[]; truncated?: boolean; imports: ImportSummary[]; flash?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  const form = props.form ?? emptyForm();
  const labels = { [CONNECTIONS_FILE_FIELD]: t('att.conn.file'), replace: t('att.conn.replace') };
  return (
    <Layout ctx={ctx} title={t('att.conn.title')} flash={props.flash}>
      <h1>{t('att.conn.title')}</h1>
      <p>{t('att.conn.intro')}</p>
      <p>{t('att.conn.columns')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      {props.problems?.length ? (
        <section aria-labelledby="rapport">
          <h2 id="rapport">{t('att.conn.refused')}</h2>
          {props.truncated ? <p>{t('att.conn.refused.more', { count: props.problems.length })}</p> : null}
          <Table
            id="connections-report"
            caption={t('att.conn.refused')}
            captionHidden
            rows={props.problems}
            columns={[
              { label: t('att.conn.report.line'), rowHeader: true, cell: (p) => String(p.line) },
              { label: t('att.conn.report.column'), cell: (p) => p.column ?? '' },
              { label: t('att.conn.report.message'), cell: (p) => problemText(t, p) },
            ]}
          />
        </section>
      ) : null}
      <form method="post" action={connectionPaths.staff} enctype="multipart/form-data" novalidate>
        <Csrf ctx={ctx} />
        <FileField t={t} form={form} name={CONNECTIONS_FILE_FIELD} label={t('att.conn.file')} hint={t('att.conn.file.hint')} accept=".csv,text/csv" required />
        <Checkbox t={t} form={form} name="replace" label={t('att.conn.replace')} hint={t('att.conn.replace.hint')} />
        <SubmitButton>{t('att.conn.submit')}</SubmitButton>
      </form>
      <section aria-labelledby="historique">
        <h2 id="historique">{t('att.conn.history')}</h2>
        {props.imports.length === 0 ? (
          <p>{t('att.conn.history.none')}</p>
        ) : (
          <Table
            id="connections-imports"
            caption={t('att.conn.history')}
            captionHidden
            rows={props.imports}
            columns={[
              { label: t('att.conn.history.at'), rowHeader: true, cell: (i) => t.date(i.importedAt, 'datetime') },
              { label: t('att.conn.history.file'), cell: (i) => (i.replace ? `${i.fileName} (${t('att.conn.history.replace')})` : i.fileName) },
              { label: t('att.conn.report.message'), cell: (i) => t('att.conn.history.counts', { lines: i.lines, added: i.added, unchanged: i.unchanged, superseded: i.superseded }) },
            ]}
          />
        )}
      </section>
    </Layout>
  );
}

export function LearnerConnectionsPage(props: { ctx: PageContext; lines: LearnerConnectionLine[] }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('att.conn.learner.title')}>
      <h1>{t('att.conn.learner.title')}</h1>
      <p>{t('att.conn.learner.intro')}</p>
      {props.lines.length === 0 ? <p>{t('att.conn.learner.none')}</p> : null}
      {props.lines.map((line) => (
        <section aria-labelledby={`s-${line.sessionCode}`}>
          <h2 id={`s-${line.sessionCode}`}>
            {line.courseCode} — {line.title}
          </h2>
          <p>
            {t('att.conn.learner.connected', { hours: hoursText(t, line.connectedMinutes) })}
            <br />
            {line.soFarPercent === null ? t('att.conn.learner.noRate') : t('att.conn.learner.rate', { rate: `${line.soFarPercent} %`, held: hoursText(t, line.heldMinutes) })}
          </p>
          {line.connections.length === 0 ? (
            <p>{t('att.conn.learner.noConnection')}</p>
          ) : (
            <Table
              id={`connections-${line.sessionCode}`}
              caption={t('att.conn.learner.list')}
              rows={line.connections}
              columns={[
                { label: t('att.conn.learner.from'), rowHeader: true, cell: (c) => t.date(c.startsAt, 'datetime') },
                { label: t('att.conn.learner.to'), cell: (c) => t.date(c.endsAt, 'datetime') },
                { label: t('att.conn.learner.minutes'), cell: (c) => hoursText(t, c.minutes) },
              ]}
            />
          )}
        </section>
      ))}
    </Layout>
  );
}
