import { publicAdjustmentReasons } from '../explain.rules';
import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Notice, Radios, Select, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { slotText } from '../../../ui/format';
import type { ApplicantSheet, sessionApplicants } from '../applicants.service';
import { attendances, convocationKinds } from '../../../domain/vocabulary';
import { ProofSheetSection } from '../../applications';

const k = (key: string) => key as MessageKey;
type Applicants = NonNullable<Awaited<ReturnType<typeof sessionApplicants>>>;

function Back(props: { ctx: PageContext; href: string; label: string }) {
  return (
    <p>
      <a href={props.href}>{props.label}</a>
    </p>
  );
}

/** A session's applications for staff: status, convocation, attendance, mark; and the convocation form. */
export function SessionApplicantsPage(props: { ctx: PageContext; data: Applicants; form?: FormState; flash?: string; notice?: MessageKey }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const { session } = data;
  const form = props.form ?? emptyForm({ kind: 'test' });
  const base = `/personnel/sessions/${encodeURIComponent(session.code)}`;
  return (
    <Layout ctx={ctx} title={t('sel.applicants.title', { title: session.title })} flash={props.flash}>
      <Back ctx={ctx} href="/personnel" label={t('staff.title')} />
      <h1>{t('sel.applicants.title', { title: session.title })}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <p>{t('sel.applicants.summary', { school: session.schoolName, slots: session.slots.map((s) => slotText(t, s)).join(' ; '), capacity: session.capacity, taken: data.held })}</p>
      {data.may.select ? (
        <p>
          <a href={`${base}/selection`}>{t('sel.link')}</a>
        </p>
      ) : null}
      {data.applicants.length === 0 ? <p>{t('sel.applicants.none')}</p> : null}
      {data.applicants.length ? (
        <Table
          id="applicants"
          caption={t('sel.applicants.title', { title: session.title })}
          captionHidden
          rows={data.applicants}
          columns={[
            { label: t('sel.col.name'), cell: (a) => <a href={`/personnel/candidatures/${a.application.id}`}>{a.name || a.application.id}</a> },
            {
              label: t('sel.col.status'),
              cell: (a) => (
                <>
                  {t(k(`apps.status.${a.application.status}`))}
                  {a.application.waitingRank ? ` (${a.application.waitingRank})` : ''}
                </>
              ),
            },
            { label: t('sel.col.convocation'), cell: (a) => (a.convocation ? t.date(a.convocation.at, 'datetime') : '—') },
            {
              label: t('sel.col.attendance'),
              cell: (a) => (a.convocation ? t(a.convocation.attendance ? k(`sel.attendance.${a.convocation.attendance}`) : 'sel.attendance.none') : '—'),
            },
            session.admissionEvaluation && { label: t('sel.col.evaluation'), cell: (a) => a.mark ?? '—' },
          ]}
        />
      ) : null}
      {data.may.convoke ? (
        <section aria-labelledby="convoquer">
          <h2 id="convoquer">{t('sel.convoke.title')}</h2>
          <p>{t('sel.convoke.intro', { count: data.may.toConvoke })}</p>
          <ErrorSummary t={t} form={form} labels={{ kind: t('sel.convoke.kind'), date: t('sel.convoke.date'), time: t('sel.convoke.time'), place: t('sel.convoke.place'), minutes: t('sel.convoke.minutes') }} />
          <form method="post" action={`${base}/convocations`} novalidate>
            <Csrf ctx={ctx} />
            <Radios t={t} form={form} name="kind" legend={t('sel.convoke.kind')} options={convocationKinds.map((c) => ({ value: c, label: t(k(`sel.kindLabel.${c}`)) }))} inline required />
            <TextField t={t} form={form} name="date" label={t('sel.convoke.date')} hint={t('sel.convoke.dateHint')} width="short" required />
            <TextField t={t} form={form} name="time" label={t('sel.convoke.time')} hint={t('sel.convoke.timeHint')} width="short" required />
            <TextField t={t} form={form} name="place" label={t('sel.convoke.place')} maxLength={300} required />
            <TextField t={t} form={form} name="minutes" label={t('sel.convoke.minutes')} hint={t('sel.convoke.minutesHint')} width="short" inputMode="numeric" />
            <SubmitButton>{t('sel.convoke.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export type SheetForm = 'attendance' | 'evaluation' | 'adjustment' | 'prerequisites' | 'change' | 'move';

/** One applicant for staff: the facts ranking uses, and the forms the person's role may use. */
export function ApplicantPage(props: {
  ctx: PageContext;
  sheet: ApplicantSheet;
  forms?: Partial<Record<SheetForm, FormState>>;
  notice?: MessageKey;
  flash?: string;
}) {
  const { ctx, sheet } = props;
  const t = ctx.t;
  const { application, session } = sheet;
  const can = (action: Parameters<typeof sheet.actions.has>[0]) => sheet.actions.has(action);
  const action = (path: string) => `/personnel/candidatures/${application.id}/${path}`;
  const form = (name: SheetForm, initial: Record<string, string> = {}) => props.forms?.[name] ?? emptyForm(initial);
  const targets = [...sheet.targets.day.map((s) => ({ s, motif: 'moved_day' })), ...sheet.targets.level.map((s) => ({ s, motif: 'moved_level' }))];
  const title = t('sel.sheet.title', { name: sheet.name });
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <Back ctx={ctx} href={`/personnel/sessions/${encodeURIComponent(session.code)}`} label={t('sel.applicants.title', { title: session.title })} />
      <h1>{title}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <dl class="summary">
        <dt>{t('sel.sheet.session')}</dt>
        <dd>
          {session.title} — {session.schoolName}, {session.slots.map((s) => slotText(t, s)).join(' ; ')} ({session.code})
        </dd>
        <dt>{t('sel.sheet.status')}</dt>
        <dd>
          {t(k(`apps.status.${application.status}`))}
          {application.waitingRank ? ` (${application.waitingRank})` : ''}
        </dd>
        {application.assistedBy ? (
          <>
            <dt>{t('sel.sheet.assisted')}</dt>
            <dd>{t('sel.sheet.assistedBy', { name: sheet.assistedByName ?? '—' })}</dd>
          </>
        ) : null}
        <dt>{t('sel.sheet.situation')}</dt>
        <dd>{application.situation ? t(k(`apps.situation.${application.situation}`)) : '—'}</dd>
        <dt>{t('sel.sheet.objective')}</dt>
        <dd>{application.objective ? t(k(`apps.objective.${application.objective}`)) : '—'}</dd>
        <dt>{t('sel.sheet.motivations')}</dt>
        <dd class="prewrap">{application.motivations ?? '—'}</dd>
        {sheet.convocation ? (
          <>
            <dt>{t('sel.col.convocation')}</dt>
            <dd>
              {t('sel.sheet.convocation', { kind: t(k(`sel.kindLabel.${sheet.convocation.kind}`)), date: t.date(sheet.convocation.at, 'datetime'), place: sheet.convocation.place })}
              {sheet.convocation.attendance ? ` — ${t(k(`sel.attendance.${sheet.convocation.attendance}`))}` : ''}
            </dd>
          </>
        ) : null}
        {sheet.evaluation ? (
          <>
            <dt>{t('sel.col.evaluation')}</dt>
            <dd>{sheet.evaluation.mark}</dd>
          </>
        ) : null}
        {sheet.adjustment ? (
          <>
            <dt>{t('sel.sheet.adjust')}</dt>
            <dd>{t('sel.sheet.adjusted', { points: sheet.adjustment.points, reason: sheet.adjustment.reason })}</dd>
            {sheet.adjustment.publicReason ? <dd>{t('sel.sheet.adjustedPublic', { reason: t(k(`sel.publicReason.${sheet.adjustment.publicReason}`)) })}</dd> : null}
          </>
        ) : null}
        {application.status === 'refused' && sheet.prerequisitesRefused ? (
          <>
            <dt>{t('sel.sheet.refusalReason')}</dt>
            <dd class="prewrap">{sheet.prerequisitesRefused.automatic ? t('sel.sheet.automatic', { reason: sheet.prerequisitesRefused.reason }) : sheet.prerequisitesRefused.reason}</dd>
          </>
        ) : null}
      </dl>

      {can('attendAbsent') ? (
        <section aria-labelledby="presence">
          <h2 id="presence">{t('sel.sheet.attendance')}</h2>
          <form method="post" action={action('presence')} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              t={t}
              form={form('attendance')}
              name="attendance"
              legend={t('sel.sheet.attendance')}
              options={attendances.map((v) => ({ value: v, label: t(k(`sel.attendance.${v}`)) }))}
              required
            />
            <SubmitButton>{t('sel.sheet.attendanceSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      {can('mark') ? (
        <section aria-labelledby="evaluation">
          <h2 id="evaluation">{t('sel.sheet.evaluation')}</h2>
          <ErrorSummary t={t} form={form('evaluation')} labels={{ mark: t('sel.sheet.evaluation') }} />
          <form method="post" action={action('evaluation')} novalidate>
            <Csrf ctx={ctx} />
            <TextField t={t} form={form('evaluation', sheet.evaluation ? { mark: String(sheet.evaluation.mark) } : {})} name="mark" label={t('sel.sheet.evaluation')} inputMode="text" width="short" required />
            <SubmitButton>{t('sel.sheet.evaluationSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      {can('adjust') ? (
        <section aria-labelledby="ajustement">
          <h2 id="ajustement">{t('sel.sheet.adjust')}</h2>
          <ErrorSummary t={t} form={form('adjustment')} labels={{ points: t('sel.sheet.adjustPoints'), publicReason: t('sel.sheet.adjustPublicReason'), reason: t('sel.sheet.adjustReason') }} />
          <form method="post" action={action('ajustement')} novalidate>
            <Csrf ctx={ctx} />
            <TextField t={t} form={form('adjustment')} name="points" label={t('sel.sheet.adjustPoints')} width="short" required />
            {/* SEL-12: the learner reads this reason; staff's own words stay in the log. */}
            <Radios
              t={t}
              form={form('adjustment')}
              name="publicReason"
              legend={t('sel.sheet.adjustPublicReason')}
              options={publicAdjustmentReasons.map((v) => ({ value: v, label: t(k(`sel.publicReason.${v}`)) }))}
              required
            />
            <TextArea t={t} form={form('adjustment')} name="reason" label={t('sel.sheet.adjustReason')} rows={3} required />
            <SubmitButton>{t('sel.sheet.adjustSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      {can('prerequisites') ? (
        <section aria-labelledby="prerequis">
          <h2 id="prerequis">{t('sel.sheet.prerequisites')}</h2>
          {sheet.previousLevel ? (
            <p>
              {t('sel.sheet.previousLevel', {
                title: sheet.previousLevel.title,
                certificate: t(sheet.previousLevel.facts?.certificate ? 'sel.sheet.previousCertificate' : 'sel.sheet.previousNoCertificate'),
                attendance: sheet.previousLevel.facts?.attendancePercent != null ? `${sheet.previousLevel.facts.attendancePercent} %` : t('sel.sheet.previousUnknown'),
              })}
            </p>
          ) : null}
          <p>
            {sheet.prerequisitesRefused
              ? t('sel.sheet.prerequisitesRefused', { reason: sheet.prerequisitesRefused.automatic ? t('sel.sheet.automatic', { reason: sheet.prerequisitesRefused.reason }) : sheet.prerequisitesRefused.reason })
              : sheet.repeatLimit
                ? t('sel.sheet.prerequisitesRefused', { reason: t('sel.sheet.automatic', { reason: t('cert.error.repeatLimit') }) })
                : sheet.previousLevel?.override
                  ? t('sel.sheet.prerequisitesOverridden', { reason: sheet.previousLevel.override.reason })
                  : sheet.previousLevel && !sheet.previousLevel.met
                    ? t('sel.sheet.prerequisitesAutoMissing')
                    : t('sel.sheet.prerequisitesMet')}
          </p>
          <ErrorSummary t={t} form={form('prerequisites')} labels={{ met: t('sel.sheet.prerequisites'), reason: t('sel.sheet.prerequisitesReason') }} />
          <form method="post" action={action('prerequis')} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              t={t}
              form={form('prerequisites', { met: sheet.prerequisitesRefused || (sheet.previousLevel && !sheet.previousLevel.met && !sheet.previousLevel.override) ? 'no' : 'yes', reason: sheet.prerequisitesRefused?.reason ?? sheet.previousLevel?.override?.reason ?? '' })}
              name="met"
              legend={t('sel.sheet.prerequisites')}
              options={[
                { value: 'yes', label: t('sel.sheet.prerequisitesYes') },
                { value: 'no', label: t('sel.sheet.prerequisitesNo') },
              ]}
              required
            />
            <TextArea t={t} form={form('prerequisites', { reason: sheet.prerequisitesRefused?.reason ?? sheet.previousLevel?.override?.reason ?? '' })} name="reason" label={t('sel.sheet.prerequisitesReason')} hint={t('sel.sheet.prerequisitesReasonHint')} rows={2} />
            <SubmitButton>{t('sel.sheet.prerequisitesSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      {sheet.changeRequest ? (
        <section aria-labelledby="demande">
          <h2 id="demande">{t('sel.sheet.change')}</h2>
          <p>{t('sel.sheet.changeOpen', { date: t.date(sheet.changeRequest.recordedAt, 'datetime'), note: sheet.changeRequest.note })}</p>
          {can('declineChange') ? (
            <form method="post" action={action('demande/refuser')}>
              <Csrf ctx={ctx} />
              <SubmitButton secondary>{t('sel.sheet.changeDecline')}</SubmitButton>
            </form>
          ) : null}
        </section>
      ) : can('requestChange') ? (
        <section aria-labelledby="demande">
          <h2 id="demande">{t('sel.sheet.change')}</h2>
          <ErrorSummary t={t} form={form('change')} labels={{ note: t('sel.sheet.changeNote') }} />
          <form method="post" action={action('demande')} novalidate>
            <Csrf ctx={ctx} />
            <TextArea t={t} form={form('change')} name="note" label={t('sel.sheet.changeNote')} rows={3} required />
            <SubmitButton>{t('sel.sheet.changeSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      {can('moveLevel') || can('moveDay') ? (
        <section aria-labelledby="deplacer">
          <h2 id="deplacer">{t('sel.sheet.move')}</h2>
          {targets.length === 0 ? (
            <p>{t('sel.sheet.moveNone')}</p>
          ) : (
            <>
              <ErrorSummary t={t} form={form('move')} labels={{ motif: t('sel.sheet.moveReason'), session: t('sel.sheet.moveSession') }} />
              <form method="post" action={action('deplacer')} novalidate>
                <Csrf ctx={ctx} />
                <Radios
                  t={t}
                  form={form('move', { motif: sheet.changeRequest ? 'moved_day' : sheet.targets.level.length ? 'moved_level' : 'moved_day' })}
                  name="motif"
                  legend={t('sel.sheet.moveReason')}
                  options={[
                    { value: 'moved_day', label: t('apps.reason.day') },
                    { value: 'moved_level', label: t('apps.reason.level') },
                  ]}
                  required
                />
                <Select
                  t={t}
                  form={form('move')}
                  name="session"
                  label={t('sel.sheet.moveSession')}
                  placeholder="—"
                  required
                  options={targets.map(({ s }) => ({
                    value: s.code,
                    label: t('sel.sheet.target', { code: s.code, title: s.title, school: s.schoolName, slots: s.slots.map((x) => slotText(t, x)).join(' ; '), free: s.free }),
                  }))}
                />
                <SubmitButton>{t('sel.sheet.moveSubmit')}</SubmitButton>
              </form>
            </>
          )}
        </section>
      ) : null}

      <ProofSheetSection ctx={ctx} applicationId={application.id} proof={sheet.proof} mayDecide={can('decideProof')} />

      <section aria-labelledby="historique">
        <h2 id="historique">{t('sel.sheet.history')}</h2>
        <ul>
          {sheet.events.map((e) => (
            <li>
              {t('apps.event', {
                date: t.date(e.at, 'datetime'),
                status: e.details?.assisted ? t('sel.sheet.eventAssisted', { status: t(k(`apps.status.${e.toStatus}`)) }) : t(k(`apps.status.${e.toStatus}`)),
              })}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
