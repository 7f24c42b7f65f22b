import type { MessageKey, Translator } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, Radios, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { AllowedHostRow, AttemptRow, EndpointRecipient, EndpointRow, EndpointSummary, MessageRow, MessageSummary } from '../admin.service';
import { webhookEventTypes } from '../events';
import { typeField } from '../webhooks.schema';

/** SVC-8: the administrator's webhook pages (`/personnel/admin/webhooks`) and the DPO's list. */

export const WEBHOOKS = '/personnel/admin/webhooks';
export const RECIPIENTS = '/personnel/registre-traitements/webhooks';

const eventLabel = (t: Translator, type: string) => t(`webhooks.event.${type}` as MessageKey);

const labels = (t: Translator): Record<string, string> => ({
  url: t('webhooks.url'),
  description: t('webhooks.description'),
  personal: t('webhooks.personal'),
  eventTypes: t('webhooks.eventTypes'),
  host: t('webhooks.host'),
  reason: t('webhooks.reason'),
  replay: t('webhooks.replay'),
  disabled: t('webhooks.state'),
});

/** The form's values from an endpoint (edit form). */
export const endpointFormValues = (e: EndpointRow): Record<string, string> => ({
  url: e.url,
  description: e.description,
  personal: e.personalData ? 'yes' : 'no',
  ...Object.fromEntries(webhookEventTypes.filter((type) => e.eventTypes.includes(type)).map((type) => [typeField(type), 'on'])),
});

function Flash(props: { message?: string }) {
  return props.message ? (
    <div class="notice notice-success" role="status">
      <p>{props.message}</p>
    </div>
  ) : null;
}

/** A new secret, shown this once (like a token): the receiver's developers store it now. */
function SecretNotice(props: { t: Translator; secret?: string; previousValidUntil?: Date }) {
  const { t } = props;
  if (!props.secret) return null;
  return (
    <div class="notice notice-success" role="status">
      <p>{t('webhooks.secretOnce')}</p>
      <p>
        <code class="wrap" data-secret>
          {props.secret}
        </code>
      </p>
      {props.previousValidUntil ? <p>{t('webhooks.previousValidUntil', { date: t.date(props.previousValidUntil, 'datetime') })}</p> : null}
    </div>
  );
}

/** An endpoint's state in words. */
export function stateText(t: Translator, e: Pick<EndpointRow, 'disabledAt' | 'disabledReason'>): string {
  if (!e.disabledAt) return t('webhooks.enabled');
  return t(e.disabledReason === 'gone' ? 'webhooks.disabledGone' : 'webhooks.disabledStaff', { date: t.date(e.disabledAt, 'datetime') });
}

/** A message's state in words. */
function messageState(t: Translator, m: Pick<MessageSummary, 'deliveredAt' | 'failedAt' | 'nextAttemptAt'>): string {
  if (m.deliveredAt) return t('webhooks.msg.delivered', { date: t.date(m.deliveredAt, 'datetime') });
  if (m.failedAt) return t('webhooks.msg.failed', { date: t.date(m.failedAt, 'datetime') });
  return m.nextAttemptAt ? t('webhooks.msg.pending', { date: t.date(m.nextAttemptAt, 'datetime') }) : t('webhooks.msg.waiting');
}

function EndpointFields(props: { t: Translator; form: FormState }) {
  const { t, form } = props;
  const l = labels(t);
  const error = form.errors.eventTypes;
  return (
    <>
      <TextField t={t} form={form} name="url" label={l.url} hint={t('webhooks.urlHint')} maxLength={2000} width="long" required />
      <TextArea t={t} form={form} name="description" label={l.description} hint={t('webhooks.descriptionHint')} maxLength={300} rows={2} />
      <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? 'eventTypes-error' : undefined}>
        <legend>{l.eventTypes}</legend>
        {error ? (
          <p class="error-message" id="eventTypes-error">
            {t(error.message as MessageKey)}
          </p>
        ) : null}
        {webhookEventTypes.map((type, i) => (
          <div id={i === 0 ? 'eventTypes' : undefined} tabindex={i === 0 ? -1 : undefined}>
            <Checkbox t={t} form={form} name={typeField(type)} label={`${eventLabel(t, type)} (${type})`} />
          </div>
        ))}
      </fieldset>
      <Radios
        t={t}
        form={form}
        name="personal"
        legend={l.personal}
        hint={t('webhooks.personalWarning')}
        required
        options={[
          { value: 'no', label: t('webhooks.personalNo') },
          { value: 'yes', label: t('webhooks.personalYes') },
        ]}
      />
    </>
  );
}

export interface WebhooksPageForms {
  endpoint: FormState;
  host: FormState;
}

/** The endpoints with their state, the form to add one, the allowed hosts. */
export function WebhooksPage(props: {
  ctx: PageContext;
  endpoints: EndpointSummary[];
  hosts: AllowedHostRow[];
  forms: WebhooksPageForms;
  flash?: string;
  created?: { endpointId: string; secret: string };
}) {
  const { ctx, forms } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('webhooks.title')}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('webhooks.title')}</h1>
      <Flash message={props.flash} />
      {props.created ? (
        <>
          <SecretNotice t={t} secret={props.created.secret} />
          <p>
            <a href={`${WEBHOOKS}/${props.created.endpointId}`}>{t('webhooks.seeEndpoint')}</a>
          </p>
        </>
      ) : null}
      <p>{t('webhooks.intro')}</p>
      <p>
        <a href={RECIPIENTS}>{t('webhooks.recipientsLink')}</a>
      </p>
      <h2>{t('webhooks.list')}</h2>
      {props.endpoints.length === 0 ? (
        <p>{t('webhooks.none')}</p>
      ) : (
        <Table
          id="webhook-endpoints"
          caption={t('webhooks.list')}
          captionHidden
          rows={props.endpoints}
          columns={[
            { label: t('webhooks.col.url'), rowHeader: true, cell: (e) => <a href={`${WEBHOOKS}/${e.id}`}>{e.url}</a> },
            { label: t('webhooks.col.types'), cell: (e) => e.eventTypes.map((type) => eventLabel(t, type)).join(', ') },
            { label: t('webhooks.col.personal'), cell: (e) => (e.personalData ? t('webhooks.personalYesShort') : t('webhooks.personalNoShort')) },
            { label: t('webhooks.col.state'), cell: (e) => stateText(t, e) },
            { label: t('webhooks.col.lastDelivery'), cell: (e) => (e.lastDeliveredAt ? t.date(e.lastDeliveredAt, 'datetime') : t('webhooks.never')) },
            { label: t('webhooks.col.failures'), cell: (e) => t('webhooks.failures', { failed: e.failed, attempts: e.failedAttempts, pending: e.pending }) },
          ]}
        />
      )}
      <h2>{t('webhooks.new')}</h2>
      <ErrorSummary t={t} form={forms.endpoint} labels={labels(t)} />
      <form method="post" action={WEBHOOKS} novalidate>
        <Csrf ctx={ctx} />
        <EndpointFields t={t} form={forms.endpoint} />
        <SubmitButton>{t('webhooks.submitNew')}</SubmitButton>
      </form>

      <h2 id="hotes">{t('webhooks.hosts')}</h2>
      <p>{t('webhooks.hostsIntro')}</p>
      {props.hosts.length === 0 ? (
        <p>{t('webhooks.noHosts')}</p>
      ) : (
        <Table
          id="webhook-hosts"
          caption={t('webhooks.hosts')}
          captionHidden
          rows={props.hosts}
          columns={[
            { label: t('webhooks.col.host'), rowHeader: true, cell: (h) => <code>{h.host}</code> },
            { label: t('webhooks.col.reason'), cell: (h) => h.reason },
            { label: t('webhooks.col.allowedAt'), cell: (h) => t.date(h.allowedAt, 'datetime') },
            {
              label: t('webhooks.col.actions'),
              labelHidden: true,
              cell: (h) => (
                <form method="post" action={`${WEBHOOKS}/hotes/retirer`} class="inline-form">
                  <Csrf ctx={ctx} />
                  <input type="hidden" name="host" value={h.host} />
                  <SubmitButton secondary>{t('webhooks.removeHost', { host: h.host })}</SubmitButton>
                </form>
              ),
            },
          ]}
        />
      )}
      <h3>{t('webhooks.addHost')}</h3>
      <ErrorSummary t={t} form={forms.host} labels={labels(t)} />
      <form method="post" action={`${WEBHOOKS}/hotes`} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={forms.host} name="host" label={labels(t).host} hint={t('webhooks.hostHint')} maxLength={253} required />
        <TextField t={t} form={forms.host} name="reason" label={labels(t).reason} maxLength={300} width="long" required />
        <SubmitButton>{t('webhooks.submitHost')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** One endpoint: its form, disabling it, rotating its secret, its messages of the last 30 days. */
export function EndpointPage(props: {
  ctx: PageContext;
  endpoint: EndpointRow;
  messages: MessageSummary[];
  form: FormState;
  flash?: string;
  rotated?: { secret: string; previousValidUntil: Date };
}) {
  const { ctx, endpoint } = props;
  const t = ctx.t;
  const base = `${WEBHOOKS}/${endpoint.id}`;
  const title = t('webhooks.endpointTitle', { url: endpoint.url });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={WEBHOOKS}>{t('webhooks.back')}</a>
      </p>
      <h1 class="wrap">{title}</h1>
      <Flash message={props.flash} />
      <SecretNotice t={t} secret={props.rotated?.secret} previousValidUntil={props.rotated?.previousValidUntil} />
      <p>{stateText(t, endpoint)}</p>
      <ErrorSummary t={t} form={props.form} labels={labels(t)} />
      <form method="post" action={base} novalidate>
        <Csrf ctx={ctx} />
        <EndpointFields t={t} form={props.form} />
        <SubmitButton>{t('webhooks.submitEdit')}</SubmitButton>
      </form>

      <h2>{t('webhooks.stateTitle')}</h2>
      <form method="post" action={`${base}/etat`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="disabled" value={endpoint.disabledAt ? 'no' : 'yes'} />
        <SubmitButton secondary>{endpoint.disabledAt ? t('webhooks.enable') : t('webhooks.disable')}</SubmitButton>
      </form>

      <h2>{t('webhooks.secretTitle')}</h2>
      <p>{t('webhooks.rotateHint')}</p>
      <form method="post" action={`${base}/secret`}>
        <Csrf ctx={ctx} />
        <SubmitButton secondary>{t('webhooks.rotate')}</SubmitButton>
      </form>

      <h2 id="messages">{t('webhooks.messages')}</h2>
      {props.messages.length === 0 ? (
        <p>{t('webhooks.noMessages')}</p>
      ) : (
        <Table
          id="webhook-messages"
          caption={t('webhooks.messages')}
          captionHidden
          rows={props.messages}
          columns={[
            { label: t('webhooks.col.message'), rowHeader: true, cell: (m) => <a href={`${base}/messages/${m.id}`}>{m.id}</a> },
            { label: t('webhooks.col.type'), cell: (m) => eventLabel(t, m.eventType) },
            { label: t('webhooks.col.createdAt'), cell: (m) => t.date(m.createdAt, 'datetime') },
            { label: t('webhooks.col.state'), cell: (m) => messageState(t, m) },
            { label: t('webhooks.col.attempts'), cell: (m) => String(m.attempts) },
          ]}
        />
      )}
    </Layout>
  );
}

/** One message: its body as sent, its attempts, and replaying it. */
export function MessagePage(props: { ctx: PageContext; endpoint: EndpointRow; message: MessageRow; attempts: AttemptRow[]; form: FormState; flash?: string }) {
  const { ctx, endpoint, message } = props;
  const t = ctx.t;
  const base = `${WEBHOOKS}/${endpoint.id}`;
  const title = t('webhooks.messageTitle', { id: message.id });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={`${base}#messages`}>{t('webhooks.backToEndpoint', { url: endpoint.url })}</a>
      </p>
      <h1 class="wrap">{title}</h1>
      <Flash message={props.flash} />
      <dl class="summary">
        <dt>{t('webhooks.col.type')}</dt>
        <dd>{`${eventLabel(t, message.eventType)} (${message.eventType})`}</dd>
        <dt>{t('webhooks.col.createdAt')}</dt>
        <dd>{t.date(message.createdAt, 'datetime')}</dd>
        <dt>{t('webhooks.col.state')}</dt>
        <dd>{messageState(t, message)}</dd>
        {message.replayedAt ? (
          <>
            <dt>{t('webhooks.replayedAt')}</dt>
            <dd>{t.date(message.replayedAt, 'datetime')}</dd>
          </>
        ) : null}
      </dl>
      <ErrorSummary t={t} form={props.form} labels={labels(t)} />
      <form method="post" action={`${base}/messages/${message.id}/rejouer`}>
        <Csrf ctx={ctx} />
        <p class="hint" id="replay">
          {t('webhooks.replayHint')}
        </p>
        <SubmitButton>{t('webhooks.replay')}</SubmitButton>
      </form>
      <h2>{t('webhooks.payload')}</h2>
      <pre class="prewrap wrap" tabindex={0}>
        <code>{JSON.stringify(message.payload, null, 2)}</code>
      </pre>
      <h2>{t('webhooks.attempts')}</h2>
      {props.attempts.length === 0 ? (
        <p>{t('webhooks.noAttempts')}</p>
      ) : (
        <Table
          id="webhook-attempts"
          caption={t('webhooks.attempts')}
          captionHidden
          rows={props.attempts}
          columns={[
            { label: t('webhooks.col.at'), rowHeader: true, cell: (a) => t.date(a.at, 'datetime') },
            { label: t('webhooks.col.status'), cell: (a) => (a.statusCode === null ? t('webhooks.noAnswer') : String(a.statusCode)) },
            { label: t('webhooks.col.error'), cell: (a) => a.error ?? '' },
            { label: t('webhooks.col.duration'), cell: (a) => t('webhooks.ms', { ms: a.durationMs }) },
            { label: t('webhooks.col.excerpt'), cell: (a) => (a.responseExcerpt ? <code class="wrap">{a.responseExcerpt}</code> : '') },
          ]}
        />
      )}
    </Layout>
  );
}

/** SVC-8 for the data protection officer: what each endpoint receives, field by field. */
export function RecipientsPage(props: { ctx: PageContext; recipients: EndpointRecipient[]; isAdmin: boolean }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('webhooks.recipients')}>
      <p>
        <a href="/personnel/registre-traitements">{t('webhooks.backToRegister')}</a>
        {props.isAdmin ? (
          <>
            {' · '}
            <a href={WEBHOOKS}>{t('webhooks.title')}</a>
          </>
        ) : null}
      </p>
      <h1>{t('webhooks.recipients')}</h1>
      <p>{t('webhooks.recipientsIntro')}</p>
      {props.recipients.length === 0 ? <p>{t('webhooks.none')}</p> : null}
      {props.recipients.map((r, i) => (
        <section aria-labelledby={`endpoint-${i}`}>
          <h2 id={`endpoint-${i}`} class="wrap">
            {r.url}
          </h2>
          {r.description ? <p>{r.description}</p> : null}
          <p>
            {r.personalData ? t('webhooks.recipientGranted') : t('webhooks.recipientNotGranted')}
            {r.disabled ? ` ${t('webhooks.recipientDisabled')}` : ''}
          </p>
          <Table
            id={`recipient-${i}`}
            caption={t('webhooks.recipientCaption', { url: r.url })}
            captionHidden
            rows={r.events}
            columns={[
              { label: t('webhooks.col.type'), rowHeader: true, cell: (e) => `${eventLabel(t, e.type)} (${e.type})` },
              {
                label: t('webhooks.col.fields'),
                cell: (e) => (
                  <ul>
                    {e.fields.map((f) => (
                      <li>
                        <code>{f.name}</code> — {t(f.meaning as MessageKey)}
                        {f.personal ? <strong> ({t('webhooks.personalField')})</strong> : null}
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </section>
      ))}
    </Layout>
  );
}

