import { isMessageKey, type MessageKey } from '../../../platform/i18n';
import { HelpLink } from '../../help';
import { Csrf, ErrorSummary, Notice, SubmitButton, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { ClosurePage as ClosureFacts } from '../closure.service';

/**
 * ACC-11: `/compte/fermer`. What is deleted, what the law keeps (anonymised, for how long: the
 * policies), what follows; then either why it cannot be done now (the sets' reasons, and where
 * to go) or the confirmation by the password.
 */
/** `labelOf`: a linked provider's label from its name (the accounts facade's `providerLabel`). */
export function ClosurePage(props: { ctx: PageContext; facts: ClosureFacts; form?: FormState; notice?: MessageKey; labelOf: (provider: string) => string }) {
  const { ctx, facts } = props;
  const t = ctx.t;
  const form = props.form ?? emptyForm();
  return (
    <Layout ctx={ctx} title={t('privacy.closure.title')}>
      <h1>{t('privacy.closure.title')}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <ErrorSummary t={t} form={form} labels={{ password: t('privacy.closure.password') }} />
      <p class="lead">{t('privacy.closure.intro')}</p>
      <HelpLink t={t} slug="donnees-personnelles" />
      <p>
        <a href="/compte/donnees">{t('privacy.closure.exportFirst')}</a>
      </p>

      <h2>{t('privacy.closure.deleted.title')}</h2>
      <ul>
        <li>{t('privacy.closure.deleted.record')}</li>
        <li>{t('privacy.closure.deleted.applications')}</li>
        <li>{t('privacy.closure.deleted.account')}</li>
        <li>{t('privacy.closure.deleted.messages')}</li>
      </ul>

      <h2>{t('privacy.closure.kept.title')}</h2>
      <ul>
        <li>{t('privacy.closure.kept.payments', { years: facts.policies.paymentRetentionYears })}</li>
        <li>{t('privacy.closure.kept.documents', { years: facts.policies.issuedDocumentRetentionYears })}</li>
        {props.ctx.profile === 'credits' ? <li>{t('privacy.closure.kept.academicRecord', { years: facts.policies.issuedDocumentRetentionYears })}</li> : null}
      </ul>
      <p>{t('privacy.closure.kept.anonymous')}</p>

      <h2>{t('privacy.closure.after.title')}</h2>
      <ul>
        <li>{t('privacy.closure.after.signedOut')}</li>
        <li>{t('privacy.closure.after.signUp')}</li>
      </ul>

      {facts.blocks.length ? (
        <section aria-labelledby="blocked-title" class="notice notice-warning">
          <h2 id="blocked-title">{t('privacy.closure.blocked.title')}</h2>
          <p>{t('privacy.closure.blocked.intro')}</p>
          <ul>
            {facts.blocks.map((reason) => (
              <li>{isMessageKey(reason) ? t(reason) : t('privacy.closure.blocked.other')}</li>
            ))}
          </ul>
          <p>{t('privacy.closure.blocked.where')}</p>
          <p>
            <a class="button" href="/candidatures">
              {t('privacy.closure.blocked.applications')}
            </a>
          </p>
          <p>{t('privacy.closure.blocked.help')}</p>
        </section>
      ) : facts.localPassword ? (
        <section aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t('privacy.closure.confirm.title')}</h2>
          <form method="post" action="/compte/fermer" novalidate>
            <Csrf ctx={ctx} />
            <TextField
              t={t}
              form={form}
              name="password"
              type="password"
              label={t('privacy.closure.password')}
              hint={t('privacy.closure.passwordHint')}
              autocomplete="current-password"
              required
            />
            <SubmitButton>{t('privacy.closure.submit')}</SubmitButton>
          </form>
        </section>
      ) : facts.reauthenticated ? (
        <section aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t('privacy.closure.confirm.title')}</h2>
          <p>{t('privacy.closure.reauthDone')}</p>
          <form method="post" action="/compte/fermer">
            <Csrf ctx={ctx} />
            <SubmitButton>{t('privacy.closure.submit')}</SubmitButton>
          </form>
        </section>
      ) : (
        <section aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t('privacy.closure.confirm.title')}</h2>
          <p>{t('privacy.closure.noPassword')}</p>
          {facts.providers.length ? (
            facts.providers.map((provider) => (
              // The oidc part's start of a sign-in, as a re-authentication that comes back here.
              <form method="post" action={`/connexion/oidc/${encodeURIComponent(provider)}?retour=${encodeURIComponent('/compte/fermer')}`}>
                <Csrf ctx={ctx} />
                <input type="hidden" name="reauth" value="1" />
                <SubmitButton>{t('privacy.closure.reauth', { provider: props.labelOf(provider) })}</SubmitButton>
              </form>
            ))
          ) : (
            <p>{t('privacy.closure.reauthUnavailable')}</p>
          )}
        </section>
      )}
    </Layout>
  );
}

/** After the closure (the learner is signed out), or when the account was closed already. */
export function ClosedPage(props: { ctx: PageContext; already?: boolean }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t('privacy.closure.done.title')}>
      <h1>{t('privacy.closure.done.title')}</h1>
      <p class="lead notice notice-success">{t(props.already ? 'privacy.closure.alreadyClosed' : 'privacy.closure.done.message')}</p>
      <p>
        <a href="/">{t('layout.home')}</a>
      </p>
    </Layout>
  );
}
