import type { MessageKey } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { PendingStep } from '../oidc.service';

/** A provider as its button shows it. */
export interface ProviderButton {
  name: string;
  kind: 'franceconnect' | 'generic';
  label: string;
}

const startAction = (name: string, returnTo?: string) => `/connexion/oidc/${encodeURIComponent(name)}${returnTo ? `?retour=${encodeURIComponent(returnTo)}` : ''}`;

/**
 * ACC-13: FranceConnect's button as its kit publishes it (the DSFR's `fr-connect` markup: a
 * button "S’identifier avec FranceConnect", the link "Qu’est-ce que FranceConnect ?" in a new
 * window), a POST form (CSRF token) that sends the browser to the provider.
 */
function FranceConnectButton(props: { ctx: PageContext; name: string; returnTo?: string; reauth?: boolean }) {
  const t = props.ctx.t;
  return (
    <div class="fr-connect-group">
      <form method="post" action={startAction(props.name, props.returnTo)}>
        <Csrf ctx={props.ctx} />
        {props.reauth ? <input type="hidden" name="reauth" value="1" /> : null}
        <button type="submit" class="fr-connect">
          <span class="fr-connect__login">{t('oidc.franceconnect.login')}</span> <span class="fr-connect__brand">FranceConnect</span>
        </button>
      </form>
      <p>
        <a href="https://franceconnect.gouv.fr/" target="_blank" rel="noopener" title={t('oidc.franceconnect.whatTitle')}>
          {t('oidc.franceconnect.what')}
        </a>
      </p>
    </div>
  );
}

function GenericProviderButton(props: { ctx: PageContext; provider: ProviderButton; returnTo?: string; reauth?: boolean }) {
  return (
    <form method="post" action={startAction(props.provider.name, props.returnTo)} class="oidc-provider">
      <Csrf ctx={props.ctx} />
      {props.reauth ? <input type="hidden" name="reauth" value="1" /> : null}
      <SubmitButton secondary>{props.ctx.t('oidc.generic.login', { provider: props.provider.label })}</SubmitButton>
    </form>
  );
}

/**
 * ACC-13: the providers' buttons, FranceConnect first, then the "OU" separator before the local
 * form (the page puts this block first). Nothing when no provider is configured. `reauth`: the
 * buttons re-authenticate a signed-in person (ACC-11's closure), back to `returnTo`.
 */
export function ProviderButtons(props: { ctx: PageContext; providers: ProviderButton[]; returnTo?: string; reauth?: boolean; separator?: boolean }) {
  if (!props.providers.length) return null;
  const ordered = [...props.providers].sort((a, b) => (a.kind === 'franceconnect' ? -1 : 0) - (b.kind === 'franceconnect' ? -1 : 0));
  return (
    <>
      <div class="oidc-providers">
        {ordered.map((p) =>
          p.kind === 'franceconnect' ? (
            <FranceConnectButton key={p.name} ctx={props.ctx} name={p.name} returnTo={props.returnTo} reauth={props.reauth} />
          ) : (
            <GenericProviderButton key={p.name} ctx={props.ctx} provider={p} returnTo={props.returnTo} reauth={props.reauth} />
          ),
        )}
      </div>
      {props.separator === false ? null : (
        <p class="oidc-separator" role="separator">
          {props.ctx.t('oidc.or')}
        </p>
      )}
    </>
  );
}

/** A message in plain words about a sign-in with a provider, with its parameters. */
export function OidcNotice(props: { ctx: PageContext; message: MessageKey; params?: Record<string, string | number>; detail?: string; provider?: string; kind?: 'warning' | 'success' }) {
  const t = props.ctx.t;
  return (
    <div class={`notice notice-${props.kind ?? 'warning'}`} role={props.kind === 'success' ? 'status' : 'alert'}>
      <p>{t(props.message, props.params)}</p>
      {props.detail ? <p>{t('oidc.providerSaid', { provider: props.provider ?? '', description: props.detail })}</p> : null}
    </div>
  );
}

/** ACC-13: after a first sign-in with a provider, what the person chooses (link an account, create one, another address). */
export function OidcStepPage(props: { ctx: PageContext; step: PendingStep; label: string; form?: FormState; notice?: MessageKey }) {
  const { ctx, step, label } = props;
  const t = ctx.t;
  const form = props.form ?? emptyForm();
  const params = { provider: label, email: 'email' in step && step.email ? step.email : '' };
  const title = step.step === 'email_sent' ? t('oidc.step.sentTitle') : t('oidc.step.title', { provider: label });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {props.notice ? <OidcNotice ctx={ctx} message={props.notice} params={params} /> : null}
      <ErrorSummary t={t} form={form} labels={{ password: t('oidc.step.password'), email: t('oidc.step.email'), terms: t('signup.terms') }} />
      {step.step === 'link' ? (
        <>
          <p>{t(step.withPassword ? 'oidc.step.linkIntro' : 'oidc.step.linkIntroNoPassword', params)}</p>
          {step.withPassword ? (
            <form method="post" action="/connexion/oidc/suite/mot-de-passe" novalidate>
              <Csrf ctx={ctx} />
              <TextField t={t} form={form} name="password" type="password" label={t('oidc.step.password')} autocomplete="current-password" required />
              <SubmitButton>{t('oidc.step.passwordSubmit')}</SubmitButton>
            </form>
          ) : null}
          {step.withPassword ? <p>{t('oidc.step.orLink')}</p> : null}
          <form method="post" action="/connexion/oidc/suite/lien">
            <Csrf ctx={ctx} />
            <SubmitButton secondary={step.withPassword}>{t('oidc.step.sendLink')}</SubmitButton>
          </form>
        </>
      ) : null}
      {step.step === 'create' ? (
        <>
          <p>{t('oidc.step.createIntro', params)}</p>
          <form method="post" action="/connexion/oidc/suite/creer" novalidate>
            <Csrf ctx={ctx} />
            <Checkbox t={t} form={form} name="terms" required label={<>{t('signup.terms')} (<a href="/conditions">{t('signup.termsLink')}</a>)</>} />
            <Checkbox t={t} form={form} name="news" label={t('signup.news')} />
            <SubmitButton>{t('oidc.step.createSubmit')}</SubmitButton>
          </form>
        </>
      ) : null}
      {step.step === 'unverified' ? (
        <>
          <p>{t('oidc.step.unverifiedIntro', params)}</p>
          <form method="post" action="/connexion/oidc/suite/lien" novalidate>
            <Csrf ctx={ctx} />
            <TextField t={t} form={form} name="email" type="email" label={t('oidc.step.email')} autocomplete="email" required />
            <Checkbox t={t} form={form} name="terms" required label={<>{t('signup.terms')} (<a href="/conditions">{t('signup.termsLink')}</a>)</>} />
            <SubmitButton>{t('oidc.step.sendLink')}</SubmitButton>
          </form>
          <p>{t('oidc.step.unverifiedLocal', params)}</p>
          <ul class="links">
            <li>
              <a href="/connexion">{t('layout.login')}</a>
            </li>
            <li>
              <a href="/inscription">{t('layout.signup')}</a>
            </li>
          </ul>
        </>
      ) : null}
      {step.step === 'staff' ? (
        <>
          <p>{t('oidc.step.staff', params)}</p>
          <ul class="links">
            <li>
              <a href="/connexion">{t('layout.login')}</a>
            </li>
          </ul>
        </>
      ) : null}
      {step.step === 'email_sent' ? <p class="lead">{t('oidc.step.sent', params)}</p> : null}
    </Layout>
  );
}
