import { numberInWords, type BotChallenge } from '../../../platform/botcheck';
import type { MessageKey, Translator } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, Notice, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { TermsText } from './consents';
import { OidcNotice, ProviderButtons, type ProviderButton } from './oidc';

/** ACC-13: a message about a sign-in with a provider shown at the top of the login page. */
export interface OidcLoginNotice {
  message: MessageKey;
  params?: Record<string, string | number>;
  detail?: string;
  provider?: string;
}

/**
 * ACC-2: the bot check. The browser script solves the ALTCHA challenge and hides the question;
 * without script, the question (numbers in words, read aloud by screen readers) is the check.
 * A wrong answer uses the question up: the form comes back with a new one.
 */
function BotcheckField(props: { t: Translator; form: FormState; challenge: BotChallenge }) {
  const { t, form, challenge } = props;
  const { kind, a, b } = challenge.question;
  const words = (n: number | undefined) => (n === undefined ? '' : numberInWords(n, t.locale));
  const error = form.errors.botcheckAnswer;
  return (
    <fieldset class={`field botcheck${error ? ' field-error' : ''}`} data-botcheck={challenge.altcha}>
      <legend>{t('botcheck.legend')}</legend>
      <p class="botcheck-status" role="status" aria-live="polite" data-botcheck-status hidden>
        {t('botcheck.working')}
      </p>
      <template data-botcheck-done>{t('botcheck.done')}</template>
      <input type="hidden" name="altcha" value="" data-botcheck-payload />
      <input type="hidden" name="botcheckToken" value={challenge.questionToken} />
      <div data-botcheck-question>
        <label for="botcheckAnswer">{t(`botcheck.question.${kind}`, { a: words(a), b: words(b) })}</label>
        {error ? (
          <p class="error-message" id="botcheckAnswer-error">
            {t(error.message, error.params)}
          </p>
        ) : null}
        <input
          id="botcheckAnswer"
          name="botcheckAnswer"
          type="text"
          inputMode="numeric"
          autocomplete="off"
          maxLength={3}
          class="input input-short"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'botcheckAnswer-error' : undefined}
        />
      </div>
    </fieldset>
  );
}

export function SignUpPage(props: { ctx: PageContext; form: FormState; challenge: BotChallenge; returnTo?: string; providers?: ProviderButton[] }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = {
    email: t('signup.email'),
    password: t('signup.password'),
    passwordConfirm: t('signup.passwordConfirm'),
    mobilePhone: t('signup.mobile'),
    terms: t('signup.terms'),
    botcheckAnswer: t('botcheck.legend'),
  };
  return (
    <Layout ctx={ctx} title={t('signup.title')}>
      <h1>{t('signup.title')}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      {props.providers?.length ? <p>{t('oidc.signupIntro')}</p> : null}
      <ProviderButtons ctx={ctx} providers={props.providers ?? []} returnTo={props.returnTo} />
      <p>{t('signup.intro')}</p>
      <form method="post" action={props.returnTo ? `/inscription?retour=${encodeURIComponent(props.returnTo)}` : '/inscription'} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="email" type="email" label={labels.email} hint={t('signup.emailHint')} autocomplete="email" required />
        <TextField
          t={t}
          form={form}
          name="password"
          type="password"
          label={labels.password}
          hint={t('password.rule')}
          autocomplete="new-password"
          required
        />
        <TextField t={t} form={form} name="passwordConfirm" type="password" label={labels.passwordConfirm} autocomplete="new-password" required />
        <TextField
          t={t}
          form={form}
          name="mobilePhone"
          type="tel"
          label={labels.mobilePhone}
          hint={t('signup.mobileHint')}
          autocomplete="tel"
          width="medium"
        />
        <Checkbox t={t} form={form} name="terms" required label={<>{t('signup.terms')} (<a href="/conditions">{t('signup.termsLink')}</a>)</>} />
        <Checkbox t={t} form={form} name="news" label={t('signup.news')} />
        <BotcheckField t={t} form={form} challenge={props.challenge} />
        <SubmitButton>{t('signup.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** A one-message page after an action ("check your email", "link expired"…), with one way on. */
export function MessagePage(props: {
  ctx: PageContext;
  title: MessageKey;
  message: MessageKey;
  params?: Record<string, string | number>;
  extra?: MessageKey;
  links?: { href: string; label: MessageKey }[];
  status?: 'success' | 'info';
}) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t(props.title)}>
      <h1>{t(props.title)}</h1>
      <p class={props.status === 'success' ? 'lead notice notice-success' : 'lead'}>{t(props.message, props.params)}</p>
      {props.extra ? <p>{t(props.extra)}</p> : null}
      {props.links?.length ? (
        <ul class="links">
          {props.links.map((l) => (
            <li key={l.href}>
              <a href={l.href}>{t(l.label)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}

export function LoginPage(props: { ctx: PageContext; form: FormState; returnTo?: string; notice?: MessageKey; providers?: ProviderButton[]; oidcNotice?: OidcLoginNotice }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = { email: t('login.identifier'), password: t('login.password') };
  const action = props.returnTo ? `/connexion?retour=${encodeURIComponent(props.returnTo)}` : '/connexion';
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      <h1>{t('login.title')}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      {props.oidcNotice ? <OidcNotice ctx={ctx} {...props.oidcNotice} /> : null}
      <ErrorSummary t={t} form={form} labels={labels} />
      <ProviderButtons ctx={ctx} providers={props.providers ?? []} returnTo={props.returnTo} />
      <form method="post" action={action} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="email" label={labels.email} hint={t('login.identifierHint')} autocomplete="username" required />
        <TextField t={t} form={form} name="password" type="password" label={labels.password} autocomplete="current-password" required />
        <SubmitButton>{t('login.submit')}</SubmitButton>
      </form>
      <ul class="links">
        <li>
          <a href="/mot-de-passe-oublie">{t('login.forgot')}</a>
        </li>
        <li>
          <a href="/activation/renvoyer">{t('login.resend')}</a>
        </li>
        <li>
          <a href="/compte/reprendre">{t('takeover.link')}</a>
        </li>
        <li>
          {t('login.noAccount')} <a href={props.returnTo ? `/inscription?retour=${encodeURIComponent(props.returnTo)}` : '/inscription'}>{t('layout.signup')}</a>
        </li>
      </ul>
    </Layout>
  );
}

export function TotpPage(props: { ctx: PageContext; form: FormState; returnTo?: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const action = props.returnTo ? `/connexion/code?retour=${encodeURIComponent(props.returnTo)}` : '/connexion/code';
  return (
    <Layout ctx={ctx} title={t('totp.title')}>
      <h1>{t('totp.title')}</h1>
      <ErrorSummary t={t} form={form} labels={{ code: t('totp.code') }} />
      <p>{t('totp.intro')}</p>
      <form method="post" action={action} novalidate>
        <Csrf ctx={ctx} />
        <TextField
          t={t}
          form={form}
          name="code"
          label={t('totp.code')}
          autocomplete="one-time-code"
          inputMode="numeric"
          width="short"
          maxLength={20}
          required
          keepValue={false}
        />
        <SubmitButton>{t('login.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** One email field and a button: forgotten password, resend activation. */
export function EmailRequestPage(props: {
  ctx: PageContext;
  form: FormState;
  action: string;
  title: MessageKey;
  intro: MessageKey;
  submit: MessageKey;
}) {
  const { ctx, form } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t(props.title)}>
      <h1>{t(props.title)}</h1>
      <ErrorSummary t={t} form={form} labels={{ email: t('login.email') }} />
      <p>{t(props.intro)}</p>
      <form method="post" action={props.action} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="email" type="email" label={t('login.email')} autocomplete="email" required />
        <SubmitButton>{t(props.submit)}</SubmitButton>
      </form>
    </Layout>
  );
}

export function ResetPasswordPage(props: { ctx: PageContext; form: FormState; token: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = { password: t('reset.password'), passwordConfirm: t('reset.passwordConfirm') };
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <h1>{t('reset.title')}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action={`/mot-de-passe/${encodeURIComponent(props.token)}`} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="password" type="password" label={labels.password} hint={t('password.rule')} autocomplete="new-password" required />
        <TextField t={t} form={form} name="passwordConfirm" type="password" label={labels.passwordConfirm} autocomplete="new-password" required />
        <SubmitButton>{t('reset.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

export function TermsPage(props: { ctx: PageContext }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t('signup.termsLink')}>
      <h1>{t('signup.termsLink')}</h1>
      {/* The text, its version and date: consents.rules.ts (one place). */}
      <TermsText ctx={props.ctx} />
    </Layout>
  );
}

/** ACC-3: the activation link's page: the password chosen at sign-up, typed again, activates and logs in. */
export function ActivationPage(props: { ctx: PageContext; form: FormState; action: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('activation.form.title')}>
      <h1>{t('activation.form.title')}</h1>
      <ErrorSummary t={t} form={form} labels={{ password: t('login.password') }} />
      <p>{t('activation.form.intro')}</p>
      <form method="post" action={props.action} novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="password" type="password" label={t('login.password')} autocomplete="current-password" required />
        <SubmitButton>{t('activation.form.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}
