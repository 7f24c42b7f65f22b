import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Notice, SubmitButton, Table, TextArea } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { SessionForApplication } from '../../catalogue';
import type { AbsenceAction, IncidentEvent, IncidentView, LearnerAbsences } from '../incidents.service';

/** The staff page of a session's attendance and absences (ATT-2, ATT-3, ATT-5). It shows what the service decided. */

type T = PageContext['t'];
const k = (key: string) => key as MessageKey;

export const attendancePath = (code: string) => `/personnel/sessions/${code}/assiduite`;
/** Each action's path under the learner's: a button (radier, exclure, liberer) or the conduct form. */
export const actionPaths: Record<AbsenceAction, string> = {
  removeForAbsences: 'radier',
  excludeForAbsences: 'exclure',
  releaseAbsent: 'liberer',
  excludeForConduct: 'conduite',
};
export const actionPath = (code: string, applicationId: string, action: AbsenceAction) => `${attendancePath(code)}/${applicationId}/${actionPaths[action]}`;

const percent = (t: T, key: 'att.incidents.soFar' | 'att.incidents.reachable', value: number | null) => (value === null ? null : t(key, { percent: value }));

function AttendanceCell(props: { t: T; row: LearnerAbsences }) {
  const { t, row } = props;
  const a = row.attendance;
  if (a.soFarPercent === null) return <>{t('att.incidents.noMeeting')}</>;
  return (
    <>
      {percent(t, 'att.incidents.soFar', a.soFarPercent)}
      <br />
      {percent(t, 'att.incidents.reachable', a.reachablePercent)}
      {a.unmarkedMeetingIds.length ? (
        <>
          <br />
          {t('att.incidents.unmarked', { count: a.unmarkedMeetingIds.length })}
        </>
      ) : null}
    </>
  );
}

function StreaksCell(props: { t: T; row: LearnerAbsences }) {
  const { t } = props;
  const s = props.row.attendance.streaks;
  const lines = [
    s.unjustified.count ? t('att.incidents.streak.unjustified', { count: s.unjustified.count }) : null,
    s.any.count && s.any.count !== s.unjustified.count ? t('att.incidents.streak.any', { count: s.any.count }) : null,
    s.fromStart.count ? t('att.incidents.streak.fromStart', { count: s.fromStart.count }) : null,
  ].filter((l): l is string => l !== null);
  if (lines.length === 0) return <>{t('att.incidents.streak.none')}</>;
  return (
    <ul class="plain">
      {lines.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  );
}

/** An event of an incident's history in words. */
export function eventText(t: T, e: IncidentEvent): string {
  const date = t.date(e.at, 'datetime');
  const data = e.data as { count?: number; channels?: string[]; noMobile?: boolean; action?: string };
  switch (e.event) {
    case 'raised':
    case 'grew':
      return t(k(`att.incidents.event.${e.event}`), { date, count: data.count ?? 0 });
    case 'warned':
      if (data.noMobile) return t('att.incidents.event.warnedNoMobile', { date });
      return t('att.incidents.event.warned', { date, channels: (data.channels ?? []).map((c) => t(k(`att.incidents.channel.${c}`))).join(' + ') });
    case 'acted':
      return t('att.incidents.event.acted', { date, action: data.action ? t(k(`att.incidents.action.${data.action}`)) : '' });
    default:
      return t(k(`att.incidents.event.${e.event}`), { date });
  }
}

function IncidentsCell(props: { t: T; incidents: IncidentView[] }) {
  const { t } = props;
  if (props.incidents.length === 0) return <>{t('att.incidents.noIncident')}</>;
  return (
    <ul class="plain">
      {props.incidents.map(({ incident, events }) => (
        <li>
          <strong>{t(k(`att.incidents.kind.${incident.kind}`))}</strong> ({t(k(`att.incidents.status.${incident.status}`))})
          <ul>
            {events.map((e) => (
              <li>{eventText(t, e)}</li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function ActionsCell(props: { ctx: PageContext; code: string; row: LearnerAbsences }) {
  const { ctx, code, row } = props;
  const t = ctx.t;
  if (row.actions.length === 0) return <>{t('att.incidents.noAction')}</>;
  return (
    <>
      {row.actions.map((action) =>
        action === 'excludeForConduct' ? (
          <p>
            <a href={actionPath(code, row.application.id, action)}>{t('att.incidents.action.excludeForConduct')}</a>
          </p>
        ) : (
          <form method="post" action={actionPath(code, row.application.id, action)}>
            <Csrf ctx={ctx} />
            <SubmitButton secondary>
              {t(k(`att.incidents.action.${action}`))}
              <span class="visually-hidden"> – {row.name}</span>
            </SubmitButton>
          </form>
        ),
      )}
    </>
  );
}

export function AttendancePage(props: { ctx: PageContext; session: SessionForApplication; rows: LearnerAbsences[]; notice?: MessageKey; flash?: string }) {
  const { ctx, session, rows } = props;
  const t = ctx.t;
  const title = t('att.incidents.title', { code: session.code });
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/personnel">{t('att.incidents.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>
        {session.title} – {session.schoolName}
      </p>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <p>{t('att.incidents.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('att.incidents.none')}</p>
      ) : (
        <Table
          id="attendance"
          caption={title}
          captionHidden
          rows={rows}
          columns={[
            { label: t('att.incidents.col.learner'), rowHeader: true, cell: (r) => r.name },
            { label: t('att.incidents.col.attendance'), cell: (r) => <AttendanceCell t={t} row={r} /> },
            { label: t('att.incidents.col.streaks'), cell: (r) => <StreaksCell t={t} row={r} /> },
            { label: t('att.incidents.col.incidents'), cell: (r) => <IncidentsCell t={t} incidents={r.incidents} /> },
            { label: t('att.incidents.col.actions'), cell: (r) => <ActionsCell ctx={ctx} code={session.code} row={r} /> },
          ]}
        />
      )}
    </Layout>
  );
}

/** ATT-3: the school head's form of an exclusion for conduct, with its reason. */
export function ConductPage(props: { ctx: PageContext; session: SessionForApplication; row: LearnerAbsences; form?: FormState; notice?: MessageKey }) {
  const { ctx, session, row } = props;
  const t = ctx.t;
  const form = props.form ?? emptyForm();
  const title = t('att.incidents.conduct.title', { name: row.name });
  const mayExclude = row.actions.includes('excludeForConduct');
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={attendancePath(session.code)}>{t('att.incidents.conduct.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>
        {session.title} – {session.schoolName}
      </p>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <p>{t('att.incidents.conduct.intro')}</p>
      {mayExclude ? (
        <>
          <ErrorSummary t={t} form={form} labels={{ reason: t('att.incidents.conduct.reason') }} />
          <form method="post" action={actionPath(session.code, row.application.id, 'excludeForConduct')} novalidate>
            <Csrf ctx={ctx} />
            <TextArea t={t} form={form} name="reason" label={t('att.incidents.conduct.reason')} hint={t('att.incidents.conduct.reasonHint')} required maxLength={500} rows={4} />
            <SubmitButton>{t('att.incidents.conduct.submit')}</SubmitButton>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
