import { may } from '../../selection/selection.rules';
import type { MessageKey } from '../../../platform/i18n';
import type { PageContext } from '../../../ui/context';
import { slotText } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import type { StaffSessionRow } from '../staff.service';

export const columns = ['session', 'course', 'school', 'period', 'slots', 'capacity', 'processing', 'accepted', 'enrolled', 'waiting', 'free'] as const;

/** One row of the staff list as plain values, for the page and the exports alike. */
export function rowValues(t: PageContext['t'], s: StaffSessionRow): Record<(typeof columns)[number], string | number> {
  return {
    session: s.code,
    course: s.title,
    school: s.schoolName,
    period: s.periodName,
    slots: s.slots.map((slot) => slotText(t, slot)).join(' ; '),
    capacity: s.capacity,
    processing: s.processing,
    accepted: s.accepted,
    enrolled: s.enrolled,
    waiting: s.waitingList,
    free: s.freePlaces,
  };
}

/** The staff home: the sessions of one's scope, with counts, filterable, exportable. */
export function StaffHomePage(props: { ctx: PageContext; displayName: string | null; rows: StaffSessionRow[]; all: boolean; query: string }) {
  const { ctx } = props;
  const t = ctx.t;
  const role = ctx.user?.role ?? 'learner';
  const exportQuery = props.query ? `?${props.query}` : '';
  return (
    <Layout ctx={ctx} title={t('staff.title')}>
      <h1>{t('staff.title')}</h1>
      {props.displayName ? <p>{t('home.welcome', { name: props.displayName })}</p> : null}
      <p>{t('staff.intro', { role: t(`role.${role}` as MessageKey) })}</p>
      <h2>{t('staff.sessions')}</h2>
      <p>{props.all ? t('staff.scopeAll') : props.rows.length === 0 && !props.query ? t('staff.scopeNone') : null}</p>
      <form method="get" action="/personnel" role="search" class="inline-search">
        <label for="q" class="visually-hidden">
          {t('search.keywords')}
        </label>
        <input id="q" name="q" type="search" class="input" maxLength={200} />
        <button type="submit" class="button button-secondary">
          {t('staff.filter')}
        </button>
      </form>
      <p>
        {t.plural('staff.count', props.rows.length)} — {t('staff.export')} :{' '}
        <a href={`/personnel/sessions.csv${exportQuery}`}>{t('staff.exportCsv')}</a>,{' '}
        <a href={`/personnel/sessions.xlsx${exportQuery}`}>{t('staff.exportXlsx')}</a>
      </p>
      <div class="table-scroll" role="region" aria-label={t('staff.sessions')} tabindex={0}>
        <table class="table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col">{t(`staff.col.${c}` as MessageKey)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((s) => {
              const v = rowValues(t, s);
              return (
                <tr>
                  {columns.map((c) =>
                    c === 'course' ? (
                      <td>
                        <a href={`/personnel/sessions/${encodeURIComponent(s.code)}`}>{v.course}</a>
                        {may(role, 'select') ? (
                          <>
                            {' '}
                            (<a href={`/personnel/sessions/${encodeURIComponent(s.code)}/selection`}>{t('sel.link')}</a>)
                          </>
                        ) : null}
                      </td>
                    ) : (
                      <td>{v[c]}</td>
                    ),
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
