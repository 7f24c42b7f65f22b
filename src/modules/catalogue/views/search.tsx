import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { filtersQuery, type SearchFilters } from '../catalogue.rules';
import type { Domain, Period, School, SearchResult } from '../catalogue.service';
import { modes, rhythms, timesOfDay, weekdays } from '../../../domain/vocabulary';
import { arrondissementText, key, slotText, weekdayName } from '../../../ui/format';

function Option(props: { value: string; current?: string | number; label: string }) {
  return (
    <option value={props.value} selected={String(props.current ?? '') === props.value}>
      {props.label}
    </option>
  );
}

/** CAT-4: every filter of the real service, as one GET form: results can be bookmarked and shared. */
function Filters(props: { ctx: PageContext; filters: SearchFilters; domains: Domain[]; periods: Period[]; schools: School[] }) {
  const { ctx, filters } = props;
  const t = ctx.t;
  return (
    <form method="get" action="/recherche" class="search-form" role="search">
      <div class="field">
        <label for="q">{t('search.keywords')}</label>
        <p class="hint" id="q-hint">
          {t('home.searchHint')}
        </p>
        <input id="q" name="q" type="search" value={filters.q} maxLength={200} class="input input-long" aria-describedby="q-hint" />
      </div>
      <fieldset class="group filters">
        <legend>{t('search.filters')}</legend>
        <div class="field field-checkbox">
          <input type="checkbox" id="ouvertes" name="ouvertes" value="1" checked={filters.onlyOpen} />
          <label for="ouvertes">{t('search.onlyOpen')}</label>
        </div>
        <div class="filter-grid">
          <div class="field">
            <label for="domaine">{t('search.domain')}</label>
            <select id="domaine" name="domaine" class="input">
              <Option value="" label={t('search.any')} />
              {props.domains.map((d) => (
                <Option value={d.slug} current={filters.domain} label={d.name} />
              ))}
            </select>
          </div>
          <div class="field">
            <label for="periode">{t('search.period')}</label>
            <select id="periode" name="periode" class="input">
              <Option value="" label={t('search.any')} />
              {props.periods.map((p) => (
                <Option value={p.code} current={filters.period} label={p.name} />
              ))}
            </select>
          </div>
          <div class="field">
            <label for="rythme">{t('search.rhythm')}</label>
            <select id="rythme" name="rythme" class="input">
              <Option value="" label={t('search.any')} />
              {rhythms.map((r) => (
                <Option value={r} current={filters.rhythm} label={t(key(`rhythm.${r}`))} />
              ))}
            </select>
          </div>
          <div class="field">
            <label for="mode">{t('search.mode')}</label>
            <select id="mode" name="mode" class="input">
              <Option value="" label={t('search.any')} />
              {modes.map((m) => (
                <Option value={m} current={filters.mode} label={t(key(`mode.${m}`))} />
              ))}
            </select>
          </div>
        </div>
        <fieldset class="field">
          <legend>{t('search.days')}</legend>
          <div class="checkbox-row">
            {weekdays.map((d) => (
              <div class="field-checkbox">
                <input type="checkbox" id={`jour-${d}`} name="jour" value={String(d)} checked={filters.weekdays.includes(d)} />
                <label for={`jour-${d}`}>{weekdayName(t, d)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset class="field">
          <legend>{t('search.times')}</legend>
          <div class="checkbox-row">
            {timesOfDay.map((time) => (
              <div class="field-checkbox">
                <input type="checkbox" id={`horaire-${time}`} name="horaire" value={time} checked={filters.times.includes(time)} />
                <label for={`horaire-${time}`}>{t(key(`time.${time}`))}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="filter-grid">
          <div class="field">
            <label for="arrondissement">{t('search.arrondissement')}</label>
            <select id="arrondissement" name="arrondissement" class="input" data-school-filter>
              <Option value="" label={t('search.any')} />
              {Array.from({ length: 20 }, (_, i) => i + 1).map((n) => (
                <Option value={String(n)} current={filters.arrondissement} label={arrondissementText(t, n)} />
              ))}
            </select>
          </div>
          <div class="field">
            <label for="etablissement">{t('search.school')}</label>
            <p class="hint" id="etablissement-hint">
              {t('search.schoolHint')}
            </p>
            <select id="etablissement" name="etablissement" class="input" aria-describedby="etablissement-hint">
              <Option value="" label={t('search.any')} />
              {/* The schools of the arrondissement searched; the script reloads the list when another
                  arrondissement is picked (without it, the list follows after "Rechercher"). */}
              {props.schools.map((s) => (
                <option value={s.code} selected={s.code === filters.school}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        </div>
      </fieldset>
      <p class="actions">
        <button type="submit" class="button">
          {t('search.submit')}
        </button>
        <a href="/recherche">{t('search.reset')}</a>
      </p>
    </form>
  );
}

function ResultItem(props: { ctx: PageContext; result: SearchResult }) {
  const { ctx, result: r } = props;
  const t = ctx.t;
  const preview = r.objectives.length > 220 ? `${r.objectives.slice(0, 217)}…` : r.objectives;
  const state =
    r.periodState === 'upcoming'
      ? t('period.upcoming', { date: t.date(r.applicationsOpenAt) })
      : t(r.periodState === 'open' ? 'period.open' : 'period.closed');
  return (
    <li class="result">
      <h3>
        <a href={`/formations/${encodeURIComponent(r.courseCode)}#${encodeURIComponent(r.sessionCode)}`}>{r.title}</a>
      </h3>
      <p class="result-domain">{r.domainName}</p>
      <p>{preview}</p>
      <dl class="summary">
        <dt>{t('search.where')}</dt>
        <dd>
          {r.schoolName}, {arrondissementText(t, r.arrondissement, r.area)}
        </dd>
        <dt>{t('search.when')}</dt>
        <dd>
          {r.slots.map((s) => slotText(t, s)).join(' ; ')} — {t('search.dates', { from: t.date(r.firstMeeting), to: t.date(r.lastMeeting) })}
        </dd>
        <dt>{t('sheet.period')}</dt>
        <dd>
          {r.periodName} — <span class={`badge badge-${r.periodState}`}>{state}</span>
        </dd>
      </dl>
      {r.cancelled ? (
        <p class="badge badge-closed">{t('session.cancelled')}</p>
      ) : (
        <p class="places">{t.plural('search.freePlaces', r.freePlaces, { capacity: r.capacity })}</p>
      )}
      {r.remote && !r.cancelled ? <p>{t('session.remote')}</p> : null}
    </li>
  );
}

/** SVC-8: the address of this search's open-data file (docs/open-data.md): the search's own filter names. */
function csvHref(filters: SearchFilters): string {
  const query = filtersQuery(filters, { page: 1 });
  return `/donnees-ouvertes/catalogue/sessions.csv${query ? `?${query}` : ''}`;
}

/** A count in the page's language ("1 000", "1,000"), one formatter per language. */
const countFormats = new Map<string, Intl.NumberFormat>();
function formatCount(locale: string, n: number): string {
  let format = countFormats.get(locale);
  if (!format) countFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(n);
}

function Pagination(props: { ctx: PageContext; filters: SearchFilters; page: number; pages: number; more?: boolean }) {
  const { ctx, filters, page, pages } = props;
  const t = ctx.t;
  if (pages <= 1) return null;
  const link = (n: number) => `/recherche?${filtersQuery(filters, { page: n })}`;
  // Past the count's bound the last page is not known: no link to it (decision 024).
  const numbers = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, ...(props.more ? [] : [pages])])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return (
    <nav aria-label={t('search.pagination')} class="pagination">
      <ul>
        {page > 1 ? (
          <li>
            <a href={link(page - 1)} rel="prev">
              {t('search.previous')}
            </a>
          </li>
        ) : null}
        {numbers.map((n) => (
          <li>
            {n === page ? (
              <a href={link(n)} aria-current="page">
                <span class="visually-hidden">{t('search.pageN', { n })}</span>
                <span aria-hidden="true">{n}</span>
              </a>
            ) : (
              <a href={link(n)}>
                <span class="visually-hidden">{t('search.pageN', { n })}</span>
                <span aria-hidden="true">{n}</span>
              </a>
            )}
          </li>
        ))}
        {page < pages ? (
          <li>
            <a href={link(page + 1)} rel="next">
              {t('search.next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export function SearchPage(props: {
  ctx: PageContext;
  filters: SearchFilters;
  domains: Domain[];
  periods: Period[];
  schools: School[];
  total: number;
  /** Decision 024: `total` is a lower bound (the count stops past `COUNT_BOUND`). */
  totalAtLeast?: boolean;
  page: number;
  pages: number;
  results: SearchResult[];
}) {
  const { ctx, filters } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={filters.q ? `${t('search.title')} : ${filters.q}` : t('search.title')}>
      <h1>{t('search.title')}</h1>
      <Filters ctx={ctx} filters={filters} domains={props.domains} periods={props.periods} schools={props.schools} />
      <section aria-labelledby="results-title">
        <h2 id="results-title">{props.total === 0 ? t('search.countNone') : props.totalAtLeast ? t('search.countMore', { count: formatCount(ctx.locale, props.total) }) : t.plural('search.count', props.total)}</h2>
        {props.total === 0 ? <p>{t('search.none')}</p> : null}
        {props.total > 0 && props.results.length === 0 ? (
          <p>
            {t('search.pageEmpty', { pages: props.pages })} <a href={`/recherche?${filtersQuery(filters, { page: 1 })}`}>{t('search.firstPage')}</a>
          </p>
        ) : null}
        <ol class="results">
          {props.results.map((r) => (
            <ResultItem ctx={ctx} result={r} />
          ))}
        </ol>
        <Pagination ctx={ctx} filters={filters} page={props.page} pages={props.pages} more={props.totalAtLeast} />
        {props.total > 0 ? (
          <p>
            {/* SVC-8: the same search as an open-data file (every page of it), the same filters. */}
            <a href={csvHref(filters)} download>
              {t('search.csv')}
            </a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
