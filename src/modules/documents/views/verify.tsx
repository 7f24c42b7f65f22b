import { isMessageKey, type Translator } from '../../../platform/i18n';
import { ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { PublicDocument, StaffDocumentView } from '../documents.service';

/** The official address, so that a copy of the page elsewhere is easier to spot. */
function OfficialAddress(props: { t: Translator; host: string }) {
  const [before, after] = props.t('doc.verify.official').split('{host}');
  return (
    <p class="notice" id="adresse-officielle">
      {before}
      <strong>{props.host}</strong>
      {after}
    </p>
  );
}

function CodeForm(props: { ctx: PageContext; form: FormState }) {
  const t = props.ctx.t;
  return (
    <form method="get" action="/verifier" novalidate>
      <ErrorSummary t={t} form={props.form} labels={{ code: t('doc.verify.codeLabel') }} />
      <TextField t={t} form={props.form} name="code" label={t('doc.verify.codeLabel')} hint={t('doc.verify.codeHint')} required maxLength={40} width="medium" autocomplete="off" />
      <SubmitButton>{t('doc.verify.submit')}</SubmitButton>
    </form>
  );
}

/** `/verifier`: type a code. */
export function VerifyFormPage(props: { ctx: PageContext; form: FormState; host: string }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t('doc.verify.title')}>
      <h1>{t('doc.verify.title')}</h1>
      <p class="lead">{t('doc.verify.intro')}</p>
      <CodeForm ctx={props.ctx} form={props.form} />
      <OfficialAddress t={t} host={props.host} />
    </Layout>
  );
}

/** `/verifier/CODE` for a code no document has (or one that cannot be a code). */
export function NoSuchDocumentPage(props: { ctx: PageContext; form: FormState; host: string }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t('doc.notFound.title')}>
      <h1>{t('doc.notFound.title')}</h1>
      <p>{t('doc.notFound.message')}</p>
      <OfficialAddress t={t} host={props.host} />
      <h2>{t('doc.verify.again')}</h2>
      <CodeForm ctx={props.ctx} form={props.form} />
    </Layout>
  );
}

/** A label that is a message key is translated; a value that is an ISO date or date-time is shown as one. */
const label = (t: Translator, text: string) => (isMessageKey(text) ? t(text) : text);
const value = (t: Translator, text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) ? t.date(text) : /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(text) ? t.date(new Date(text), 'datetime') : label(t, text);

/** `/verifier/CODE`: whether the document is genuine and its status; for staff in scope, their fuller view. */
export function DocumentPage(props: { ctx: PageContext; document: PublicDocument; signature: 'absent' | 'valid' | 'invalid'; staff: StaffDocumentView | null; host: string }) {
  const { ctx, document: d, staff } = props;
  const t = ctx.t;
  const title = t(`doc.status.${d.status}.title`);
  const rows: [string, string][] = [
    [t('doc.field.status'), t(`doc.statusName.${d.status}`)],
    [t('doc.field.kind'), t(`doc.kind.${d.kind}`)],
    [t('doc.field.code'), d.displayCode],
    [t('doc.field.holder'), d.initials],
    [t('doc.field.title'), d.title],
    [t('doc.field.issuer'), d.issuerName],
    [t('doc.field.issuedAt'), t.date(d.issuedAt)],
    ...(d.validFrom ? [[t('doc.field.validFrom'), t.date(d.validFrom)] as [string, string]] : []),
    ...(d.validUntil ? [[t('doc.field.validUntil'), t.date(d.validUntil)] as [string, string]] : []),
  ];
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class={`notice ${d.status === 'valid' ? 'notice-success' : 'notice-warning'}`}>
        {d.status === 'replaced' && (d.kind === 'diploma' || d.kind === 'transcript')
          ? t(`doc.status.replaced.${d.kind}`)
          : t(`doc.status.${d.status}.message`, { date: d.validUntil ? t.date(d.validUntil) : '' })}
      </p>
      {props.signature === 'valid' ? <p class="notice notice-success">{t('doc.signature.valid')}</p> : null}
      {props.signature === 'invalid' ? (
        <p class="notice notice-warning" role="alert">
          {t('doc.signature.invalid')}
        </p>
      ) : null}
      <dl class="summary">
        {rows.map(([term, text]) => (
          <>
            <dt>{term}</dt>
            <dd>{text}</dd>
          </>
        ))}
      </dl>
      <OfficialAddress t={t} host={props.host} />
      {staff ? (
        <section aria-labelledby="staff-view">
          <h2 id="staff-view">{t('doc.staff.title')}</h2>
          <p>{t('doc.staff.intro')}</p>
          <dl class="summary">
            <dt>{t('doc.staff.holder')}</dt>
            <dd>{staff.holderName}</dd>
            {Object.entries(staff.details).map(([term, text]) => (
              <>
                <dt>{label(t, term)}</dt>
                <dd>{value(t, text)}</dd>
              </>
            ))}
            {staff.revokedReason ? (
              <>
                <dt>{t('doc.staff.reason')}</dt>
                <dd>{label(t, staff.revokedReason)}</dd>
              </>
            ) : null}
            {staff.statusChangedAt ? (
              <>
                <dt>{t('doc.staff.changedAt')}</dt>
                <dd>{t.date(staff.statusChangedAt, 'datetime')}</dd>
              </>
            ) : null}
          </dl>
          {staff.staffPath ? (
            <p>
              <a href={staff.staffPath}>{t('doc.staff.open')}</a>
            </p>
          ) : null}
        </section>
      ) : null}
      <p>
        <a href="/verifier">{t('doc.verify.again')}</a>
      </p>
    </Layout>
  );
}
