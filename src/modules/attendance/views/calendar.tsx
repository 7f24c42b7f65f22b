import { Csrf, SubmitButton } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { slotText } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import type { FeedPage } from '../calendar.service';

/**
 * CAT-8: the learner's private calendar feed: how to add it to a phone or a mail calendar, the
 * sessions it holds, and the button that makes a new link. The link itself is shown only on the
 * answer to that button (only its hash is kept).
 */
export function CalendarPage(props: { ctx: PageContext; page: FeedPage; made?: { url: string; replaced: boolean } }) {
  const { ctx, page, made } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('att.calendar.title')} flash={made?.replaced ? t('att.calendar.renewed') : undefined}>
      <p>
        <a href="/compte">{t('att.calendar.back')}</a>
      </p>
      <h1>{t('att.calendar.title')}</h1>
      <p>{t('att.calendar.intro')}</p>
      {made ? (
        <section class="notice notice-info" aria-labelledby="feed-link-title">
          <h2 id="feed-link-title">{t('att.calendar.yourLink')}</h2>
          <p>
            <label for="feed-url">{t('att.calendar.linkLabel')}</label>
            <input id="feed-url" class="input input-long" type="text" readonly value={made.url} aria-describedby="feed-url-hint" spellcheck={false} autocomplete="off" />
          </p>
          <p class="hint" id="feed-url-hint">
            {t('att.calendar.yourLinkHint')}
          </p>
          <p>
            <a href={made.url.replace(/^https?:/, 'webcal:')}>{t('att.calendar.subscribe')}</a>
          </p>
        </section>
      ) : page.feed ? (
        <p>{t('att.calendar.made', { date: t.date(page.feed.createdAt, 'datetime') })}</p>
      ) : (
        <p>{t('att.calendar.none')}</p>
      )}
      {page.feed || made ? <p>{t('att.calendar.shownOnce')}</p> : null}
      <form method="post" action="/compte/calendrier">
        <Csrf ctx={ctx} />
        <SubmitButton secondary={Boolean(page.feed || made)}>{t(page.feed || made ? 'att.calendar.renew' : 'att.calendar.create')}</SubmitButton>
      </form>

      <h2>{t('att.calendar.how')}</h2>
      <ul>
        <li>{t('att.calendar.how.iphone')}</li>
        <li>{t('att.calendar.how.android')}</li>
        <li>{t('att.calendar.how.outlook')}</li>
        <li>{t('att.calendar.how.other')}</li>
      </ul>

      <h2>{t('att.calendar.sessions')}</h2>
      {page.sessions.length === 0 ? <p>{t('att.calendar.noSessions')}</p> : null}
      <ul>
        {page.sessions.map((s) => (
          <li>
            <a href={`/formations/${encodeURIComponent(s.courseCode)}#${encodeURIComponent(s.code)}`}>{s.title}</a> — {s.schoolName}, {s.slots.map((slot) => slotText(t, slot)).join(' ; ')} —{' '}
            {t('search.dates', { from: t.date(s.firstMeeting), to: t.date(s.lastMeeting) })}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
