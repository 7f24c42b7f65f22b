import type { MessageKey } from '../../../platform/i18n';
import { Table } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { KeptAbout } from '../retention.service';
import { basisText, categoryText, endText, message, periodText } from './periods';

/** ACC-14: "what we keep about you, why, until when", at /compte/donnees/conservation. */
export function RetentionPage(props: { ctx: PageContext; kept: KeptAbout }) {
  const { ctx, kept } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('privacy.retention.title')}>
      <h1>{t('privacy.retention.title')}</h1>
      <p>{t('privacy.retention.intro', { days: kept.noticeDays })}</p>
      {kept.account ? (
        <section aria-labelledby="account-title">
          <h2 id="account-title">{t('privacy.retention.account')}</h2>
          <p>{t('privacy.retention.accountUntil', { months: kept.account.months, date: t.date(kept.account.until) })}</p>
          <p>{t('privacy.retention.accountKeep')}</p>
        </section>
      ) : null}
      {kept.scheduled.length ? (
        <section aria-labelledby="scheduled-title">
          <h2 id="scheduled-title">{t('privacy.retention.scheduled')}</h2>
          <ul>
            {kept.scheduled.map((s) => (
              <li>{t('privacy.retention.scheduledItem', { what: message(t, s.what), end: t(`privacy.retention.end.${s.end}` as MessageKey), date: t.date(s.date) })}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2 id="kept-title">{t('privacy.retention.table')}</h2>
      {kept.lines.length ? (
        <Table
          id="kept"
          caption={t('privacy.retention.table')}
          captionHidden
          rows={kept.lines}
          columns={[
            { label: t('privacy.retention.col.what'), rowHeader: true, cell: (l) => categoryText(t, l.category) },
            { label: t('privacy.retention.col.why'), cell: (l) => message(t, l.purpose) },
            { label: t('privacy.retention.col.basis'), cell: (l) => basisText(t, l.basis) },
            { label: t('privacy.retention.col.until'), cell: (l) => periodText(t, l) },
            { label: t('privacy.retention.col.end'), cell: (l) => endText(t, l.end) },
          ]}
        />
      ) : (
        <p>{t('privacy.retention.none')}</p>
      )}
      <p>{t('privacy.retention.closure')}</p>
      <p>
        <a href="/compte">{t('privacy.retention.back')}</a>
      </p>
    </Layout>
  );
}
