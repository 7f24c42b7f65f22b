import type { MessageKey } from '../../../platform/i18n';
import { Csrf, SubmitButton, Table } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { Consent } from '../consents.service';
import { currentTerms } from '../consents.rules';
import type { SignIn } from '../sign-ins.service';
import { describeDevice } from './account';

/** ACC-11: the account's consents: the list (given, withdrawn), the news opt-in to give or withdraw, the terms that only a closure ends. */
export function ConsentsPage(props: { ctx: PageContext; consents: Consent[]; receivesNews: boolean; flash?: MessageKey }) {
  const { ctx } = props;
  const t = ctx.t;
  const when = (at: Date, how: string | null) => t('consents.at', { date: t.date(at, 'datetime'), how: t(`consents.how.${how}` as MessageKey) });
  const terms = props.consents.find((c) => c.kind === 'terms' && !c.withdrawnAt);
  return (
    <Layout ctx={ctx} title={t('consents.title')} flash={props.flash ? t(props.flash) : undefined}>
      <h1>{t('consents.title')}</h1>
      <p>{t('consents.intro')}</p>
      {props.consents.length === 0 ? (
        <p>{t('consents.none')}</p>
      ) : (
        <Table
          id="consents"
          caption={t('consents.title')}
          captionHidden
          rows={props.consents}
          columns={[
            { label: t('consents.col.kind'), rowHeader: true, cell: (c) => t(`consents.kind.${c.kind}`) },
            { label: t('consents.col.version'), cell: (c) => c.version },
            { label: t('consents.col.given'), cell: (c) => when(c.givenAt, c.givenHow) },
            { label: t('consents.col.withdrawn'), cell: (c) => (c.withdrawnAt ? when(c.withdrawnAt, c.withdrawnHow) : t('consents.notWithdrawn')) },
          ]}
        />
      )}

      <section aria-labelledby="news-title">
        <h2 id="news-title">{t('consents.news.title')}</h2>
        <p>{t(props.receivesNews ? 'consents.news.on' : 'consents.news.off')}</p>
        <form method="post" action="/compte/consentements/informations">
          <Csrf ctx={ctx} />
          <input type="hidden" name="choice" value={props.receivesNews ? 'withdraw' : 'give'} />
          <SubmitButton secondary>{t(props.receivesNews ? 'consents.news.withdraw' : 'consents.news.give')}</SubmitButton>
        </form>
      </section>

      <section aria-labelledby="terms-title">
        <h2 id="terms-title">{t('consents.terms.title')}</h2>
        {terms ? <p>{t('consents.terms.accepted', { version: terms.version, date: t.date(terms.givenAt) })}</p> : null}
        <p>
          <a href="/conditions">{t('consents.terms.read')}</a>
        </p>
        <p>{t('consents.terms.cannotWithdraw')}</p>
        <p>
          <a href="/compte/fermer">{t('consents.terms.close')}</a>
        </p>
      </section>
    </Layout>
  );
}

/** The terms' text and the line of their version and date (the terms page and the page that asks for a new version). */
export function TermsText(props: { ctx: PageContext }) {
  const t = props.ctx.t;
  return (
    <>
      <p class="hint">{t('consents.terms.versionLine', { version: currentTerms.version, date: t.date(currentTerms.effectiveOn) })}</p>
      {currentTerms.text[props.ctx.locale].map((paragraph) => (
        <p>{paragraph}</p>
      ))}
    </>
  );
}

/**
 * ACC-1: the terms changed since the learner accepted them (or were never accepted: an account
 * made by a provider sign-in): what changed, the text, "accept"; whoever refuses is shown the
 * way out (download, close).
 */
export function TermsUpdatePage(props: { ctx: PageContext; acceptedBefore: boolean; returnTo?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  const params = { version: currentTerms.version, date: t.date(currentTerms.effectiveOn) };
  return (
    <Layout ctx={ctx} title={t('consents.update.title')}>
      <h1>{t('consents.update.title')}</h1>
      <p>{t(props.acceptedBefore ? 'consents.update.intro' : 'consents.update.first', params)}</p>
      {props.acceptedBefore ? (
        <section aria-labelledby="changes-title">
          <h2 id="changes-title">{t('consents.update.changes')}</h2>
          <ul>
            {currentTerms.changes[ctx.locale].map((change) => (
              <li>{change}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="terms-text-title">
        <h2 id="terms-text-title">{t('consents.update.text')}</h2>
        <TermsText ctx={ctx} />
      </section>
      <form method="post" action={props.returnTo ? `/compte/conditions?retour=${encodeURIComponent(props.returnTo)}` : '/compte/conditions'}>
        <Csrf ctx={ctx} />
        <SubmitButton>{t('consents.update.accept')}</SubmitButton>
      </form>
      <p>{t('consents.update.refuse')}</p>
      <ul>
        <li>
          <a href="/compte/donnees">{t('consents.update.download')}</a>
        </li>
        <li>
          <a href="/compte/fermer">{t('consents.update.close')}</a>
        </li>
      </ul>
      <form method="post" action="/deconnexion">
        <Csrf ctx={ctx} />
        <SubmitButton secondary>{t('consents.update.logout')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** ACC-11: "my sign-ins" (linked from the sessions of the account page): when, how, from which device and address. */
/** How many sign-ins the page shows, newest first. */
export const SIGN_INS_SHOWN = 50;

export function SignInsPage(props: { ctx: PageContext; signIns: SignIn[] }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t('consents.signIns.title')}>
      <h1>{t('consents.signIns.title')}</h1>
      <p>{t('consents.signIns.intro', { count: SIGN_INS_SHOWN })}</p>
      {props.signIns.length === 0 ? (
        <p>{t('consents.signIns.none')}</p>
      ) : (
        <Table
          id="sign-ins"
          caption={t('consents.signIns.title')}
          captionHidden
          rows={props.signIns}
          columns={[
            { label: t('consents.signIns.when'), cell: (s) => t.date(s.at, 'datetime') },
            { label: t('consents.signIns.how'), cell: (s) => t(`consents.signIns.method.${s.method}`, { provider: s.provider ?? '' }) },
            { label: t('consents.signIns.device'), cell: (s) => describeDevice(s.userAgent, t) },
            { label: t('consents.signIns.ip'), cell: (s) => s.ip ?? '' },
          ]}
        />
      )}
      <p>
        <a href="/compte">{t('consents.signIns.back')}</a>
      </p>
    </Layout>
  );
}
