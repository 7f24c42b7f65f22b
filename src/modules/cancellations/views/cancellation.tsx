import { refundMethods } from '../../../domain/vocabulary';
import type { MessageKey, Params } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Radios, SubmitButton, TextArea } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { money } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import type { ChangeForm } from '../cancellations.schema';
import type { CancellationPage as PageData } from '../cancellations.service';
import { sessionChangeKinds, sessionChangeReasons } from '../cancellations.table';

const k = (key: string) => key as MessageKey;
/** The page of a session's cancellation or move to remote. */
export const cancellationPath = (code: string) => `/personnel/sessions/${encodeURIComponent(code)}/annulation`;

function Warning(props: { text: string }) {
  return (
    <div class="notice notice-warning" role="alert">
      {props.text}
    </div>
  );
}

/**
 * SVC-2: the form (what, why, the message, the refund method), or its check step (who will be
 * told, what closes, what is refunded, the message) with the confirm button; the changes made.
 */
export function CancellationPageView(props: {
  ctx: PageContext;
  data: PageData;
  form?: FormState;
  check?: ChangeForm;
  notice?: { message: MessageKey; params?: Params };
  flash?: string;
}) {
  const { ctx, data } = props;
  const t = ctx.t;
  const { session } = data;
  const title = t('cancel.title');
  const form = props.form ?? emptyForm();
  const labels = { kind: t('cancel.kind'), reason: t('cancel.reason'), message: t('cancel.message'), method: t('cancel.method') };
  const open = sessionChangeKinds.filter((kind) => data.refusals[kind] === null);
  const blocked = data.refusals.cancelled && data.refusals.remote ? data.refusals.cancelled : null;
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/personnel">{t('cancel.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('cancel.intro', { code: session.code, title: session.title, school: session.schoolName, from: t.date(session.firstMeeting), to: t.date(session.lastMeeting) })}</p>
      {props.notice ? <Warning text={t(props.notice.message, props.notice.params)} /> : null}
      {blocked && !props.notice ? <Warning text={t(blocked.message)} /> : null}
      {/* A session that has started may still move to remote: the form offers that, and says why not a cancellation. */}
      {data.refusals.cancelled && !blocked && !props.notice && !props.check ? <Warning text={t(data.refusals.cancelled.message)} /> : null}
      {!blocked ? <p>{t('cancel.counts', { told: data.concerned, paid: data.paid.count ? `${data.paid.count} (${money(t, data.paid.cents)})` : '0' })}</p> : null}
      {props.check ? (
        <section aria-labelledby="verifier">
          <h2 id="verifier">{t('cancel.check.title')}</h2>
          <p>
            {props.check.kind === 'cancelled'
              ? t('cancel.check.cancelled', { told: data.concerned, closed: data.live, refunds: data.paid.count, amount: money(t, data.paid.cents) })
              : t('cancel.check.remote', { told: data.concerned })}
          </p>
          <p>{t('cancel.check.message')}</p>
          <blockquote class="message-preview">
            {props.check.message.split('\n').map((line) => (
              <p>{line}</p>
            ))}
          </blockquote>
          <form method="post" action={cancellationPath(session.code)}>
            <Csrf ctx={ctx} />
            <input type="hidden" name="kind" value={props.check.kind} />
            <input type="hidden" name="reason" value={props.check.reason} />
            <input type="hidden" name="message" value={props.check.message} />
            <input type="hidden" name="method" value={props.check.method} />
            <button type="submit" class="button" name="confirm" value="yes">
              {t('cancel.confirm')}
            </button>{' '}
            <button type="submit" class="button button-secondary" name="edit" value="yes">
              {t('cancel.edit')}
            </button>
          </form>
        </section>
      ) : open.length ? (
        <section>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={cancellationPath(session.code)} novalidate>
            <Csrf ctx={ctx} />
            <Radios t={t} form={form} name="kind" legend={labels.kind} required options={open.map((kind) => ({ value: kind, label: t(k(`cancel.kind.${kind}`)) }))} />
            <Radios t={t} form={form} name="reason" legend={labels.reason} required options={sessionChangeReasons.map((r) => ({ value: r, label: t(k(`cancel.reason.${r}`)) }))} />
            <TextArea t={t} form={form} name="message" label={labels.message} hint={t('cancel.messageHint')} maxLength={2000} rows={6} required />
            {open.includes('cancelled') ? (
              <Radios
                t={t}
                form={form.values.method ? form : { ...form, values: { ...form.values, method: 'transfer' } }}
                name="method"
                legend={labels.method}
                hint={t('cancel.method.hint')}
                inline
                options={refundMethods.map((m) => ({ value: m, label: t(k(`refund.method.${m}`)) }))}
              />
            ) : null}
            <SubmitButton>{t('cancel.next')}</SubmitButton>
          </form>
        </section>
      ) : null}
      {data.changes.length ? (
        <section aria-labelledby="historique">
          <h2 id="historique">{t('cancel.history')}</h2>
          <ul>
            {data.changes.map((c) => (
              <li>{t(k(`cancel.history.${c.kind}`), { date: t.date(c.decidedAt, 'datetime'), told: c.told, closed: c.closed, refunded: c.refunded })}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
