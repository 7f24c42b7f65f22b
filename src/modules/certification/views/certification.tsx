import type { ComponentChildren } from 'preact';
import type { MessageKey, Params } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Notice, Radios, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { MAX_SCORE } from '../certification.rules';
import { resultFields, type CertificatesPage, type EvaluationPage } from '../certification.service';
import type { Exemption, LearnerRequests, MarksRequest, StaffRow } from '../requests.service';

/**
 * The certification pages (CERT-1, CERT-2, CERT-4, CERT-5): staff's evaluation page of a session,
 * the list of certificates of skills, the exemptions and the requests for marks; the learner's
 * pages of exemption and marks. The services decide what each offers; the views show it.
 */

export type Warning = { message: MessageKey; params?: Params };

function WarningNotice(props: { ctx: PageContext; notice?: Warning }) {
  if (!props.notice) return null;
  return (
    <div class="notice notice-warning" role="alert">
      {props.ctx.t(props.notice.message, props.notice.params)}
    </div>
  );
}

const outcomeKey = { passed: 'cert.outcome.passed', failed: 'cert.outcome.failed', absent: 'cert.outcome.absent' } as const;

/** CERT-1: the test's date (fixed once) and the results form. */
export function EvaluationView(props: { ctx: PageContext; page: EvaluationPage; dateForm?: FormState; resultsForm?: FormState; notice?: Warning; flash?: string }) {
  const { ctx, page } = props;
  const t = ctx.t;
  const s = page.session;
  const title = t('cert.eval.title', { code: s.code });
  const dateForm = props.dateForm ?? emptyForm();
  const resultsForm = props.resultsForm ?? emptyForm(Object.fromEntries(page.learners.flatMap((l) => (l.result ? [[resultFields(l.application.id).outcome, l.result.outcome], [resultFields(l.application.id).score, l.result.score === null ? '' : String(l.result.score)]] : []))));
  const labels: Record<string, string> = {};
  for (const l of page.learners) {
    const f = resultFields(l.application.id);
    labels[f.outcome] = t('cert.eval.outcomeOf', { name: l.name });
    labels[f.score] = t('cert.eval.scoreOf', { name: l.name });
  }
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href={`/personnel/sessions/${s.code}`}>{t('cert.eval.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{s.title}</p>
      <WarningNotice ctx={ctx} notice={props.notice} />
      {!s.hasEvaluation ? (
        <Notice t={t} message="cert.test.noEvaluation" />
      ) : (
        <>
          <section aria-labelledby="test-date">
            <h2 id="test-date">{t('cert.eval.dateHeading')}</h2>
            {page.fixed ? (
              <p>{t('cert.eval.fixed', { date: t.date(page.fixed.testAt, 'datetime') })}</p>
            ) : (
              <p>{page.testAt ? t('cert.eval.defaultDate', { date: t.date(page.testAt, 'datetime') }) : t('cert.eval.noDate')}</p>
            )}
            {page.mayFix ? (
              <form method="post" action={`/personnel/sessions/${s.code}/evaluation/date`} novalidate>
                <Csrf ctx={ctx} />
                <ErrorSummary t={t} form={dateForm} labels={{ day: t('cert.eval.day'), time: t('cert.eval.time') }} />
                <p class="hint">{t('cert.eval.fixOnce')}</p>
                <TextField t={t} form={dateForm} name="day" type="date" label={t('cert.eval.day')} required width="medium" />
                <TextField t={t} form={dateForm} name="time" label={t('cert.eval.time')} hint={t('cert.eval.timeHint')} required width="short" inputMode="numeric" />
                <SubmitButton>{t('cert.eval.fix')}</SubmitButton>
              </form>
            ) : null}
          </section>
          <section aria-labelledby="results">
            <h2 id="results">{t('cert.eval.resultsHeading')}</h2>
            {!page.testHeld ? <p>{t('cert.eval.notYet')}</p> : null}
            {page.learners.length === 0 ? <p>{t('cert.eval.nobody')}</p> : null}
            {page.mayEnter && page.learners.length ? (
              <form method="post" action={`/personnel/sessions/${s.code}/evaluation/resultats`} novalidate>
                <Csrf ctx={ctx} />
                <ErrorSummary t={t} form={resultsForm} labels={labels} />
                <p class="hint">{t('cert.eval.resultsHint', { max: MAX_SCORE })}</p>
                {page.learners.map((l) => {
                  const f = resultFields(l.application.id);
                  return (
                    <fieldset class="field-group" key={l.application.id}>
                      <legend>{l.name}</legend>
                      <Radios
                        t={t}
                        form={resultsForm}
                        name={f.outcome}
                        legend={t('cert.eval.outcome')}
                        inline
                        options={(['passed', 'failed', 'absent'] as const).map((o) => ({ value: o, label: t(outcomeKey[o]) }))}
                      />
                      <TextField t={t} form={resultsForm} name={f.score} label={t('cert.eval.score', { max: MAX_SCORE })} width="short" inputMode="numeric" />
                    </fieldset>
                  );
                })}
                <SubmitButton>{t('cert.eval.save')}</SubmitButton>
              </form>
            ) : (
              <Table
                id="resultats"
                caption={t('cert.eval.resultsHeading')}
                captionHidden
                columns={[
                  { label: t('cert.col.learner'), rowHeader: true, cell: (l) => l.name },
                  { label: t('cert.eval.outcome'), cell: (l) => (l.result ? t(outcomeKey[l.result.outcome]) : '—') },
                  { label: t('cert.eval.score', { max: MAX_SCORE }), cell: (l) => (l.result?.score ?? '—') },
                ]}
                rows={page.learners}
              />
            )}
          </section>
        </>
      )}
    </Layout>
  );
}

/** CERT-2: certificates of skills due and late, and the sessions held back. */
export function CertificatesView(props: { ctx: PageContext; page: CertificatesPage; flash?: string; notice?: Warning }) {
  const { ctx, page } = props;
  const t = ctx.t;
  const title = t('cert.list.title');
  const late = page.due.filter((d) => d.late);
  const due = page.due.filter((d) => !d.late);
  const table = (id: string, caption: string, rows: CertificatesPage['due']) =>
    rows.length ? (
      <Table
        id={id}
        caption={caption}
        columns={[
          { label: t('cert.col.learner'), rowHeader: true, cell: (r) => r.name },
          { label: t('cert.col.session'), cell: (r) => `${r.session.code} — ${r.session.title}` },
          { label: t('cert.col.dueOn'), cell: (r) => t.date(r.outcome.certificateDueOn!, 'date') },
          {
            label: t('cert.col.action'),
            labelHidden: true,
            cell: (r) => (
              <form method="post" action={`/personnel/certificats/${r.outcome.applicationId}/delivrer`}>
                <Csrf ctx={ctx} />
                <button type="submit" class="button button-secondary">
                  {t('cert.list.issue')}
                  <span class="visually-hidden"> — {r.name}</span>
                </button>
              </form>
            ),
          },
        ]}
        rows={rows}
      />
    ) : (
      <p>{t('cert.list.none')}</p>
    );
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <h1>{title}</h1>
      <WarningNotice ctx={ctx} notice={props.notice} />
      <p>{t('cert.list.intro')}</p>
      <h2>{t('cert.list.late', { count: late.length })}</h2>
      {table('late', t('cert.list.late', { count: late.length }), late)}
      <h2>{t('cert.list.due', { count: due.length })}</h2>
      {table('due', t('cert.list.due', { count: due.length }), due)}
      <h2>{t('cert.list.heldBack')}</h2>
      {page.heldBack.length ? (
        <ul>
          {page.heldBack.map((h) => (
            <li key={h.session.id}>
              <a href={`/personnel/sessions/${h.session.code}/evaluation`}>{`${h.session.code} — ${h.session.title}`}</a>
              {' : '}
              {t('cert.list.missing', { registers: h.missingRegisters, results: h.missingResults })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('cert.list.noneHeld')}</p>
      )}
    </Layout>
  );
}

const exemptionKey = { pending: 'cert.exemption.pending', granted: 'cert.exemption.granted', refused: 'cert.exemption.refused' } as const;

/** The staff's list of learners' requests (CERT-4, CERT-5): one section per request, its heading the learner and the session. */
function RequestsPage<R extends StaffRow<unknown>>(props: {
  ctx: PageContext;
  title: string;
  none: string;
  rows: R[];
  id: (row: R) => string;
  body: (row: R) => ComponentChildren;
  flash?: string;
  notice?: Warning;
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title} flash={props.flash}>
      <h1>{props.title}</h1>
      <WarningNotice ctx={ctx} notice={props.notice} />
      {props.rows.length === 0 ? <p>{props.none}</p> : null}
      {props.rows.map((r) => (
        <section key={props.id(r)} aria-labelledby={`r-${props.id(r)}`}>
          <h2 id={`r-${props.id(r)}`}>{`${r.name} — ${r.session.code}`}</h2>
          {props.body(r)}
        </section>
      ))}
    </Layout>
  );
}

/** CERT-4: the exemptions asked for, each waiting one with its decision form. */
export function ExemptionsView(props: { ctx: PageContext; rows: StaffRow<Exemption>[]; forms?: Record<string, FormState>; flash?: string; notice?: Warning }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <RequestsPage
      ctx={ctx}
      title={t('cert.exemptions.title')}
      none={t('cert.exemptions.none')}
      rows={props.rows}
      id={(r) => r.application.id}
      flash={props.flash}
      notice={props.notice}
      body={(r) => {
        const form = props.forms?.[r.application.id] ?? emptyForm();
        return (
          <>
            <p>{t('cert.exemptions.diploma', { diploma: r.row.diploma, date: t.date(r.row.declaredAt, 'date') })}</p>
            <p>{t(exemptionKey[r.row.status])}</p>
            {r.row.reason ? <p class="prewrap">{t('cert.exemptions.reason', { reason: r.row.reason })}</p> : null}
            {r.mayDecide ? (
              <form method="post" action={`/personnel/dispenses/${r.application.id}`} novalidate>
                <Csrf ctx={ctx} />
                <ErrorSummary t={t} form={form} labels={{ decision: t('cert.exemptions.decision'), motif: t('cert.exemptions.motif') }} />
                <Radios
                  t={t}
                  form={form}
                  name="decision"
                  legend={t('cert.exemptions.decision')}
                  required
                  options={[
                    { value: 'grant', label: t('cert.exemptions.grant') },
                    { value: 'refuse', label: t('cert.exemptions.refuse') },
                  ]}
                />
                <TextArea t={t} form={form} name="motif" label={t('cert.exemptions.motif')} required maxLength={500} />
                <SubmitButton>{t('cert.exemptions.submit')}</SubmitButton>
              </form>
            ) : null}
          </>
        );
      }}
    />
  );
}

/** CERT-5: the requests for marks waiting, each with the learner's result and the answer form. */
export function MarksListView(props: { ctx: PageContext; rows: StaffRow<MarksRequest>[]; forms?: Record<string, FormState>; flash?: string; notice?: Warning }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <RequestsPage
      ctx={ctx}
      title={t('cert.marks.title')}
      none={t('cert.marks.none')}
      rows={props.rows}
      id={(r) => r.row.id}
      flash={props.flash}
      notice={props.notice}
      body={(r) => {
        const form = props.forms?.[r.row.id] ?? emptyForm();
        return (
          <>
            <p>{t('cert.marks.asked', { date: t.date(r.row.askedAt, 'datetime') })}</p>
            {r.row.message ? <p class="prewrap">{r.row.message}</p> : null}
            <p>{r.result ? t('cert.marks.result', { outcome: t(outcomeKey[r.result.outcome]), score: r.result.score ?? '—', max: r.result.maxScore }) : t('cert.marks.noResult')}</p>
            <form method="post" action={`/personnel/notes/${r.row.id}`} novalidate>
              <Csrf ctx={ctx} />
              <ErrorSummary t={t} form={form} labels={{ reponse: t('cert.marks.answer') }} />
              <TextArea t={t} form={form} name="reponse" label={t('cert.marks.answer')} required maxLength={2000} />
              <SubmitButton>{t('cert.marks.send')}</SubmitButton>
            </form>
          </>
        );
      }}
    />
  );
}

/** CERT-4: the learner's exemption page: what was declared, the decision, the form while it may be declared. */
export function LearnerExemptionView(props: { ctx: PageContext; data: LearnerRequests; form?: FormState; flash?: string; notice?: Warning }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const title = t('cert.learner.exemptionTitle', { title: data.session.title });
  const form = props.form ?? emptyForm(data.exemption ? { diplome: data.exemption.diploma } : {});
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/candidatures">{t('cert.learner.back')}</a>
      </p>
      <h1>{title}</h1>
      <WarningNotice ctx={ctx} notice={props.notice} />
      <p>{t('cert.learner.exemptionIntro')}</p>
      {data.exemption ? (
        <section aria-labelledby="dispense">
          <h2 id="dispense">{t('cert.exemptions.diploma', { diploma: data.exemption.diploma, date: t.date(data.exemption.declaredAt, 'date') })}</h2>
          <p>{t(exemptionKey[data.exemption.status])}</p>
          {data.exemption.reason ? <p class="prewrap">{t('cert.exemptions.reason', { reason: data.exemption.reason })}</p> : null}
        </section>
      ) : null}
      {data.actions.has('declareDiploma') ? (
        <form method="post" action={`/candidatures/${data.application.id}/dispense`} novalidate>
          <Csrf ctx={ctx} />
          <ErrorSummary t={t} form={form} labels={{ diplome: t('cert.learner.diploma') }} />
          <TextField t={t} form={form} name="diplome" label={t('cert.learner.diploma')} hint={t('cert.learner.diplomaHint')} required maxLength={200} />
          <SubmitButton>{t('cert.learner.declare')}</SubmitButton>
        </form>
      ) : !data.exemption ? (
        <Notice t={t} message={data.session.preparesDiploma ? 'cert.learner.exemptionClosed' : 'cert.error.notDiploma'} />
      ) : null}
    </Layout>
  );
}

/** CERT-5: the learner's marks page: their requests and the answers, the form while they may ask. */
export function LearnerMarksView(props: { ctx: PageContext; data: LearnerRequests; form?: FormState; flash?: string; notice?: Warning }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const title = t('cert.learner.marksTitle', { title: data.session.title });
  const form = props.form ?? emptyForm();
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/candidatures">{t('cert.learner.back')}</a>
      </p>
      <h1>{title}</h1>
      <WarningNotice ctx={ctx} notice={props.notice} />
      <p>{t('cert.learner.marksIntro')}</p>
      {data.requests.length ? (
        <section aria-labelledby="demandes">
          <h2 id="demandes">{t('cert.learner.requests')}</h2>
          <ul>
            {data.requests.map((r) => (
              <li key={r.id}>
                {t('cert.marks.asked', { date: t.date(r.askedAt, 'datetime') })}
                {r.message ? <p class="prewrap">{r.message}</p> : null}
                {r.answer ? <p class="prewrap">{t('cert.learner.answer', { answer: r.answer, date: t.date(r.answeredAt!, 'date') })}</p> : <p>{t('cert.learner.waiting')}</p>}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.actions.has('requestMarks') ? (
        <form method="post" action={`/candidatures/${data.application.id}/notes`} novalidate>
          <Csrf ctx={ctx} />
          <ErrorSummary t={t} form={form} labels={{ message: t('cert.learner.message') }} />
          <TextArea t={t} form={form} name="message" label={t('cert.learner.message')} maxLength={2000} />
          <SubmitButton>{t('cert.learner.ask')}</SubmitButton>
        </form>
      ) : data.requests.some((r) => !r.answeredAt) ? null : (
        <Notice t={t} message="cert.error.noMarks" />
      )}
    </Layout>
  );
}
