import type { MessageKey } from '../../../platform/i18n';
import { Csrf, SubmitButton } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { slotText } from '../../../ui/format';
import type { nextLevelPage, NextLevelSession } from '../levels.service';

type Page = Awaited<ReturnType<typeof nextLevelPage>>;
export type NextLevelRefusal = { sessionCode: string; message: MessageKey; params?: Record<string, string | number> };

function SessionItem(props: { ctx: PageContext; item: NextLevelSession; after: string; refusal?: NextLevelRefusal }) {
  const { ctx, item, refusal } = props;
  const { t } = ctx;
  const s = item.session;
  const errorId = `refus-${s.code}`;
  return (
    <li class="application" id={`session-${s.code}`}>
      <h3>
        <a href={`/formations/${encodeURIComponent(s.courseCode)}`}>{s.title}</a>
      </h3>
      <p>{t('cert.next.after', { title: props.after })}</p>
      <p>{t('apps.session', { school: s.schoolName, slots: s.slots.map((slot) => slotText(t, slot)).join(' ; ') })}</p>
      <p>{t('cert.next.free', { count: item.free })}</p>
      <p>
        {item.priorityNow
          ? t('cert.next.priorityOpen', { date: t.date(s.period.applicationsOpenAt, 'datetime') })
          : item.open
            ? t('cert.next.open', { date: t.date(s.period.applicationsCloseAt, 'datetime') })
            : t('cert.next.opensOn', { date: t.date(s.period.priorityOpensAt ?? s.period.applicationsOpenAt, 'datetime') })}
      </p>
      {refusal ? (
        <p class="notice notice-warning" id={errorId} role="alert">
          {t(refusal.message, refusal.params)}
        </p>
      ) : null}
      {item.applied ? (
        <p>
          {t('cert.next.applied')} <a href={`/candidatures#candidature-${item.applied}`}>{t('cert.next.seeApplication')}</a>
        </p>
      ) : item.open ? (
        <form method="post" action="/compte/niveau-suivant">
          <Csrf ctx={ctx} />
          <input type="hidden" name="session" value={s.code} />
          <SubmitButton>{t('cert.next.apply')}</SubmitButton>
        </form>
      ) : null}
    </li>
  );
}

/** CERT-6: the levels passed and the next level's sessions with free places, each with its "apply" form. */
export function NextLevelPage(props: { ctx: PageContext; page: Page; refusal?: NextLevelRefusal }) {
  const { ctx, page } = props;
  const { t } = ctx;
  const titleOf = new Map(page.passed.map((p) => [p.courseId, p.title]));
  return (
    <Layout ctx={ctx} title={t('cert.next.title')}>
      <h1>{t('cert.next.title')}</h1>
      {page.passed.length === 0 ? (
        <p>{t('cert.next.none')}</p>
      ) : (
        <>
          <p>{t('cert.next.intro')}</p>
          <h2>{t('cert.next.passed')}</h2>
          <ul>
            {page.passed.map((p) => (
              <li>{p.title}</li>
            ))}
          </ul>
          <h2>{t('cert.next.sessions')}</h2>
          {page.sessions.length === 0 ? (
            <p>{t('cert.next.noSession')}</p>
          ) : (
            <ul class="applications">
              {page.sessions.map((item) => (
                <SessionItem
                  ctx={ctx}
                  item={item}
                  after={titleOf.get(item.session.previousCourseId ?? -1) ?? ''}
                  refusal={props.refusal?.sessionCode === item.session.code ? props.refusal : undefined}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </Layout>
  );
}
