import type { MessageKey } from '../../../platform/i18n';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { getCourseSheet, UnitEnrolment } from '../catalogue.service';
import { arrondissementText, key, money, slotText } from '../../../ui/format';

type Sheet = NonNullable<Awaited<ReturnType<typeof getCourseSheet>>>;

/** CAT-1, CAT-5, CAT-7: the whole course sheet, then each session with its free places and meetings. */
export function CourseSheetPage(props: {
  ctx: PageContext;
  sheet: Sheet;
  refusal?: { sessionCode: string; message: MessageKey; params?: Record<string, string | number> };
  /** CRED-2: in the credits profile, the sessions that take an enrolment now, with each source's fee (the lifecycle decided). */
  enrolments?: Map<string, UnitEnrolment>;
}) {
  const { ctx } = props;
  const { course, domain, previous, equivalents, sessions } = props.sheet;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={course.title}>
      <p>
        <a href={`/recherche?domaine=${encodeURIComponent(domain.slug)}`}>{domain.name}</a>
      </p>
      <h1>{course.title}</h1>
      <h2>{t('sheet.objectives')}</h2>
      <p>{course.objectives}</p>
      <dl class="summary">
        <dt>{t('sheet.audience')}</dt>
        <dd>{course.audience}</dd>
        <dt>{t('sheet.prerequisites')}</dt>
        <dd>{course.prerequisites}</dd>
        {course.level ? (
          <>
            <dt>{t('sheet.level')}</dt>
            <dd>{course.level}</dd>
          </>
        ) : null}
        {previous ? (
          <>
            <dt>{t('sheet.previous')}</dt>
            <dd>
              <a href={`/formations/${encodeURIComponent(previous.code)}`}>{previous.title}</a>
            </dd>
          </>
        ) : null}
        {equivalents.length ? (
          <>
            <dt>{t('sheet.equivalents')}</dt>
            <dd>
              <ul class="links-compact">
                {equivalents.map((e) => (
                  <li>
                    <a href={`/formations/${encodeURIComponent(e.code)}`}>{e.title}</a>
                  </li>
                ))}
              </ul>
              <p class="hint">{t('sheet.equivalentsHint')}</p>
            </dd>
          </>
        ) : null}
        <dt>{t('sheet.rhythm')}</dt>
        <dd>{t(key(`rhythm.${course.rhythm}`))}</dd>
        <dt>{t('sheet.mode')}</dt>
        <dd>{t(key(`mode.${course.mode}`))}</dd>
        <dt>{t('sheet.hours')}</dt>
        <dd>{t('sheet.hoursValue', { hours: course.hourlyVolume })}</dd>
        {/* CRED-1, CRED-2: a teaching unit's credits and semester. */}
        {course.ectsCredits !== null ? (
          <>
            <dt>{t('cred.sheet.credits')}</dt>
            <dd>{t('cred.sheet.creditsValue', { credits: course.ectsCredits })}</dd>
            <dt>{t('cred.sheet.semester')}</dt>
            <dd>{t(course.semester === 2 ? 'cred.semester.2' : 'cred.semester.1')}</dd>
          </>
        ) : null}
        <dt>{t('sheet.rates')}</dt>
        <dd>{t('sheet.ratesValue', { full: money(t, course.fullRateCents), half: money(t, course.halfRateCents) })}</dd>
        <dt>{t('sheet.admission')}</dt>
        <dd>{t(key(`admission.${course.admissionTest}`))}</dd>
        <dt>{t('sheet.diploma')}</dt>
        <dd>{t(course.preparesDiploma ? 'sheet.yes' : 'sheet.no')}</dd>
        <dt>{t('sheet.evaluation')}</dt>
        <dd>{t(course.hasEvaluation ? 'sheet.yes' : 'sheet.no')}</dd>
      </dl>
      <h2>{t('sheet.programme')}</h2>
      <p>{course.programme}</p>

      <h2 id="sessions">{t('sheet.sessions')}</h2>
      {sessions.length === 0 ? <p>{t('sheet.noSessions')}</p> : null}
      <ul class="sessions">
        {sessions.map((s) => (
          <li class="session" id={s.code}>
            <h3>
              {s.school.name} — {arrondissementText(t, s.school.arrondissement, s.school.area)}
            </h3>
            <dl class="summary">
              <dt>{t('search.where')}</dt>
              <dd>
                {s.school.address}, {s.school.postalCode} {s.school.city}
              </dd>
              <dt>{t('search.when')}</dt>
              <dd>
                {s.slots.map((slot) => slotText(t, slot)).join(' ; ')} — {t('search.dates', { from: t.date(s.firstMeeting), to: t.date(s.lastMeeting) })}
              </dd>
              {s.trainerName ? (
                <>
                  <dt>{t('sheet.trainer')}</dt>
                  <dd>{s.trainerName}</dd>
                </>
              ) : null}
              <dt>{t('sheet.period')}</dt>
              <dd>
                {s.period.name} —{' '}
                <span class={`badge badge-${s.periodState}`}>
                  {s.periodState === 'upcoming'
                    ? t('period.upcoming', { date: t.date(s.period.applicationsOpenAt) })
                    : t(s.periodState === 'open' ? 'period.open' : 'period.closed')}
                </span>
              </dd>
            </dl>
            {s.cancelled ? (
              <p class="badge badge-closed">{t('session.cancelled')}</p>
            ) : (
              <p class="places">{t.plural('search.freePlaces', s.freePlaces, { capacity: s.capacity })}</p>
            )}
            {s.mode === 'remote' && !s.cancelled ? <p>{t('session.remote')}</p> : null}
            <p>{t(s.runsInSchoolHolidays ? 'sheet.holidays' : 'sheet.noHolidays')}</p>
            {props.refusal?.sessionCode === s.code ? (
              <div class="notice notice-warning" role="alert">
                <strong>{t('apps.refusedTitle')}</strong> {t(props.refusal.message, props.refusal.params)}
              </div>
            ) : null}
            {props.enrolments ? <UnitEnrolForm ctx={ctx} sessionCode={s.code} school={s.school.name} courseCode={course.code} enrolment={props.enrolments.get(s.code)} /> : null}
            {!props.enrolments && s.periodState === 'open' && !s.cancelled && ctx.user?.role !== 'learner' && !ctx.user ? (
              <p>
                <a class="button button-secondary" href={`/connexion?retour=${encodeURIComponent(`/formations/${course.code}#${s.code}`)}`}>
                  {t('apps.loginToApply')}
                </a>
              </p>
            ) : null}
            {!props.enrolments && s.periodState === 'open' && !s.cancelled && ctx.user?.role === 'learner' ? (
              <form method="post" action="/candidatures">
                <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
                <input type="hidden" name="session" value={s.code} />
                <button type="submit" class="button">
                  {t('apps.save')}
                  <span class="visually-hidden"> : {s.school.name}</span>
                </button>
              </form>
            ) : null}
            <details>
              <summary>{t.plural('sheet.meetings', s.meetings.length)}</summary>
              <ul class="meetings">
                {s.meetings.map((m) => (
                  <li>
                    {t.date(m.date)}, {m.startsAt}–{m.endsAt}
                  </li>
                ))}
              </ul>
            </details>
            {/* SEL-2, SEL-12: the session's public selection page (the selection module's route, by the session's code). */}
            <p>
              <a href={`/sessions/${encodeURIComponent(s.code)}/selection`}>
                {t('sheet.selection')}
                <span class="visually-hidden"> : {s.school.name}</span>
              </a>
            </p>
            {/* CAT-8: the session's meetings as an .ics file (the attendance module's route). */}
            <p>
              <a href={`/formations/${encodeURIComponent(course.code)}/sessions/${encodeURIComponent(s.code)}/calendrier.ics`} download>
                {t('att.calendar.downloadOf', { school: s.school.name })}
              </a>
            </p>
          </li>
        ))}
      </ul>
      <p>
        <a href="/recherche">{t('sheet.back')}</a>
      </p>
    </Layout>
  );
}

/**
 * CRED-2, CRED-5: "S'inscrire" with the funding source, in the credits profile, for a session
 * that takes an enrolment now: a GET form to the confirmation page (nothing is written before it).
 */
function UnitEnrolForm(props: { ctx: PageContext; sessionCode: string; school: string; courseCode: string; enrolment: UnitEnrolment | undefined }) {
  const { ctx, enrolment } = props;
  const t = ctx.t;
  if (!enrolment) return null;
  if (!ctx.user)
    return (
      <p>
        <a class="button button-secondary" href={`/connexion?retour=${encodeURIComponent(`/formations/${props.courseCode}#${props.sessionCode}`)}`}>
          {t('cred.sheet.loginToEnrol')}
        </a>
      </p>
    );
  if (ctx.user.role !== 'learner') return null;
  // Several sessions on one sheet: each group's ids carry its session (the shared Radios names its ids by the field).
  const id = `financement-${props.sessionCode}`;
  return (
    <form method="get" action="/unites/inscription" class="unit-enrol">
      <input type="hidden" name="session" value={props.sessionCode} />
      <fieldset class="field" role="radiogroup" aria-labelledby={`${id}-legend`} aria-describedby={`${id}-hint`} aria-required="true">
        <legend id={`${id}-legend`}>{t('cred.enrol.source')}</legend>
        <p class="hint" id={`${id}-hint`}>
          {t('cred.sheet.enrolHint')}
        </p>
        <div class="radios">
          {enrolment.fees.map((f, i) => (
            <div class="radio" key={f.source}>
              <input type="radio" id={`${id}-${f.source}`} name="financement" value={f.source} required checked={i === 0} />
              <label for={`${id}-${f.source}`}>
                {f.payer === 'learner'
                  ? t('cred.fee.learner', { source: t(key(`cred.funding.source.${f.source}`)), amount: money(t, f.feeCents) })
                  : t('cred.fee.funder', { source: t(key(`cred.funding.source.${f.source}`)), amount: money(t, f.feeCents), zero: money(t, 0) })}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <button type="submit" class="button">
        {t('cred.sheet.enrol')}
        <span class="visually-hidden"> : {props.school}</span>
      </button>
    </form>
  );
}
