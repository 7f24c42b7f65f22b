import { Csrf, ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';

/** SVC-5: taking over an account made at a help desk with the code received by SMS. */
export function TakeoverPage(props: { ctx: PageContext; form: FormState }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = {
    identifier: t('takeover.identifier'),
    code: t('takeover.code'),
    password: t('reset.password'),
    passwordConfirm: t('reset.passwordConfirm'),
  };
  return (
    <Layout ctx={ctx} title={t('takeover.title')}>
      <h1>{t('takeover.title')}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <p>{t('takeover.intro')}</p>
      <form method="post" action="/compte/reprendre" novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="identifier" label={labels.identifier} hint={t('takeover.identifierHint')} autocomplete="username" required maxLength={254} />
        <TextField t={t} form={form} name="code" label={labels.code} hint={t('takeover.codeHint')} autocomplete="one-time-code" inputMode="numeric" width="short" required keepValue={false} />
        <TextField t={t} form={form} name="password" type="password" label={labels.password} hint={t('password.rule')} autocomplete="new-password" required />
        <TextField t={t} form={form} name="passwordConfirm" type="password" label={labels.passwordConfirm} autocomplete="new-password" required />
        <SubmitButton>{t('takeover.submit')}</SubmitButton>
      </form>
      <p>{t('takeover.noCode')}</p>
    </Layout>
  );
}

/** SVC-5: the activation link of an account made at a desk: the learner chooses their password. */
export function AssistedActivationPage(props: { ctx: PageContext; form: FormState; action: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = { password: t('reset.password'), passwordConfirm: t('reset.passwordConfirm') };
  return (
    <Layout ctx={ctx} title={t('takeover.activation.title')}>
      <h1>{t('takeover.activation.title')}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <p>{t('takeover.activation.intro')}</p>
      <form method="post" action={props.action} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="password" type="password" label={labels.password} hint={t('password.rule')} autocomplete="new-password" required />
        <TextField t={t} form={form} name="passwordConfirm" type="password" label={labels.passwordConfirm} autocomplete="new-password" required />
        <SubmitButton>{t('takeover.activation.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}
