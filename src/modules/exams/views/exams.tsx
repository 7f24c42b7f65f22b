import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, FileField, Radios, Select, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { ContactFields, contactLabels } from '../../accounts';
import type { School } from '../../catalogue';
import { formatTenths } from '../exams.rules';
import { markField, type LearnerExam, type MarksLine, type SessionRow } from '../exams.service';
import type { MoveOutcome } from '../moving.service';
import type { ExamRequest, StaffRequestView } from '../requests.service';
import { centreReasons, type RequestKind } from '../exams.table';
import { REQUEST_FILE_FIELD } from '../exams.schema';

const k = (key: string) => key as MessageKey;
const centreOptions = (centres: readonly School[]) => centres.map((c) => ({ value: c.code, label: c.name }));

function ResultText(props: { ctx: PageContext; result: { markTenths: number | null; absent: boolean; passed: boolean } }) {
  const { t } = props.ctx;
  const r = props.result;
  if (r.absent) return <>{t('exams.result.absent')}</>;
  return <>{t(r.passed ? 'exams.result.passed' : 'exams.result.failed', { mark: formatTenths(r.markTenths!) })}</>;
}

// ---------------------------------------------------------------- staff

/** CRED-3: the exam sessions in the staff member's scope, and the form to create one (coordinators, administrators). */
export function StaffExamsPage(props: { ctx: PageContext; rows: SessionRow[]; centres: School[]; form: FormState; mayCreate: boolean; mayDecide: boolean; flash?: string }) {
  const { ctx, rows, form } = props;
  const { t } = ctx;
  const labels = { unit: t('exams.field.unit'), number: t('exams.field.number'), held_on: t('exams.field.held_on'), centre: t('exams.field.centre') };
  return (
    <Layout ctx={ctx} title={t('exams.staff.title')} flash={props.flash}>
      <h1>{t('exams.staff.title')}</h1>
      <p>{t('exams.staff.intro')}</p>
      {props.mayDecide ? (
        <p>
          <a href="/personnel/examens/demandes">{t('exams.staff.requestsLink')}</a>
        </p>
      ) : null}
      {rows.length ? (
        <Table
          id="examens"
          caption={t('exams.staff.sessions')}
          rows={rows}
          columns={[
            { label: t('exams.field.unit'), rowHeader: true, cell: (r) => <a href={`/personnel/examens/${r.session.id}`}>{r.unit ? `${r.unit.code} – ${r.unit.title}` : '—'}</a> },
            { label: t('exams.field.number'), cell: (r) => t('exams.session.number', { number: r.session.number }) },
            { label: t('exams.field.held_on'), cell: (r) => t.date(r.session.heldOn) },
            { label: t('exams.field.centre'), cell: (r) => r.centre?.name ?? '—' },
            { label: t('exams.staff.registered'), cell: (r) => t('exams.staff.marked', { marked: r.marked, registered: r.registered }) },
            { label: t('exams.staff.status'), cell: (r) => (r.session.publishedAt ? t('exams.staff.published') : t('exams.staff.notPublished')) },
          ]}
        />
      ) : (
        <p>{t('exams.staff.none')}</p>
      )}
      {props.mayCreate ? (
        <section aria-labelledby="nouvelle-session">
          <h2 id="nouvelle-session">{t('exams.staff.new')}</h2>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action="/personnel/examens" novalidate>
            <Csrf ctx={ctx} />
            <TextField t={t} form={form} name="unit" label={labels.unit} hint={t('exams.hint.unit')} width="short" required maxLength={30} />
            <Radios t={t} form={form} name="number" legend={labels.number} options={[1, 2].map((n) => ({ value: String(n), label: t('exams.session.number', { number: n }) }))} inline required />
            <TextField t={t} form={form} name="held_on" type="date" label={labels.held_on} hint={t('exams.hint.held_on')} width="medium" required />
            <Select t={t} form={form} name="centre" label={labels.centre} options={centreOptions(props.centres)} placeholder={t('exams.field.chooseCentre')} required />
            <SubmitButton>{t('exams.staff.create')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** CRED-3: an exam session's marks, one field per registered learner; the results published from here. */
export function MarksPage(props: {
  ctx: PageContext;
  data: { session: { id: string; heldOn: string; number: number; publishedAt: Date | null }; unit?: { code: string; title: string }; centre?: School; lines: MarksLine[]; mayPublish: boolean };
  form?: FormState;
  notice?: { message: MessageKey; params?: Record<string, string | number> };
  flash?: string;
}) {
  const { ctx, data } = props;
  const { t } = ctx;
  const form = props.form ?? { values: Object.fromEntries(data.lines.map((l) => [markField(l.registration.id), l.typed])), errors: {} };
  const labels = Object.fromEntries(data.lines.map((l) => [markField(l.registration.id), t('exams.marks.fieldLabel', { name: l.name })]));
  const title = t('exams.marks.title', { unit: data.unit ? `${data.unit.code} – ${data.unit.title}` : '—', number: data.session.number });
  const published = data.session.publishedAt !== null;
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/personnel/examens">{t('exams.staff.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('exams.marks.where', { date: t.date(data.session.heldOn), centre: data.centre?.name ?? '—' })}</p>
      {props.notice ? (
        <div class="notice notice-warning" role="alert">
          {t(props.notice.message, props.notice.params)}
        </div>
      ) : null}
      {published ? <p class="notice notice-success">{t('exams.marks.publishedOn', { date: t.date(data.session.publishedAt!.toISOString().slice(0, 10)) })}</p> : null}
      {data.lines.length === 0 ? (
        <p>{t('exams.marks.none')}</p>
      ) : (
        <>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={`/personnel/examens/${data.session.id}`} novalidate>
            <Csrf ctx={ctx} />
            <p class="hint">{t('exams.hint.mark')}</p>
            {data.lines.map((l) => (
              <div class="group">
                <TextField
                  t={t}
                  form={published ? { ...form, errors: {} } : form}
                  name={markField(l.registration.id)}
                  label={labels[markField(l.registration.id)]}
                  hint={t('exams.marks.lineHint', { sitting: l.sittingCentre, record: l.centreOfRecord ?? t('exams.centre.none') })}
                  width="short"
                  inputMode="text"
                  maxLength={10}
                />
              </div>
            ))}
            {published ? null : <SubmitButton>{t('exams.marks.save')}</SubmitButton>}
          </form>
          {data.mayPublish && !published ? (
            <form method="post" action={`/personnel/examens/${data.session.id}/publier`}>
              <Csrf ctx={ctx} />
              <p>{t('exams.marks.publishHint')}</p>
              <SubmitButton secondary>{t('exams.marks.publish')}</SubmitButton>
            </form>
          ) : null}
        </>
      )}
    </Layout>
  );
}

/** CRED-3: the requests waiting for a decision in the staff member's scope. */
export function StaffRequestsPage(props: { ctx: PageContext; views: StaffRequestView[]; flash?: string }) {
  const { ctx, views } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('exams.requests.title')} flash={props.flash}>
      <p>
        <a href="/personnel/examens">{t('exams.staff.back')}</a>
      </p>
      <h1>{t('exams.requests.title')}</h1>
      {views.length ? (
        <Table
          id="demandes"
          caption={t('exams.requests.pending')}
          rows={views}
          columns={[
            { label: t('exams.requests.learner'), rowHeader: true, cell: (v) => <a href={`/personnel/examens/demandes/${v.request.id}`}>{v.learner}</a> },
            { label: t('exams.requests.kind'), cell: (v) => t(k(`exams.kind.${v.request.kind}`)) },
            { label: t('exams.field.unit'), cell: (v) => v.unit },
            { label: t('exams.field.held_on'), cell: (v) => t.date(v.heldOn) },
            { label: t('exams.requests.wished'), cell: (v) => v.wishedCentre ?? '—' },
          ]}
        />
      ) : (
        <p>{t('exams.requests.none')}</p>
      )}
    </Layout>
  );
}

/** CRED-3: one request, its proof and the decision form (approve, or refuse with a reason). */
export function StaffRequestPage(props: { ctx: PageContext; view: StaffRequestView; form: FormState; notice?: MessageKey }) {
  const { ctx, view, form } = props;
  const { t } = ctx;
  const r = view.request;
  const labels = { decision: t('exams.decide.decision'), reason: t('exams.decide.reason') };
  return (
    <Layout ctx={ctx} title={t('exams.requests.one', { learner: view.learner })}>
      <p>
        <a href="/personnel/examens/demandes">{t('exams.requests.back')}</a>
      </p>
      <h1>{t('exams.requests.one', { learner: view.learner })}</h1>
      {props.notice ? (
        <div class="notice notice-warning" role="alert">
          {t(props.notice)}
        </div>
      ) : null}
      <dl class="summary">
        <dt>{t('exams.requests.kind')}</dt>
        <dd>{t(k(`exams.kind.${r.kind}`))}</dd>
        <dt>{t('exams.field.unit')}</dt>
        <dd>{view.unit}</dd>
        <dt>{t('exams.field.held_on')}</dt>
        <dd>{t.date(view.heldOn)}</dd>
        <dt>{t('exams.requests.sitting')}</dt>
        <dd>{view.sittingCentre}</dd>
        <dt>{t('exams.requests.centreOfRecord')}</dt>
        <dd>{view.centreOfRecord ?? t('exams.centre.none')}</dd>
        {r.kind === 'another_centre' ? (
          <>
            <dt>{t('exams.field.reason')}</dt>
            <dd>{r.reason ? t(k(`exams.reason.${r.reason}`)) : '—'}</dd>
            <dt>{t('exams.requests.wished')}</dt>
            <dd>{view.wishedCentre ?? '—'}</dd>
          </>
        ) : null}
        {r.details ? (
          <>
            <dt>{t('exams.field.details')}</dt>
            <dd class="prewrap">{r.details}</dd>
          </>
        ) : null}
        <dt>{t('exams.field.file')}</dt>
        <dd>{view.file ? <a href={`/personnel/examens/demandes/${r.id}/fichier`}>{t('exams.requests.openFile', { name: view.file.originalName })}</a> : t('exams.requests.noFile')}</dd>
        <dt>{t('exams.requests.status')}</dt>
        <dd>
          {t(k(`exams.status.${r.status}`))}
          {r.decisionReason ? ` – ${r.decisionReason}` : ''}
        </dd>
      </dl>
      {r.status === 'pending' ? (
        <section aria-labelledby="decider">
          <h2 id="decider">{t('exams.decide.title')}</h2>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={`/personnel/examens/demandes/${r.id}`} novalidate>
            <Csrf ctx={ctx} />
            <Radios t={t} form={form} name="decision" legend={labels.decision} options={[{ value: 'approve', label: t('exams.decide.approve') }, { value: 'refuse', label: t('exams.decide.refuse') }]} required />
            <TextArea t={t} form={form} name="reason" label={labels.reason} hint={t('exams.hint.decisionReason')} maxLength={500} />
            <SubmitButton>{t('exams.decide.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

// ---------------------------------------------------------------- the learner

/** CRED-3: « Mes examens »: each exam session registered for, where, the results once published, the requests and the buttons to ask. */
export function LearnerExamsPage(props: { ctx: PageContext; exams: LearnerExam[]; requests: ExamRequest[]; centreOfRecord: string | null; flash?: string }) {
  const { ctx, exams } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('exams.learner.title')} flash={props.flash}>
      <p>
        <a href="/compte">{t('layout.account')}</a>
      </p>
      <h1>{t('exams.learner.title')}</h1>
      <p>{t('exams.learner.intro')}</p>
      <p>
        {t('exams.learner.centreOfRecord', { centre: props.centreOfRecord ?? t('exams.centre.none') })} <a href="/compte/demenagement">{t('exams.moving.link')}</a>
      </p>
      {exams.length === 0 ? <p>{t('exams.learner.none')}</p> : null}
      {exams.map((e) => {
        const id = `examen-${e.registration.id}`;
        const mine = props.requests.filter((r) => r.registrationId === e.registration.id);
        return (
          <section class="application" aria-labelledby={id}>
            <h2 id={id}>
              {e.unit ? `${e.unit.code} – ${e.unit.title}` : '—'} : {t('exams.session.number', { number: e.session.number })}
            </h2>
            <p>{t('exams.learner.when', { date: t.date(e.session.heldOn), centre: e.centre })}</p>
            {e.result ? (
              <p>
                <strong>
                  <ResultText ctx={ctx} result={e.result} />
                </strong>
                {e.result.passed ? ` ${t('exams.learner.creditsFollow', { credits: e.unit?.credits ?? 0 })}` : ''}
              </p>
            ) : (
              <p>{t('exams.learner.noResult')}</p>
            )}
            {mine.length ? (
              <ul>
                {mine.map((r) => (
                  <li>
                    {t(k(`exams.kind.${r.kind}`))} : {t(k(`exams.status.${r.status}`))}
                    {r.decisionReason ? ` – ${r.decisionReason}` : ''}
                  </li>
                ))}
              </ul>
            ) : null}
            {e.upcoming ? (
              <p>
                <a href={`/compte/examens/${e.registration.id}/demande?type=another_centre`}>{t('exams.learner.askCentre')}</a>
                {' · '}
                <a href={`/compte/examens/${e.registration.id}/demande?type=accommodations`}>{t('exams.learner.askAccommodations')}</a>
              </p>
            ) : null}
          </section>
        );
      })}
    </Layout>
  );
}

/** CRED-3: the learner's request form: another centre (reason, centre, proof) or accommodations (what, an optional proof). */
export function RequestFormPage(props: { ctx: PageContext; exam: LearnerExam; kind: RequestKind; centres: School[]; form: FormState; maxMegabytes: number }) {
  const { ctx, exam, kind, form } = props;
  const { t } = ctx;
  const another = kind === 'another_centre';
  const labels = { kind: t('exams.requests.kind'), reason: t('exams.field.reason'), centre: t('exams.field.wishedCentre'), details: t('exams.field.details'), file: t('exams.field.file') };
  const title = t(another ? 'exams.ask.centreTitle' : 'exams.ask.accommodationsTitle');
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/compte/examens">{t('exams.learner.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('exams.learner.when', { date: t.date(exam.session.heldOn), centre: exam.centre })}</p>
      <p>{t(another ? 'exams.ask.centreIntro' : 'exams.ask.accommodationsIntro')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action={`/compte/examens/${exam.registration.id}/demande`} enctype="multipart/form-data" novalidate>
        <Csrf ctx={ctx} />
        <input type="hidden" name="kind" value={kind} />
        {form.errors.kind ? (
          <div class="notice notice-warning" role="alert" id="kind">
            {t(form.errors.kind.message, form.errors.kind.params)}
          </div>
        ) : null}
        {another ? (
          <>
            <Radios t={t} form={form} name="reason" legend={labels.reason} options={centreReasons.map((r) => ({ value: r, label: t(k(`exams.reason.${r}`)) }))} required />
            <Select t={t} form={form} name="centre" label={labels.centre} options={centreOptions(props.centres)} placeholder={t('exams.field.chooseCentre')} required />
          </>
        ) : (
          <TextArea t={t} form={form} name="details" label={labels.details} hint={t('exams.hint.details')} required maxLength={2000} />
        )}
        <FileField t={t} form={form} name={REQUEST_FILE_FIELD} label={labels.file} hint={t('exams.hint.file', { max: props.maxMegabytes })} accept="application/pdf,image/jpeg,image/png" required={another} />
        <SubmitButton>{t('exams.ask.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** Moving: « Je déménage »: the new address and the new centre in one form. */
export function MovingPage(props: { ctx: PageContext; form: FormState; centres: School[] }) {
  const { ctx, form } = props;
  const { t } = ctx;
  const labels = { ...contactLabels(t), centre: t('exams.field.newCentre') };
  return (
    <Layout ctx={ctx} title={t('exams.moving.title')}>
      <p>
        <a href="/compte">{t('layout.account')}</a>
      </p>
      <h1>{t('exams.moving.title')}</h1>
      <p>{t('exams.moving.intro')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action="/compte/demenagement" novalidate>
        <Csrf ctx={ctx} />
        <ContactFields t={t} form={form} />
        <Select t={t} form={form} name="centre" label={labels.centre} hint={t('exams.hint.newCentre')} options={centreOptions(props.centres)} placeholder={t('exams.field.chooseCentre')} required />
        <SubmitButton>{t('exams.moving.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** Moving: the confirmation: the new centre, the units and credits that follow, the exams moved or to ask for. */
export function MovedPage(props: { ctx: PageContext; outcome: MoveOutcome }) {
  const { ctx, outcome } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('exams.moved.title')}>
      <p>
        <a href="/compte">{t('layout.account')}</a>
      </p>
      <h1>{t('exams.moved.title')}</h1>
      <p class="notice notice-success" role="status">
        {t('exams.moved.centre', { centre: outcome.centre })}
      </p>
      <h2>{t('exams.moved.unitsTitle')}</h2>
      <p>{t('exams.moved.unitsFollow', { credits: outcome.credits })}</p>
      {outcome.earned.length ? (
        <ul>
          {outcome.earned.map((e) => (
            <li>{t('exams.moved.unit', { unit: e.unit, credits: e.credits })}</li>
          ))}
        </ul>
      ) : null}
      <h2>{t('exams.moved.examsTitle')}</h2>
      {outcome.moved.length === 0 && outcome.notHeld.length === 0 ? <p>{t('exams.moved.noExam')}</p> : null}
      {outcome.moved.length ? (
        <ul>
          {outcome.moved.map((m) => (
            <li>{t('exams.moved.examMoved', { unit: m.unit, date: t.date(m.heldOn), centre: outcome.centre })}</li>
          ))}
        </ul>
      ) : null}
      {outcome.notHeld.length ? (
        <>
          <p>{t('exams.moved.notHeld')}</p>
          <ul>
            {outcome.notHeld.map((m) => (
              <li>
                {t('exams.moved.examStays', { unit: m.unit, date: t.date(m.heldOn), centre: m.centre })}{' '}
                <a href={`/compte/examens/${m.registrationId}/demande?type=another_centre&motif=move`}>{t('exams.learner.askCentre')}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href="/compte/examens">{t('exams.learner.title')}</a> · <a href="/compte/cursus">{t('prog.learner.title')}</a>
      </p>
    </Layout>
  );
}
