import type { Translator } from '../../../platform/i18n';
import type { Policies } from '../../../platform/policies';
import { Table } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { webhookRecipientsPath } from '../../webhooks';
import type { RegisterLine } from '../registry';
import { basisText, categoryText, endText, message, periodText, recipientsText } from './periods';

/** The register's columns, for the page and the CSV alike. */
export const registerColumns = ['set', 'table', 'columns', 'category', 'purpose', 'basis', 'period', 'policy', 'end', 'recipients'] as const;

export function registerValues(t: Translator, line: RegisterLine): Record<(typeof registerColumns)[number], string> {
  return {
    set: line.set,
    table: line.table,
    columns: line.columns.join(', '),
    category: categoryText(t, line.category),
    purpose: message(t, line.purpose),
    basis: basisText(t, line.basis),
    period: periodText(t, line),
    policy: line.retention.policy,
    end: endText(t, line.end),
    recipients: recipientsText(t, line.category),
  };
}

/** ACC-14: the processing register's extract for the data protection officer, at /personnel/registre-traitements. */
export function RegisterPage(props: { ctx: PageContext; lines: RegisterLine[]; policies: Policies; at: Date }) {
  const { ctx, lines, policies } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('privacy.register.title')}>
      <h1>{t('privacy.register.title')}</h1>
      <p>{t('privacy.register.intro', { date: t.date(props.at) })}</p>
      <p>{t('privacy.register.noticeDays', { days: policies.retentionNoticeDays, months: policies.inactiveAccountMonths })}</p>
      <p>
        <a href="/personnel/registre-traitements.csv" download>
          {t('privacy.register.csv')}
        </a>
      </p>
      <p>
        <a href={webhookRecipientsPath}>{t('webhooks.recipientsLink')}</a>
      </p>
      {lines.length ? (
        <Table
          id="register"
          caption={t('privacy.register.table')}
          rows={lines.map((l) => registerValues(t, l))}
          columns={registerColumns.map((c, i) => ({ label: t(`privacy.register.col.${c}`), rowHeader: i === 1, cell: (row: ReturnType<typeof registerValues>) => (c === 'policy' || c === 'columns' || c === 'table' ? <code>{row[c]}</code> : row[c]) }))}
        />
      ) : (
        <p>{t('privacy.register.none')}</p>
      )}
      <p>
        <a href="/personnel">{t('staff.title')}</a>
      </p>
    </Layout>
  );
}
