import type { MessageKey, Translator } from '../../../platform/i18n';
import { Csrf, ErrorSummary, FileField, Notice, Radios, SubmitButton, TextArea, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { money, slotText } from '../../../ui/format';
import { allowances, type Allowance } from '../../../domain/vocabulary';
import type { ApplicationView } from '../applications.service';
import type { ProofView, StaffProofPage as StaffData } from '../proofs.service';
import { proofDecisions, PROOF_FILE_FIELD } from '../proofs.schema';

const k = (key: string) => key as MessageKey;
const short = (t: Translator, allowance: Allowance) => t(k(`proof.allowanceShort.${allowance}`));
const typeNames = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' } as const;

function fileSize(t: Translator, bytes: number): string {
  const mega = bytes >= 1024 * 1024;
  return new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'unit', unit: mega ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    mega ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024)),
  );
}

export interface ProofWindow {
  from: string;
  to: string;
  months: number;
}

/** PAY-6: the proof's status in words, for the learner: sent and waiting, accepted, or refused with the reason. */
export function ProofStatus(props: { ctx: PageContext; app: ApplicationView; proof: ProofView; outOfWindow?: ProofWindow }) {
  const { ctx, app, proof } = props;
  const t = ctx.t;
  const allowance = short(t, proof.allowance);
  const date = t.date(proof.proofDate);
  if (proof.status === 'accepted')
    return (
      <div class="notice notice-success" role="status">
        {t('proof.status.accepted', { allowance, date })}
      </div>
    );
  if (proof.status === 'refused')
    return (
      <div class="notice notice-warning">
        <p class="prewrap">{t('proof.status.refused', { reason: proof.reason ?? '' })}</p>
        <p>{app.actions.has('uploadProof') ? t('proof.status.refusedNext') : t('proof.noRefund')}</p>
      </div>
    );
  // Still waiting when the enrolment was validated: too late, the full rate applies.
  if (!app.actions.has('uploadProof'))
    return (
      <div class="notice notice-warning">
        <p>{t('proof.status.lapsed', { allowance, date })}</p>
      </div>
    );
  return (
    <div class="notice notice-info">
      <p>{t('proof.status.pending', { sent: t.date(proof.uploadedAt), allowance, date })}</p>
      {props.outOfWindow ? <p>{t('proof.status.outOfWindow', { from: t.date(props.outOfWindow.from), to: t.date(props.outOfWindow.to) })}</p> : null}
    </div>
  );
}

/** PAY-6: on an application of "my applications": the proof's status and the way to send one. */
export function ProofSummary(props: { ctx: PageContext; app: ApplicationView }) {
  const { ctx, app } = props;
  const t = ctx.t;
  const href = `/candidatures/${app.id}/justificatif`;
  if (!app.proof) {
    return app.actions.has('uploadProof') ? (
      <p>
        <a href={href}>{t('proof.link')}</a>
      </p>
    ) : null;
  }
  return (
    <>
      <ProofStatus ctx={ctx} app={app} proof={app.proof} />
      <p>
        <a href={href}>{app.actions.has('uploadProof') && app.proof.status === 'refused' ? t('proof.linkOther') : t('proof.linkSee')}</a>
      </p>
    </>
  );
}

/**
 * PAY-6: the learner's half-rate page for one application: the rule, the course's two rates,
 * the proof's status, and the form (multipart) while the application takes one.
 */
export function ProofPage(props: {
  ctx: PageContext;
  app: ApplicationView;
  form: FormState;
  window: ProofWindow;
  /** The proof sent no longer fits the validation day: the window it should have fitted. */
  outOfWindow: boolean;
  maxMegabytes: number;
  flash?: MessageKey;
  notice?: MessageKey;
}) {
  const { ctx, app, form, window } = props;
  const t = ctx.t;
  const s = app.session;
  const labels = { allowance: t('proof.allowance'), proofDate: t('proof.date'), [PROOF_FILE_FIELD]: t('proof.file') };
  const hasErrors = Object.values(form.errors).some(Boolean);
  const dates = { from: t.date(window.from), to: t.date(window.to), months: window.months, example: '14/09/2026' };
  return (
    <Layout ctx={ctx} title={`${t('proof.title')} – ${s.title}`} flash={props.flash ? t(props.flash) : undefined}>
      <p>
        <a href={`/candidatures#candidature-${app.id}`}>{t('proof.back')}</a>
      </p>
      <h1>{t('proof.title')}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <h2>{s.title}</h2>
      <p>{t('apps.session', { school: s.schoolName, slots: s.slots.map((slot) => slotText(t, slot)).join(' ; ') })}</p>
      <p>{t('proof.intro', { months: window.months })}</p>
      <p>{t('proof.rates', { full: money(t, s.fullRateCents), half: money(t, s.halfRateCents) })}</p>
      <p>
        <strong>{t('proof.noRefund')}</strong> {t('proof.jobSeekers')}
      </p>
      {app.proof ? (
        <>
          <ProofStatus ctx={ctx} app={app} proof={app.proof} outOfWindow={props.outOfWindow ? window : undefined} />
          {app.proof.file ? (
            <p>
              <a href={`/candidatures/${app.id}/justificatif/fichier`}>{t('proof.fileLink', { name: app.proof.file.originalName })}</a>
            </p>
          ) : null}
        </>
      ) : null}
      {app.actions.has('uploadProof') ? (
        <section aria-labelledby="envoyer">
          <h2 id="envoyer">{app.proof ? t('proof.formReplace') : t('proof.form')}</h2>
          {app.proof ? <p>{t('proof.replaceNote')}</p> : null}
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={`/candidatures/${app.id}/justificatif`} enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <Radios t={t} form={form} name="allowance" legend={t('proof.allowance')} options={allowances.map((a) => ({ value: a, label: t(k(`apps.allowance.${a}`)) }))} required />
            <TextField
              t={t}
              form={form}
              name="proofDate"
              label={t('proof.date')}
              hint={app.confirmedAt ? t('proof.dateHint', dates) : t('proof.dateHintPreselected', dates)}
              width="short"
              maxLength={40}
              required
            />
            <FileField
              t={t}
              form={form}
              name={PROOF_FILE_FIELD}
              label={t('proof.file')}
              hint={`${t('proof.fileHint', { max: props.maxMegabytes })}${hasErrors ? ` ${t('upload.chooseAgain')}` : ''}`}
              accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
              required
            />
            <SubmitButton>{t('proof.submit')}</SubmitButton>
          </form>
        </section>
      ) : app.proof?.status === 'accepted' ? null : (
        <p>{t('proof.closed')}</p>
      )}
    </Layout>
  );
}

/**
 * PAY-6: the school's page of a learner's proof: what it says, the dates it may bear, the file,
 * and the decision (accept, or refuse with the reason the learner will read).
 */
export function StaffProofPage(props: { ctx: PageContext; data: StaffData; form?: FormState; notice?: MessageKey; flash?: MessageKey }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const { application, session, proof, window } = data;
  const base = `/personnel/candidatures/${application.id}`;
  const form = props.form ?? emptyForm(proof && proof.status !== 'pending' ? { decision: proof.status === 'accepted' ? 'accept' : 'refuse', reason: proof.reason ?? '' } : {});
  const windowText = t('proof.staff.windowText', { from: t.date(window.from), to: t.date(window.to), months: window.months });
  const title = t('proof.staff.title', { name: data.name });
  const declared = application.situation
    ? application.allowance
      ? t('apps.answer.withAllowance', { situation: t(k(`apps.situation.${application.situation}`)), allowance: t(k(`apps.allowance.${application.allowance}`)) })
      : t(k(`apps.situation.${application.situation}`))
    : '—';
  return (
    <Layout ctx={ctx} title={title} flash={props.flash ? t(props.flash) : undefined}>
      <p>
        <a href={base}>{t('proof.staff.back')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <dl class="summary">
        <dt>{t('proof.staff.session')}</dt>
        <dd>
          {session.title} — {session.schoolName}, {session.slots.map((s) => slotText(t, s)).join(' ; ')} ({session.code})
        </dd>
        <dt>{t('proof.staff.declared')}</dt>
        <dd>{declared}</dd>
        {proof ? (
          <>
            <dt>{t('proof.staff.allowance')}</dt>
            <dd>{t(k(`apps.allowance.${proof.allowance}`))}</dd>
            <dt>{t('proof.staff.date')}</dt>
            <dd>
              {t.date(proof.proofDate)} — {data.dateCounts ? t('proof.staff.dateOk') : t('proof.staff.dateKo')}
            </dd>
            <dt>{t('proof.staff.window')}</dt>
            <dd>{windowText}</dd>
            <dt>{t('proof.staff.sent')}</dt>
            <dd>{t.date(proof.uploadedAt, 'datetime')}</dd>
            <dt>{t('proof.staff.decision')}</dt>
            <dd class="prewrap">
              {proof.status === 'pending'
                ? t('proof.staff.pending')
                : proof.status === 'accepted'
                  ? t('proof.staff.accepted', { date: t.date(proof.decidedAt!, 'datetime') })
                  : t('proof.staff.refused', { date: t.date(proof.decidedAt!, 'datetime'), reason: proof.reason ?? '' })}
            </dd>
          </>
        ) : null}
      </dl>
      {proof?.file ? (
        <p>
          <a href={`${base}/justificatif/fichier`}>{t('proof.staff.file', { name: proof.file.originalName, type: typeNames[proof.file.mediaType], size: fileSize(t, proof.file.size) })}</a>
        </p>
      ) : null}
      {proof ? <p>{t('proof.staff.rule')}</p> : <p>{t('proof.staff.none')}</p>}
      {proof && data.actions.has('decideProof') ? (
        <section aria-labelledby="decider">
          <h2 id="decider">{t('proof.decide.title')}</h2>
          <ErrorSummary t={t} form={form} labels={{ decision: t('proof.decide.decision'), reason: t('proof.decide.reason') }} />
          <form method="post" action={`${base}/justificatif`} novalidate>
            <Csrf ctx={ctx} />
            <input type="hidden" name="proof" value={proof.id} />
            <Radios
              t={t}
              form={form}
              name="decision"
              legend={t('proof.decide.decision')}
              options={proofDecisions.map((d) => ({ value: d, label: t(d === 'accept' ? 'proof.decide.accept' : 'proof.decide.refuse') }))}
              required
            />
            <TextArea t={t} form={form} name="reason" label={t('proof.decide.reason')} hint={t('proof.decide.reasonHint')} rows={3} maxLength={500} />
            <SubmitButton>{t('proof.decide.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** PAY-6: on the applicant's sheet, the proof's state and, for those who decide, the way to it. */
export function ProofSheetSection(props: { ctx: PageContext; applicationId: string; proof: ProofView | null; mayDecide: boolean }) {
  const { ctx, proof } = props;
  const t = ctx.t;
  if (!proof) return null;
  const text =
    proof.status === 'pending'
      ? t('proof.sheet.pending', { allowance: short(t, proof.allowance), date: t.date(proof.proofDate) })
      : proof.status === 'accepted'
        ? t('proof.sheet.accepted', { allowance: short(t, proof.allowance) })
        : t('proof.sheet.refused');
  return (
    <section aria-labelledby="justificatif">
      <h2 id="justificatif">{t('proof.sheet.title')}</h2>
      <p>
        {text}{' '}
        {props.mayDecide ? <a href={`/personnel/candidatures/${props.applicationId}/justificatif`}>{t('proof.sheet.open')}</a> : null}
      </p>
    </section>
  );
}
