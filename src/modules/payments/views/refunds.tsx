import { nonRefundableReasons, refundMethods, refundReasons } from '../../../domain/vocabulary';
import { HelpLink } from '../../help';
import type { MessageKey, Params, Translator } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, FileField, Notice, Radios, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { money } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import { REFUND_PROOF_FIELD } from '../refunds.schema';
import type { ProofFileInfo, Refund, LearnerRefunds, RefundRow, StaffRefund } from '../refunds.service';

const k = (key: string) => key as MessageKey;
const typeNames = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' } as const;

function fileSize(t: Translator, bytes: number): string {
  const mega = bytes >= 1024 * 1024;
  return new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'unit', unit: mega ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    mega ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024)),
  );
}

/** A proof file as a link's words: its name, its type, its size. */
const fileParams = (t: Translator, file: ProofFileInfo) => ({ name: file.originalName, type: typeNames[file.mediaType], size: fileSize(t, file.size) });

/** A refund's outcome in words, for the learner and staff alike. */
function Outcome(props: { ctx: PageContext; refund: Refund }) {
  const { t } = props.ctx;
  const r = props.refund;
  if (r.status === 'granted' && r.refundedOn)
    return <>{t('refund.page.granted', { amount: money(t, r.amountCents!), date: t.date(r.refundedOn, 'date'), method: t(k(`refund.method.${r.method}`)) })}</>;
  // SVC-2: granted (a cancelled session's), the cash office has not paid it back yet.
  if (r.status === 'granted') return <>{t('refund.page.grantedToPay', { amount: money(t, r.amountCents!), method: t(k(`refund.method.${r.method}`)) })}</>;
  if (r.status === 'refused') return <span class="prewrap">{t('refund.page.refused', { note: r.decisionNote ?? '' })}</span>;
  return <>{t('refund.status.requested')}</>;
}

/** A refund's status as a list shows it: a refund granted and not yet paid back says so. */
const statusKey = (r: Refund): MessageKey => (r.status === 'granted' && !r.refundedOn ? 'refund.status.toPay' : k(`refund.status.${r.status}`));

/** A notice with placeholders (a conflict's message). */
function Warning(props: { ctx: PageContext; message: MessageKey; params?: Params }) {
  return (
    <div class="notice notice-warning" role="alert">
      {props.ctx.t(props.message, props.params)}
    </div>
  );
}

/** PAY-9: the learner's refund page: the payment, the FAQ's conditions, their requests, and the form while they may ask. */
export function LearnerRefundPage(props: { ctx: PageContext; data: LearnerRefunds; form?: FormState; notice?: { message: MessageKey; params?: Params }; flash?: string }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const id = data.application.id;
  const title = t('refund.page.title', { title: data.session.title });
  const form = props.form ?? emptyForm();
  const weeks = data.windowWeeks;
  const labels = {
    reason: t('refund.form.reason'),
    eventOn: t('refund.form.eventOn'),
    explanation: t('refund.form.explanation'),
    [REFUND_PROOF_FIELD]: t('refund.form.proofFile'),
    proof: t('refund.form.proof'),
  };
  const hasErrors = Object.values(form.errors).some(Boolean);
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href={`/candidatures/${id}/paiement`}>{t('refund.page.back')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? <Warning ctx={ctx} message={props.notice.message} params={props.notice.params} /> : null}
      {data.payment?.paidAt ? <p>{t('refund.page.paid', { amount: money(t, data.payment.amountCents), date: t.date(data.payment.paidAt, 'date') })}</p> : <Notice t={t} message="pay.error.notPaid" />}
      <p>{t('refund.page.rules', { weeks })}</p>
      <p>{t('refund.page.delay', { weeks })}</p>
      <p>{t('refund.page.payout')}</p>
      <HelpLink t={t} slug="remboursement" />
      {data.refunds.length ? (
        <section aria-labelledby="demandes">
          <h2 id="demandes">{t('refund.page.requests')}</h2>
          <ul>
            {data.refunds.map((r) => {
              const file = r.proofFileId ? data.proofFiles.get(r.proofFileId) : undefined;
              return (
                <li key={r.id}>
                  {t('refund.page.requestedOn', { date: t.date(r.requestedAt, 'date'), reason: t(k(`refund.reason.${r.reason}`)), eventOn: t.date(r.eventOn, 'date') })}
                  <br />
                  <Outcome ctx={ctx} refund={r} />
                  {file ? (
                    <>
                      <br />
                      <a href={`/candidatures/${id}/remboursement/${r.id}/justificatif`}>{t('refund.page.proofFile', fileParams(t, file))}</a>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {data.payment && data.blocked && !props.notice ? <Notice t={t} message={data.blocked} /> : null}
      {!data.blocked ? (
        <section aria-labelledby="demande">
          <h2 id="demande">{t('refund.page.form')}</h2>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={`/candidatures/${id}/remboursement`} enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <Radios
              t={t}
              form={form}
              name="reason"
              legend={labels.reason}
              hint={t('refund.form.reasonHint')}
              options={[...refundReasons, ...nonRefundableReasons].map((value) => ({ value, label: t(k(`refund.reason.${value}`)) }))}
              required
            />
            <TextField t={t} form={form} name="eventOn" label={labels.eventOn} hint={t('refund.form.eventOnHint')} width="short" maxLength={40} required />
            <TextArea t={t} form={form} name="explanation" label={labels.explanation} maxLength={2000} rows={5} required />
            <FileField
              t={t}
              form={form}
              name={REFUND_PROOF_FIELD}
              label={labels[REFUND_PROOF_FIELD]}
              hint={`${t('refund.form.proofFileHint', { max: data.maxMegabytes })}${hasErrors ? ` ${t('upload.chooseAgain')}` : ''}`}
              accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
            />
            <Checkbox t={t} form={form} name="proof" label={labels.proof} hint={t('refund.form.proofHint')} />
            <SubmitButton>{t('refund.form.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** PAY-9: staff's list of refund requests in their scope, open ones first. */
export function RefundListPage(props: { ctx: PageContext; rows: RefundRow[]; flash?: string }) {
  const { ctx, rows } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('refund.staff.title')} flash={props.flash}>
      <p>
        <a href="/personnel">{t('refund.staff.back')}</a>
      </p>
      <h1>{t('refund.staff.title')}</h1>
      <p>{t('refund.staff.intro')}</p>
      <p>{t('refund.staff.noProvider')}</p>
      {rows.length === 0 ? (
        <p>{t('refund.staff.none')}</p>
      ) : (
        <Table
          id="remboursements"
          caption={t('refund.staff.title')}
          captionHidden
          rows={rows}
          columns={[
            { label: t('refund.staff.col.requestedAt'), rowHeader: true, cell: (r) => <a href={`/personnel/remboursements/${r.refund.id}`}>{t.date(r.refund.requestedAt, 'date')}</a> },
            { label: t('refund.staff.col.learner'), cell: (r) => r.learnerName },
            { label: t('refund.staff.col.session'), cell: (r) => `${r.session.title} (${r.session.code}) — ${r.session.schoolName}` },
            { label: t('refund.staff.col.reason'), cell: (r) => t(k(`refund.reason.${r.refund.reason}`)) },
            { label: t('refund.staff.col.paid'), cell: (r) => money(t, r.payment.amountCents) },
            { label: t('refund.staff.col.status'), cell: (r) => t(statusKey(r.refund)) },
          ]}
        />
      )}
    </Layout>
  );
}

/** The amount paid as the amount field shows it: 150,00 (fr) or 150.00 (en). */
function amountValue(ctx: PageContext, cents: number): string {
  const text = (cents / 100).toFixed(2);
  return ctx.locale === 'fr' ? text.replace('.', ',') : text;
}

export type DecisionForms = { grant?: FormState; refuse?: FormState; paid?: FormState };

/** PAY-9: one request for staff: the enrolment, the payment, the request; its decision, or the forms to decide it. */
export function RefundPage(props: { ctx: PageContext; data: StaffRefund; forms?: DecisionForms; notice?: MessageKey; flash?: string }) {
  const { ctx, data } = props;
  const t = ctx.t;
  const { refund, payment, session, application } = data;
  const title = t('refund.staff.detailTitle', { name: data.learnerName || data.learnerEmail });
  const action = (path: string) => `/personnel/remboursements/${refund.id}/${path}`;
  const grant = props.forms?.grant ?? emptyForm({ amount: amountValue(ctx, payment.amountCents), method: 'transfer' });
  const refuse = props.forms?.refuse ?? emptyForm();
  const paidForm = props.forms?.paid ?? emptyForm({ method: refund.method ?? 'transfer' });
  const paid = money(t, payment.amountCents);
  const grantLabels = { amount: t('refund.form.amount'), refundedOn: t('refund.form.refundedOn'), method: t('refund.form.method'), reference: t('refund.form.reference') };
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/personnel/remboursements">{t('refund.staff.backToList')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <dl class="summary">
        <dt>{t('refund.staff.session')}</dt>
        <dd>
          {session.title} — {session.schoolName} ({session.code})
        </dd>
        <dt>{t('refund.staff.enrolment')}</dt>
        <dd>{t(k(`apps.status.${application.status}`))}</dd>
        <dt>{t('refund.staff.payment')}</dt>
        <dd>
          {t('refund.staff.paymentValue', {
            amount: paid,
            date: payment.paidAt ? t.date(payment.paidAt, 'date') : '—',
            method: payment.method ? t(k(`refund.paidBy.${payment.method}`)) : '—',
            reference: payment.reference,
          })}
        </dd>
        {payment.payerName ? (
          <>
            <dt>{t('refund.staff.payer')}</dt>
            <dd>{payment.payerName}</dd>
          </>
        ) : null}
        <dt>{t('refund.staff.requestedAt')}</dt>
        <dd>{t.date(refund.requestedAt, 'datetime')}</dd>
        <dt>{t('refund.staff.reason')}</dt>
        <dd>{t(k(`refund.reason.${refund.reason}`))}</dd>
        <dt>{t('refund.staff.eventOn')}</dt>
        <dd>{t.date(refund.eventOn, 'date')}</dd>
        <dt>{t('refund.staff.explanation')}</dt>
        <dd class="prewrap">{refund.explanation}</dd>
        <dt>{t('refund.staff.proof')}</dt>
        <dd>
          {data.proofFile ? (
            <a href={`/personnel/remboursements/${refund.id}/justificatif`}>{t('refund.staff.proofFile', fileParams(t, data.proofFile))}</a>
          ) : (
            t(data.proofAsked ? 'refund.staff.proofPromised' : 'refund.staff.proofNone')
          )}
        </dd>
        {refund.status !== 'requested' ? (
          <>
            <dt>{t('refund.staff.decision')}</dt>
            <dd>
              {t(statusKey(refund))}
              {refund.status === 'granted' && refund.refundedOn
                ? ` — ${t('refund.staff.grantedValue', { amount: money(t, refund.amountCents!), date: t.date(refund.refundedOn, 'date'), method: t(k(`refund.method.${refund.method}`)) })}${refund.refundReference ? ` (${refund.refundReference})` : ''}`
                : null}
              {refund.status === 'granted' && !refund.refundedOn ? ` — ${t('refund.staff.grantedToPay', { amount: money(t, refund.amountCents!), method: t(k(`refund.method.${refund.method}`)) })}` : null}
              {refund.status === 'refused' ? <span class="prewrap"> — {refund.decisionNote}</span> : null}
              <br />
              {t('refund.staff.decidedBy', { date: t.date(refund.decidedAt!, 'datetime'), name: data.decidedByName ?? '—' })}
            </dd>
          </>
        ) : null}
      </dl>

      {data.mayRecordPaid ? (
        <section aria-labelledby="verse">
          <h2 id="verse">{t('refund.staff.recordPaid')}</h2>
          <p>{t('refund.staff.recordPaidIntro')}</p>
          <ErrorSummary t={t} form={paidForm} labels={grantLabels} />
          <form method="post" action={action('verse')} novalidate>
            <Csrf ctx={ctx} />
            <TextField t={t} form={paidForm} name="refundedOn" label={grantLabels.refundedOn} hint={t('refund.form.refundedOnHint')} width="short" maxLength={40} required />
            <Radios t={t} form={paidForm} name="method" legend={grantLabels.method} options={refundMethods.map((value) => ({ value, label: t(k(`refund.method.${value}`)) }))} required inline />
            <TextField t={t} form={paidForm} name="reference" label={grantLabels.reference} hint={t('refund.form.referenceHint')} width="medium" maxLength={100} />
            <SubmitButton>{t('refund.form.paidSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}
      {data.mayDecide ? (
        <>
          <p>{t('refund.staff.noProvider')}</p>
          <section aria-labelledby="accorder">
            <h2 id="accorder">{t('refund.staff.grant')}</h2>
            {data.endsEnrolment ? <Notice t={t} message="refund.staff.endsEnrolment" kind="info" /> : null}
            <ErrorSummary t={t} form={grant} labels={grantLabels} />
            <form method="post" action={action('accorder')} novalidate>
              <Csrf ctx={ctx} />
              <TextField t={t} form={grant} name="amount" label={grantLabels.amount} hint={t('refund.form.amountHint', { paid })} inputMode="text" width="short" maxLength={20} required />
              <TextField t={t} form={grant} name="refundedOn" label={grantLabels.refundedOn} hint={t('refund.form.refundedOnHint')} width="short" maxLength={40} required />
              <Radios t={t} form={grant} name="method" legend={grantLabels.method} options={refundMethods.map((value) => ({ value, label: t(k(`refund.method.${value}`)) }))} required inline />
              <TextField t={t} form={grant} name="reference" label={grantLabels.reference} hint={t('refund.form.referenceHint')} width="medium" maxLength={100} />
              <SubmitButton>{t('refund.form.grantSubmit')}</SubmitButton>
            </form>
          </section>
          <section aria-labelledby="refuser">
            <h2 id="refuser">{t('refund.staff.refuse')}</h2>
            <ErrorSummary t={t} form={refuse} labels={{ note: t('refund.form.note') }} />
            <form method="post" action={action('refuser')} novalidate>
              <Csrf ctx={ctx} />
              <TextArea t={t} form={refuse} name="note" label={t('refund.form.note')} hint={t('refund.form.noteHint')} maxLength={1000} rows={4} required />
              <SubmitButton secondary>{t('refund.form.refuseSubmit')}</SubmitButton>
            </form>
          </section>
        </>
      ) : null}
    </Layout>
  );
}
