import type { MessageKey, Params } from '../../../platform/i18n';
import { Csrf, ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { linkOf } from '../legacy.service';

type Linked = NonNullable<Awaited<ReturnType<typeof linkOf>>>;

export interface LinkForms {
  password: FormState;
  codeRequest: FormState;
  code: FormState;
}

/** The old record, as the old system had it, for the learner to compare with theirs (seed 002: "contrôlez vos informations"). */
function OldRecord(props: { ctx: PageContext; linked: Linked }) {
  const { t, locale } = props.ctx;
  const r = props.linked.record;
  const rows: [string, string | null][] = [
    [t('record.civility'), r.civility ? t(`record.civility.${r.civility}` as MessageKey) : null],
    [t('record.lastName'), r.lastName],
    [t('record.birthName'), r.birthName],
    [t('record.firstName'), r.firstName],
    [t('record.birthDate'), r.birthDate ? t.date(r.birthDate) : null],
    [t('record.birthCountry'), r.birthCountry ? (new Intl.DisplayNames([locale], { type: 'region' }).of(r.birthCountry) ?? r.birthCountry) : null],
    [t('record.address'), [r.address, r.addressComplement1, r.addressComplement2, [r.postalCode, r.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null],
    [t('record.mobile'), r.mobilePhone],
    [t('record.landline'), r.landlinePhone],
  ];
  return (
    <section aria-labelledby="old-record-title">
      <h2 id="old-record-title">{t('legacy.link.record')}</h2>
      <p>{t('legacy.link.recordIntro')}</p>
      <dl class="summary">
        {rows
          .filter((row): row is [string, string] => Boolean(row[1]))
          .map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
      </dl>
    </section>
  );
}

/**
 * ACC-9: `/compte/ancien-compte`: once linked, the link and the old record; before, the two ways
 * to link: the old address and password, or a code sent to the old address (the code's field
 * first while one is live, and always right after a code's request, whatever the address).
 */
export function LegacyLinkPage(props: {
  ctx: PageContext;
  linked: Linked | null;
  forms: LinkForms;
  codeSent?: boolean;
  minutes: number;
  notice?: { message: MessageKey; params?: Params };
}) {
  const { ctx, linked, forms } = props;
  const t = ctx.t;
  const codeForm = (
    <section aria-labelledby="code-title">
      <h2 id="code-title">{t('legacy.link.codeTitle')}</h2>
      {props.codeSent ? (
        <p class="notice notice-info" role="status">
          {t('legacy.link.codeSent', { minutes: props.minutes })}
        </p>
      ) : null}
      <ErrorSummary t={t} form={forms.code} labels={{ code: t('legacy.link.code') }} />
      <form method="post" action="/compte/ancien-compte/code/valider" novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={forms.code} name="code" label={t('legacy.link.code')} hint={t('legacy.link.codeHint')} autocomplete="one-time-code" inputMode="numeric" required maxLength={20} width="short" keepValue={false} />
        <SubmitButton>{t('legacy.link.codeSubmit')}</SubmitButton>
      </form>
    </section>
  );
  return (
    <Layout ctx={ctx} title={t('legacy.link.title')}>
      <p>
        <a href="/compte">{t('legacy.link.back')}</a>
      </p>
      <h1>{t('legacy.link.title')}</h1>
      {props.notice ? (
        <p class="notice notice-success" role="status">
          {t(props.notice.message, props.notice.params)}
        </p>
      ) : null}
      {linked ? (
        <>
          <p>{t('legacy.link.done', { email: linked.oldEmail, date: t.date(linked.linkedAt, 'date') })}</p>
          <p>
            <a href="/compte/historique">{t('legacy.link.history')}</a>
          </p>
          <OldRecord ctx={ctx} linked={linked} />
        </>
      ) : (
        <>
          <p>{t('legacy.link.intro')}</p>
          {props.codeSent ? codeForm : null}
          <section aria-labelledby="password-title">
            <h2 id="password-title">{t('legacy.link.byPassword')}</h2>
            <ErrorSummary t={t} form={forms.password} labels={{ email: t('legacy.link.oldEmail'), password: t('legacy.link.oldPassword') }} />
            <form method="post" action="/compte/ancien-compte" novalidate>
              <Csrf ctx={ctx} />
              <TextField t={t} form={forms.password} name="email" type="email" label={t('legacy.link.oldEmail')} autocomplete="off" required maxLength={254} />
              <TextField t={t} form={forms.password} name="password" type="password" label={t('legacy.link.oldPassword')} autocomplete="off" required maxLength={1024} />
              <SubmitButton>{t('legacy.link.submit')}</SubmitButton>
            </form>
          </section>
          <section aria-labelledby="request-title">
            <h2 id="request-title">{t('legacy.link.byCode')}</h2>
            <p>{t('legacy.link.byCodeIntro', { minutes: props.minutes })}</p>
            <ErrorSummary t={t} form={forms.codeRequest} labels={{ codeEmail: t('legacy.link.oldEmail') }} />
            <form method="post" action="/compte/ancien-compte/code" novalidate>
              <Csrf ctx={ctx} />
              <TextField t={t} form={forms.codeRequest} name="codeEmail" type="email" label={t('legacy.link.oldEmail')} autocomplete="off" required maxLength={254} />
              <SubmitButton secondary>{t('legacy.link.sendCode')}</SubmitButton>
            </form>
          </section>
          {/* The code's field is on the page whether a code was sent or not: its presence says nothing of an address. */}
          {props.codeSent ? null : codeForm}
        </>
      )}
    </Layout>
  );
}
