import { notifyChannels, type NotifyChannel } from '../../../domain/vocabulary';
import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Radios, SubmitButton } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { formatPhone } from '../accounts.rules';
import type { NotifySettings } from '../notify.service';

/**
 * SVC-7: the learner chooses how to be told: email, SMS or both. A channel that cannot be used
 * (no mobile known, no email address) is shown disabled, with the reason and the way to add it;
 * what always goes by email (the account's own messages) and what goes by every channel (a
 * course cancelled) is said below.
 */
export function NotificationsPage(props: { ctx: PageContext; settings: NotifySettings; form: FormState; flash?: MessageKey }) {
  const { ctx, settings } = props;
  const t = ctx.t;
  const mobile = settings.mobile ? formatPhone(settings.mobile) : '';
  const email = settings.email ?? '';
  const label = (c: NotifyChannel) =>
    c === 'email'
      ? email
        ? t('notify.choice.emailTo', { email })
        : t('notify.choice.email')
      : c === 'sms'
        ? mobile
          ? t('notify.choice.smsTo', { mobile })
          : t('notify.choice.sms')
        : email && mobile
          ? t('notify.choice.bothTo', { email, mobile })
          : t('notify.choice.both');
  const possible = (c: NotifyChannel) => (c === 'email' ? settings.email !== null : c === 'sms' ? settings.mobile !== null : settings.email !== null && settings.mobile !== null);
  const hint = !settings.mobile ? t('notify.noMobile') : !settings.email ? t('notify.noEmail') : undefined;
  const form = { ...props.form, values: { notifyBy: settings.choice, ...props.form.values } };
  return (
    <Layout ctx={ctx} title={t('notify.title')} flash={props.flash ? t(props.flash) : undefined}>
      <h1>{t('notify.title')}</h1>
      <p>{t('notify.intro')}</p>
      <p>{t('notify.current', { choice: t(`notify.choice.${settings.choice}`) })}</p>
      <ErrorSummary t={t} form={form} labels={{ notifyBy: t('notify.legend') }} />
      <form method="post" action="/compte/notifications" novalidate>
        <Csrf ctx={ctx} />
        <Radios
          t={t}
          form={form}
          name="notifyBy"
          legend={t('notify.legend')}
          hint={hint}
          required
          options={notifyChannels.map((c) => ({ value: c, label: label(c), disabled: !possible(c) }))}
        />
        {!settings.mobile ? (
          <p>
            <a href="/compte#contact-title">{t('notify.addMobile')}</a>
          </p>
        ) : null}
        <SubmitButton>{t('notify.submit')}</SubmitButton>
      </form>
      <p>{t('notify.urgent')}</p>
      <p>{t('notify.accountEmails')}</p>
      <p>
        <a href="/compte">{t('notify.back')}</a>
      </p>
    </Layout>
  );
}
