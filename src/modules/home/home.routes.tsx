import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { pageContext, sendPage } from '../../platform/http';
import type { PageContext } from '../../ui/context';
import { Table } from '../../ui/components';
import { Layout } from '../../ui/Layout';
import { periodState } from '../catalogue';
import { listDomains, listPeriods, type Domain, type Period } from '../catalogue';

/** CAT-6: the home page shows the registration calendar; domains and periods lead to the search. */
function HomePage(props: { ctx: PageContext; periods: Period[]; domains: Domain[]; now: Date }) {
  const { ctx, now } = props;
  const t = ctx.t;
  const stateText = (p: Period) => {
    const state = periodState(p, now);
    return state === 'upcoming' ? t('period.upcoming', { date: t.date(p.applicationsOpenAt) }) : t(state === 'open' ? 'period.open' : 'period.closed');
  };
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('home.intro')}</p>
      <form method="get" action="/recherche" role="search" class="home-search">
        <label for="q">{t('home.searchLabel')}</label>
        <p class="hint" id="q-hint">
          {t('home.searchHint')}
        </p>
        <div class="inline-search">
          <input id="q" name="q" type="search" class="input input-long" maxLength={200} aria-describedby="q-hint" />
          <button type="submit" class="button">
            {t('home.searchSubmit')}
          </button>
        </div>
      </form>

      {ctx.profile === 'credits' ? (
        // Issue 18, CRED-1, CRED-2: enrolment all year, in two semesters; units and credits instead of the periods' calendar.
        <section aria-labelledby="credits-title">
          <h2 id="credits-title">{t('home.credits.title')}</h2>
          <p>{t('home.credits.allYear')}</p>
          <p>{t('home.credits.ects')}</p>
          <p>{t('home.credits.remote')}</p>
          <p class="hint">{t('home.credits.advice')}</p>
          {ctx.user?.role === 'learner' ? (
            <p>
              <a href="/compte/cursus">{t('home.credits.programmes')}</a>
            </p>
          ) : null}
        </section>
      ) : props.periods.length ? (
        <section aria-labelledby="calendar-title">
          <h2 id="calendar-title">{t('home.calendar')}</h2>
          <Table
            id="calendar"
            caption={t('home.calendar')}
            captionHidden
            rows={props.periods}
            columns={[
              { label: t('home.calendarPeriod'), rowHeader: true, cell: (p) => p.name },
              { label: t('home.calendarApplications'), cell: (p) => t('home.range', { from: t.date(p.applicationsOpenAt), to: t.date(p.applicationsCloseAt) }) + (p.priorityOpensAt ? ` ${t('home.priorityFrom', { date: t.date(p.priorityOpensAt) })}` : '') },
              { label: t('home.calendarAnswers'), cell: (p) => t('home.range', { from: t.date(p.answersFrom), to: t.date(p.answersUntil) }) },
              { label: t('home.calendarState'), cell: stateText },
            ]}
          />
          <h2>{t('home.periods')}</h2>
          <ul class="tiles">
            {props.periods.map((p) => {
              const state = periodState(p, now);
              return (
                <li class={`tile tile-${state}`}>
                  <a href={`/recherche?periode=${encodeURIComponent(p.code)}`}>
                    <span class="tile-title">{p.name}</span>
                    <span class="tile-state">
                      <span aria-hidden="true">{state === 'open' ? '● ' : '○ '}</span>
                      {stateText(p)}
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      {props.domains.length ? (
        <section aria-labelledby="domains-title">
          <h2 id="domains-title">{t('home.domains')}</h2>
          <ul class="domains">
            {props.domains.map((d) => (
              <li>
                <a href={`/recherche?domaine=${encodeURIComponent(d.slug)}`}>{d.name}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <h2>{t('home.steps')}</h2>
      <ol class="steps">
        <li>{t('home.step1')}</li>
        <li>{t('home.step2')}</li>
        <li>{t('home.step3')}</li>
        <li>{t('home.step4')}</li>
      </ol>
      {ctx.user ? null : (
        <p class="actions">
          <a class="button" href="/inscription">
            {t('home.ctaSignup')}
          </a>
          <a class="button button-secondary" href="/connexion">
            {t('home.ctaLogin')}
          </a>
        </p>
      )}
    </Layout>
  );
}

export function homeRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (request, reply) => {
      const [periods, domains] = await Promise.all([listPeriods(deps.db), listDomains(deps.db)]);
      return sendPage(reply, <HomePage ctx={pageContext(request, reply, deps.devTools)} periods={periods} domains={domains} now={deps.clock.now()} />);
    });
  };
}
