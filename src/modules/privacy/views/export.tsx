import { isMessageKey, type Translator } from '../../../platform/i18n';
import { HelpLink } from '../../help';
import { Csrf, SubmitButton, Table } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { ExportFile, ExportState } from '../export.service';

const kilobytes = (t: Translator, bytes: number) => t('privacy.export.size', { size: new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(Math.max(0.1, bytes / 1024)) });

/** ACC-11: `/compte/donnees`, the learner's download: ask for it, wait while it is prepared, then its two links. */
export function ExportPage(props: { ctx: PageContext; state: ExportState; hours: number }) {
  const { ctx, state } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('privacy.export.title')}>
      <h1>{t('privacy.export.title')}</h1>
      <p class="lead">{t('privacy.export.intro')}</p>
      <p>{t('privacy.export.formats')}</p>
      <p>{t('privacy.export.private', { hours: props.hours })}</p>
      <HelpLink t={t} slug="donnees-personnelles" />
      {state.status === 'preparing' ? (
        <div class="notice" role="status">
          <p>{t('privacy.export.preparing', { date: t.date(state.requestedAt, 'datetime') })}</p>
          <p>
            <a href="/compte/donnees">{t('privacy.export.refresh')}</a>
          </p>
        </div>
      ) : null}
      {state.status === 'ready' ? (
        <div class="notice notice-success">
          <p>{t('privacy.export.ready', { date: t.date(state.readyAt, 'datetime'), expires: t.date(state.expiresAt, 'datetime') })}</p>
          <ul class="links">
            <li>
              <a href={`/compte/donnees/${state.id}`}>{t('privacy.export.read')}</a>
            </li>
            <li>
              <a href={`/compte/donnees/${state.id}/fichier`} download>
                {t('privacy.export.file', { size: kilobytes(t, state.bytes) })}
              </a>
            </li>
          </ul>
        </div>
      ) : null}
      {state.status !== 'preparing' ? (
        <form method="post" action="/compte/donnees">
          <Csrf ctx={ctx} />
          <SubmitButton secondary={state.status === 'ready'}>{t(state.status === 'ready' ? 'privacy.export.requestAgain' : 'privacy.export.request')}</SubmitButton>
        </form>
      ) : null}
      <ul class="links">
        <li>
          <a href="/compte/donnees/conservation">{t('privacy.export.kept')}</a>
        </li>
        <li>
          <a href="/compte/fermer">{t('privacy.closure.title')}</a>
        </li>
        <li>
          <a href="/compte">{t('privacy.export.back')}</a>
        </li>
      </ul>
    </Layout>
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date and time as JSON writes it (`2026-09-01T08:00:00.000Z`) or as PostgreSQL does (`2026-09-01 08:00:00.123+00`). */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function dateTime(value: string): Date | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const zone = !m[3] || m[3] === 'Z' ? 'Z' : m[3].length === 3 ? `${m[3]}:00` : m[3].includes(':') ? m[3] : `${m[3].slice(0, 3)}:${m[3].slice(3)}`;
  const at = new Date(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** One value of the file as the page shows it: dates in words, lists and objects as their JSON. */
function cell(t: Translator, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'privacy.export.value.yes' : 'privacy.export.value.no');
  if (typeof value === 'string') {
    const at = dateTime(value);
    if (at) return t.date(at, 'datetime');
    if (ISO_DATE.test(value)) return t.date(value);
    return value;
  }
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** A column's head: its words when the messages have them (`privacy.export.column.<name>`), else the file's name. */
function columnLabel(t: Translator, key: string): string {
  const label = `privacy.export.column.${key}`;
  return isMessageKey(label) ? t(label) : key;
}

/** The columns of a section: every key its rows have, in the order they first come. */
function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/**
 * ACC-11: the readable copy of the file, one heading and one table per section, the column heads
 * in words where the messages have them, else the file's own names. Printable: app.css's print
 * rules drop the header, the links and the scrolling.
 */
export function ExportReportPage(props: { ctx: PageContext; file: ExportFile }) {
  const { ctx, file } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('privacy.export.report.title')}>
      <h1>{t('privacy.export.report.title')}</h1>
      <p>{t('privacy.export.report.generated', { date: t.date(new Date(file.generatedAt), 'datetime') })}</p>
      <p class="no-print">
        <a href="/compte/donnees">{t('privacy.export.report.back')}</a>
      </p>
      <nav aria-labelledby="contents-title" class="no-print">
        <h2 id="contents-title">{t('privacy.export.report.contents')}</h2>
        <ol>
          {file.sections.map((s, i) => (
            <li>
              <a href={`#section-${i}`}>{s.title}</a> ({t.plural('privacy.export.report.rows', s.rows.length)})
            </li>
          ))}
        </ol>
      </nav>
      {file.sections.map((s, i) => (
        <section aria-labelledby={`section-${i}`} class="export-section">
          <h2 id={`section-${i}`}>{s.title}</h2>
          {s.rows.length === 0 ? (
            <p>{t('privacy.export.report.empty')}</p>
          ) : (
            <Table
              id={`section-${i}-rows`}
              caption={s.title}
              captionHidden
              rows={s.rows}
              columns={columnsOf(s.rows).map((key) => ({ label: columnLabel(t, key), cell: (row: Record<string, unknown>) => <span class="wrap">{cell(t, row[key])}</span> }))}
            />
          )}
        </section>
      ))}
    </Layout>
  );
}
