import type { MessageKey } from '../../../platform/i18n';
import { HelpLink } from '../../help';
import { Csrf, ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { money, slotText } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import { PAYMENT_LINK_DAYS } from '../payments.rules';
import type { Attempt, LearnerPayment, Payment } from '../payments.service';

const k = (key: string) => key as MessageKey;

/** An attempt's outcome in words (a flagged success says that the service is checking it). */
export function attemptOutcome(t: PageContext['t'], attempt: Pick<Attempt, 'status' | 'flag'>): string {
  if (attempt.flag) return t('pay.attempt.flagged');
  return t(k(`pay.attempt.${attempt.status}`));
}

function Amount(props: { ctx: PageContext; payment: Payment }) {
  const { t } = props.ctx;
  const p = props.payment;
  return (
    <dl class="summary">
      <dt>{t(p.status === 'paid' ? 'pay.page.amountPaid' : 'pay.page.amount')}</dt>
      <dd>{t('pay.page.amountValue', { amount: money(t, p.amountCents), rate: t(p.rate === 'half' ? 'pay.rate.half' : 'pay.rate.full') })}</dd>
      {p.status === 'due' ? (
        <>
          <dt>{t('pay.page.due')}</dt>
          <dd>{t.date(new Date(`${p.dueOn}T12:00:00Z`), 'date')}</dd>
        </>
      ) : null}
      <dt>{t('pay.page.reference')}</dt>
      <dd>
        <code>{p.reference}</code>
      </dd>
    </dl>
  );
}

/**
 * PAY-1 to PAY-8, the learner's side: what is due and until when, "Régler", every attempt and
 * its outcome, the third party's link, and the documents. Forms are shown from the lifecycle's
 * actions (`page.actions`), never re-decided here.
 */
export function PaymentPage(props: {
  ctx: PageContext;
  page: LearnerPayment;
  payee: string;
  error?: { message: MessageKey; params?: Record<string, string | number> };
  link?: { url: string; expiresAt: Date };
  status?: number;
}) {
  const { ctx, page } = props;
  const t = ctx.t;
  const { application, session, payment } = page;
  const id = application.id;
  return (
    <Layout ctx={ctx} title={t('pay.page.title', { title: session.title })}>
      <p>
        <a href="/candidatures">{t('pay.page.back')}</a>
      </p>
      <h1>{t('pay.page.title', { title: session.title })}</h1>
      <HelpLink t={t} slug="payer" />
      <p>{t('pay.page.session', { school: session.schoolName, slots: session.slots.map((s) => slotText(t, s)).join(' ; ') })}</p>
      <p>
        <strong>{t(k(`apps.status.${application.status}`))}</strong>
      </p>
      {props.error ? (
        <div class="notice notice-warning" role="alert">
          <p>{t(props.error.message, props.error.params)}</p>
        </div>
      ) : null}
      {application.status === 'accepted' ? <p>{t('pay.page.accepted')}</p> : null}
      {payment ? <Amount ctx={ctx} payment={payment} /> : null}
      {payment?.status === 'paid' && payment.paidAt ? (
        <>
          <p>{t('pay.page.paid', { date: t.date(payment.paidAt, 'date') })}</p>
          {payment.payerName ? <p>{t('pay.page.paidBy', { payer: payment.payerName })}</p> : null}
        </>
      ) : null}
      {payment?.status === 'cancelled' ? <p>{t('pay.page.cancelled')}</p> : null}
      {page.actions.has('pay') && payment?.status === 'due' ? (
        <section aria-labelledby="regler">
          <form method="post" action={`/candidatures/${id}/regler`}>
            <Csrf ctx={ctx} />
            <p id="regler">{t('pay.page.payHint')}</p>
            <SubmitButton>{t('pay.page.pay', { amount: money(t, payment.amountCents) })}</SubmitButton>
          </form>
          <p>{t('pay.page.atSchool', { limit: money(t, page.cashLimitCents), payee: props.payee })}</p>
        </section>
      ) : payment?.status === 'due' && application.status === 'awaiting_payment' ? (
        // Online payment off (PAY-3): how to pay at the school.
        <>
          {props.error ? null : <p>{t('pay.error.offline')}</p>}
          <p>{t('pay.page.atSchool', { limit: money(t, page.cashLimitCents), payee: props.payee })}</p>
        </>
      ) : null}
      {payment && page.attempts.length ? (
        <section aria-labelledby="essais">
          <h2 id="essais">{t('pay.page.attempts')}</h2>
          <ul>
            {page.attempts.map((a) => (
              <li>{t('pay.page.attempt', { date: t.date(a.createdAt, 'datetime'), outcome: attemptOutcome(t, a) })}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {page.actions.has('pay') && payment?.status === 'due' ? (
        <section aria-labelledby="tiers">
          <h2 id="tiers">{t('pay.page.thirdParty')}</h2>
          <p>{t('pay.page.thirdPartyHint', { days: PAYMENT_LINK_DAYS })}</p>
          {props.link ? (
            <div class="notice notice-info">
              <p>{t('pay.page.link', { date: t.date(props.link.expiresAt, 'date') })}</p>
              <p>
                <code class="break">{props.link.url}</code>
              </p>
              <p>{t('pay.page.linkCopy')}</p>
            </div>
          ) : null}
          <form method="post" action={`/candidatures/${id}/lien-paiement`}>
            <Csrf ctx={ctx} />
            <SubmitButton secondary>{t('pay.page.makeLink')}</SubmitButton>
          </form>
        </section>
      ) : null}
      {page.actions.has('costAttestation') || page.actions.has('paymentDocuments') ? (
        <section aria-labelledby="documents">
          <h2 id="documents">{t('pay.page.documents')}</h2>
          <ul>
            {page.actions.has('costAttestation') ? (
              <li>
                <a href={`/candidatures/${id}/attestation-cout.pdf`}>{t('pay.page.costAttestation')}</a>
              </li>
            ) : null}
            {page.actions.has('paymentDocuments') ? (
              <>
                <li>
                  <a href={`/candidatures/${id}/carte.pdf`}>{t('pay.page.card')}</a>
                </li>
                <li>
                  <a href={`/candidatures/${id}/attestation-paiement.pdf`}>{t('pay.page.paymentAttestation')}</a>
                </li>
              </>
            ) : null}
          </ul>
          <p>{t('pay.page.noQuote')}</p>
        </section>
      ) : null}
    </Layout>
  );
}

/** PAY-2: back from the provider: the outcome asked of it, in words. */
export function ReturnPage(props: {
  ctx: PageContext;
  outcome: 'paid' | 'pending' | 'not_paid' | 'unavailable';
  attempt: Pick<Attempt, 'status' | 'flag'>;
  thirdParty: boolean;
  continueUrl: string | null;
}) {
  const { ctx } = props;
  const t = ctx.t;
  const text =
    props.outcome === 'paid'
      ? t(props.thirdParty ? 'pay.return.paidThirdParty' : 'pay.return.paid')
      : props.outcome === 'pending'
        ? t('pay.return.pending')
        : props.outcome === 'unavailable'
          ? t('pay.return.unavailable')
          : t('pay.return.notPaid', { outcome: attemptOutcome(t, props.attempt) });
  return (
    <Layout ctx={ctx} title={t('pay.return.title')}>
      <h1>{t('pay.return.title')}</h1>
      <div class={`notice ${props.outcome === 'paid' ? 'notice-success' : 'notice-info'}`} role="status">
        <p>{text}</p>
      </div>
      {props.continueUrl ? (
        <p>
          <a class="button" href={props.continueUrl}>
            {t('pay.return.continue')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** PAY-7: the page a third party opens from the learner's link: who and what, their name and email, "Pay". */
export function LinkPage(props: {
  ctx: PageContext;
  token: string;
  found: { payment: Payment; holder: string; session: { title: string; schoolName: string } } | null;
  form: FormState;
  error?: MessageKey;
  status?: number;
}) {
  const { ctx, found } = props;
  const t = ctx.t;
  const labels = { nom: t('pay.link.payerName'), courriel: t('pay.link.payerEmail') };
  return (
    <Layout ctx={ctx} title={t('pay.link.title')}>
      <h1>{t('pay.link.title')}</h1>
      {!found ? <p>{t('pay.link.invalid')}</p> : null}
      {found && found.payment.status === 'paid' ? <p>{t('pay.link.paid')}</p> : null}
      {found && found.payment.status === 'due' ? (
        <>
          <p>{t('pay.link.intro', { holder: found.holder, title: found.session.title, school: found.session.schoolName })}</p>
          <Amount ctx={ctx} payment={found.payment} />
          {props.error ? (
            <div class="notice notice-warning" role="alert">
              <p>{t(props.error)}</p>
            </div>
          ) : null}
          <form method="post" action={`/payer/${props.token}`} novalidate>
            <Csrf ctx={ctx} />
            <ErrorSummary t={t} form={props.form} labels={labels} />
            <TextField t={t} form={props.form} name="nom" label={labels.nom} hint={t('pay.link.payerNameHint')} autocomplete="organization" required maxLength={200} />
            <TextField t={t} form={props.form} name="courriel" type="email" label={labels.courriel} hint={t('pay.link.payerEmailHint')} autocomplete="email" required maxLength={254} />
            <SubmitButton>{t('pay.link.submit', { amount: money(t, found.payment.amountCents) })}</SubmitButton>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
