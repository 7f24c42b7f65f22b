import { attendanceMarks } from '../../../domain/vocabulary';
import { parisWallTime } from '../../../platform/clock';
import type { MessageKey, Params, Translator } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Select, SubmitButton, Table, TextArea } from '../../../ui/components';
import { emptyForm, type FieldError, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { markField, missedField, seenField, takesMinutes } from '../registers.schema';
import type { MeetingLine, MeetingsPage, RegisterConflict, RegisterLearner, RegisterPage } from '../registers.service';

const k = (key: string) => key as MessageKey;
const sessionPath = (code: string) => `/personnel/sessions/${encodeURIComponent(code)}/registres`;
export const registerPaths = { meetings: sessionPath, meeting: (code: string, id: number) => `${sessionPath(code)}/${id}`, cancel: (code: string) => `${sessionPath(code)}/annuler` };

/** 120 → "2 h", 90 → "1 h 30". */
function lengthText(t: Translator, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? t('att.meetings.minutes', { hours, minutes: String(rest).padStart(2, '0') }) : t('att.meetings.hours', { hours });
}
const timeText = (at: Date) => {
  const w = parisWallTime(at.getTime());
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};
const percentText = (t: Translator, value: number | null) => (value === null ? t('att.register.noPercent') : t('att.register.percent', { value }));

function Warning(props: { text: string }) {
  return (
    <div class="notice notice-warning" role="alert">
      {props.text}
    </div>
  );
}

/** ATT-1: a session's meetings with their state, the link to each register, and the service's cancellation form. */
export function MeetingsListPage(props: { ctx: PageContext; data: MeetingsPage; form?: FormState; notice?: { message: MessageKey; params?: Params }; flash?: string }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const { session } = data;
  const title = t('att.meetings.title', { title: session.title });
  const form = props.form ?? emptyForm();
  const cancellable = data.meetings.filter((l) => l.state !== 'cancelled');
  const labels = { meeting: t('att.meetings.cancel.meeting'), reason: t('att.meetings.cancel.reason') };
  const stateText = (l: MeetingLine) => {
    const state = l.state === 'cancelled' ? t('att.meetings.state.cancelled', { reason: l.meeting.cancelReason ?? '' }) : t(k(`att.meetings.state.${l.state}`));
    return l.unscheduled ? `${state} — ${t('att.meetings.state.unscheduled')}` : state;
  };
  const unscheduled = data.meetings.filter((l) => l.unscheduled).length;
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/personnel">{t('att.meetings.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('att.meetings.intro', { title: session.title, code: session.code, school: session.schoolName })}</p>
      {props.notice ? <Warning text={t(props.notice.message, props.notice.params)} /> : null}
      {data.missing ? <Warning text={t.plural('att.meetings.missing', data.missing)} /> : null}
      {unscheduled ? <Warning text={t.plural('att.meetings.unscheduled', unscheduled)} /> : null}
      {data.meetings.length === 0 ? (
        <p>{t('att.meetings.none')}</p>
      ) : (
        <Table
          id="seances"
          caption={title}
          captionHidden
          rows={data.meetings}
          columns={[
            {
              label: t('att.meetings.col.date'),
              rowHeader: true,
              cell: (l) => (data.mayMark && l.state !== 'to_come' && l.state !== 'cancelled' ? <a href={registerPaths.meeting(session.code, l.meeting.id)}>{t.date(l.meeting.startsAt)}</a> : t.date(l.meeting.startsAt)),
            },
            { label: t('att.meetings.col.time'), cell: (l) => timeText(l.meeting.startsAt) },
            { label: t('att.meetings.col.length'), cell: (l) => lengthText(t, l.meeting.plannedMinutes) },
            { label: t('att.meetings.col.state'), cell: (l) => (l.state === 'missing' || l.unscheduled ? <strong>{stateText(l)}</strong> : stateText(l)) },
          ]}
        />
      )}
      {data.mayCancel && cancellable.length ? (
        <section aria-labelledby="annuler">
          <h2 id="annuler">{t('att.meetings.cancel.title')}</h2>
          <p>{t('att.meetings.cancel.intro')}</p>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={registerPaths.cancel(session.code)} novalidate>
            <Csrf ctx={ctx} />
            <Select
              t={t}
              form={form}
              name="meeting"
              label={labels.meeting}
              required
              options={cancellable.map((l) => ({ value: String(l.meeting.id), label: `${t.date(l.meeting.startsAt)} ${timeText(l.meeting.startsAt)}` }))}
            />
            <TextArea t={t} form={form} name="reason" label={labels.reason} hint={t('att.meetings.cancel.reasonHint')} maxLength={500} rows={3} required />
            <SubmitButton secondary>{t('att.meetings.cancel.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

function errorText(t: Translator, error: FieldError | undefined) {
  return error ? t(error.message, error.params) : undefined;
}

/** One learner's marks: a fieldset named by the learner, the five marks, the minutes missed. */
function LearnerMarks(props: { t: Translator; form: FormState; learner: RegisterLearner; plannedMinutes: number }) {
  const { t, form, learner } = props;
  const mark = markField(learner.applicationId);
  const missed = missedField(learner.applicationId);
  const hintId = `${mark}-hint`;
  const markError = form.errors[mark];
  const missedError = form.errors[missed];
  const current = form.values[mark];
  const described = [hintId, markError ? `${mark}-error` : null].filter(Boolean).join(' ');
  const entry = learner.current;
  // The entry this form shows (kept from what was sent when the form comes back with errors).
  const seen = form.values[seenField(learner.applicationId)] ?? String(entry?.entryId ?? 0);
  return (
    <fieldset class={`field register-learner${markError || missedError ? ' field-error' : ''}`} aria-describedby={described}>
      <legend>{learner.name}</legend>
      <input type="hidden" name={seenField(learner.applicationId)} value={seen} />
      <p class="hint" id={hintId}>
        {t('att.register.soFar', { soFar: percentText(t, learner.soFarPercent), reachable: percentText(t, learner.reachablePercent) })}{' '}
        {entry ? t('att.register.markedBy', { mark: t(k(`att.mark.${entry.mark}`)), name: entry.enteredByName, at: t.date(entry.enteredAt, 'datetime') }) : t('att.register.notMarked')}
      </p>
      {markError ? (
        <p class="error-message" id={`${mark}-error`}>
          {errorText(t, markError)}
        </p>
      ) : null}
      <div class="radios radios-inline">
        {attendanceMarks.map((value, i) => {
          const id = i === 0 ? mark : `${mark}-${value}`;
          return (
            <div class="radio" key={value}>
              <input type="radio" id={id} name={mark} value={value} checked={current === value} aria-invalid={markError ? 'true' : undefined} />
              <label for={id}>{t(k(`att.mark.${value}`))}</label>
            </div>
          );
        })}
      </div>
      <div class={`field register-minutes${missedError ? ' field-error' : ''}`}>
        <label for={missed}>{t('att.register.missed')}</label>
        <p class="hint" id={`${missed}-hint`}>
          {t('att.register.missedHint', { max: props.plannedMinutes })}
        </p>
        {missedError ? (
          <p class="error-message" id={`${missed}-error`}>
            {errorText(t, missedError)}
          </p>
        ) : null}
        <input
          type="text"
          inputMode="numeric"
          id={missed}
          name={missed}
          value={form.values[missed] ?? ''}
          class="input input-short"
          maxLength={5}
          autocomplete="off"
          aria-invalid={missedError ? 'true' : undefined}
          aria-describedby={[`${missed}-hint`, missedError ? `${missed}-error` : null].filter(Boolean).join(' ')}
        />
      </div>
    </fieldset>
  );
}

/** The marks as they stand: the current ones, or everyone present (the "everyone present" button). */
export function registerValues(data: RegisterPage, allPresent: boolean): Record<string, string> {
  const values: Record<string, string> = {};
  for (const l of data.learners) {
    if (allPresent) values[markField(l.applicationId)] = 'present';
    else if (l.current) {
      values[markField(l.applicationId)] = l.current.mark;
      if (takesMinutes(l.current.mark)) values[missedField(l.applicationId)] = String(l.current.minutesMissed);
    }
  }
  return values;
}

/** ATT-1: a conflict next to the learner's marks: the mark now recorded, by whom, when. */
function conflictErrors(t: Translator, conflicts: readonly RegisterConflict[]): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const c of conflicts) {
    const mark = takesMinutes(c.mark) ? t('att.register.conflict.markMinutes', { mark: t(k(`att.mark.${c.mark}`)), minutes: c.minutesMissed }) : t(k(`att.mark.${c.mark}`));
    errors[markField(c.applicationId)] = { message: 'att.register.conflict.field', params: { mark, name: c.enteredByName, at: t.date(c.enteredAt, 'datetime') } };
  }
  return errors;
}

/**
 * ATT-1: one meeting's register, usable on a phone and by keyboard alone, without JavaScript:
 * first "everyone present" (a link-like form that ticks "present" for all), then one fieldset
 * per learner, then the save. The hidden token makes a save count once; each learner's hidden
 * `seen_<id>` (the entry shown) keeps a form drawn earlier from overwriting a mark saved since.
 */
export function RegisterFormPage(props: {
  ctx: PageContext;
  data: RegisterPage;
  token: string;
  form?: FormState;
  notice?: { message: MessageKey; params?: Params };
  /** ATT-1: the learners someone else marked while this form was open (not written): told next to each. */
  conflicts?: RegisterConflict[];
  flash?: string;
}) {
  const { ctx, data } = props;
  const t = ctx.t;
  const { session, meeting } = data;
  const given = props.form ?? emptyForm();
  const form: FormState = props.conflicts?.length ? { values: given.values, errors: { ...given.errors, ...conflictErrors(t, props.conflicts) } } : given;
  const title = t('att.register.title', { date: t.date(meeting.startsAt) });
  const action = registerPaths.meeting(session.code, meeting.id);
  const labels: Record<string, string> = { _form: '' };
  for (const l of data.learners) {
    labels[markField(l.applicationId)] = l.name;
    labels[missedField(l.applicationId)] = `${l.name} — ${t('att.register.missed')}`;
  }
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href={registerPaths.meetings(session.code)}>{t('att.register.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('att.register.intro', { title: session.title, code: session.code, school: session.schoolName, length: lengthText(t, meeting.plannedMinutes), time: timeText(meeting.startsAt) })}</p>
      {props.notice ? <Warning text={t(props.notice.message, props.notice.params)} /> : null}
      <p>{data.lastSubmission ? t('att.register.lastSubmitted', { name: data.lastSubmission.name, at: t.date(data.lastSubmission.at, 'datetime') }) : t('att.register.neverSubmitted')}</p>
      {data.refusal === 'cancelled' ? (
        <Warning text={t('att.register.cancelled', { reason: meeting.cancelReason ?? '' })} />
      ) : data.refusal === 'not_started' ? (
        <Warning text={t('att.register.notStarted', { at: t.date(meeting.startsAt, 'datetime') })} />
      ) : data.learners.length === 0 ? (
        <p>{t('att.register.none')}</p>
      ) : (
        <>
          <p>{t('att.register.grace', { grace: data.graceMinutes })}</p>
          <form method="get" action={`${action}?tous=presents`}>
            <input type="hidden" name="tous" value="presents" />
            <p class="hint" id="tous-hint">
              {t('att.register.allPresentHint')}
            </p>
            <button type="submit" class="button button-secondary" aria-describedby="tous-hint">
              {t('att.register.allPresent')}
            </button>
          </form>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={action} novalidate>
            <Csrf ctx={ctx} />
            <input type="hidden" name="token" value={props.token} />
            <input type="hidden" name="learners" value={data.learners.map((l) => l.applicationId).join(' ')} />
            {data.learners.map((l) => (
              <LearnerMarks t={t} form={form} learner={l} plannedMinutes={meeting.plannedMinutes} />
            ))}
            <SubmitButton>{t('att.register.submit')}</SubmitButton>
          </form>
        </>
      )}
    </Layout>
  );
}
