import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, FileField, Radios, SubmitButton, TextArea } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { emptyForm } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { Progress } from '../programmes.rules';
import type { DiplomaPage, StaffDiplomaRequest } from '../diplomas.service';
import { DIPLOMA_PROOF_FIELD } from '../diplomas.schema';
import { duplicateReasons } from '../programmes.table';

const kindLabel = (kind: string) => `prog.kind.${kind}` as MessageKey;
const statusLabel = (status: string) => `dipl.status.${status}` as MessageKey;
const reasonLabel = (reason: string) => `dipl.reason.${reason}` as MessageKey;

/** CRED-4: the eligibility check (`programmeProgress`): complete, or what is missing — credits, mandatory units, choices. */
export function EligibilityCheck(props: { ctx: PageContext; progress: Progress; id: string }) {
  const { t } = props.ctx;
  const { progress } = props;
  const missingCredits = Math.max(0, progress.creditsRequired - progress.creditsEarned);
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{t('dipl.check.title')}</h2>
      <p>{t('prog.learner.credits', { earned: progress.creditsEarned, required: progress.creditsRequired })}</p>
      {progress.complete ? (
        <p class="notice notice-success">{t('dipl.check.complete')}</p>
      ) : (
        <div class="notice notice-warning" id={`${props.id}-missing`}>
          <p>{t('dipl.check.incomplete')}</p>
          <ul>
            {missingCredits > 0 ? <li>{t('dipl.check.missingCredits', { credits: missingCredits })}</li> : null}
            {progress.mandatoryLeft.length ? <li>{t('dipl.check.missingMandatory', { units: progress.mandatoryLeft.join(', ') })}</li> : null}
            {progress.choicesLeft.map((list) => (
              <li>{t('dipl.check.missingChoice', { left: list.left, units: list.candidates.join(', ') })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** CRED-4: `/compte/cursus/CODE/diplome`: the check, the request's button, the requests, the diploma and the duplicate form. */
export function DiplomaRequestPage(props: { ctx: PageContext; page: DiplomaPage; form?: FormState; notice?: MessageKey; flash?: MessageKey; maxMegabytes: number; progressOverride?: Progress }) {
  const { ctx, page } = props;
  const { t } = ctx;
  const { programme } = page;
  const progress = props.progressOverride ?? page.progress;
  const title = t('dipl.learner.title', { kind: t(kindLabel(programme.kind)), title: programme.title });
  const base = `/compte/cursus/${encodeURIComponent(programme.code)}`;
  const form = props.form ?? emptyForm({});
  const duplicatePending = page.requests.some((r) => r.kind === 'duplicate' && r.status === 'pending');
  return (
    <Layout ctx={ctx} title={title} flash={props.flash ? t(props.flash) : undefined}>
      <p>
        <a href="/compte/cursus">{t('prog.learner.title')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? (
        <p class="notice notice-warning" role="alert">
          {t(props.notice)}
        </p>
      ) : null}
      <EligibilityCheck ctx={ctx} progress={progress} id="verification" />
      {page.document ? (
        <section aria-labelledby="mon-diplome">
          <h2 id="mon-diplome">{t('dipl.learner.diploma')}</h2>
          <p>
            <a href={`${base}/diplome.pdf`}>{page.document.duplicate ? t('dipl.learner.downloadDuplicate') : t('dipl.learner.download')}</a>{' '}
            {t('dipl.learner.code', { code: page.document.displayCode })}
          </p>
        </section>
      ) : null}
      {!page.granted && !page.pending && progress.complete ? (
        <form method="post" action={`${base}/diplome`}>
          <Csrf ctx={ctx} />
          <SubmitButton>{t('dipl.learner.request')}</SubmitButton>
        </form>
      ) : null}
      {page.requests.length ? (
        <section aria-labelledby="mes-demandes">
          <h2 id="mes-demandes">{t('dipl.learner.requests')}</h2>
          <ul>
            {page.requests.map((r) => (
              <li>
                {t(r.kind === 'duplicate' ? 'dipl.learner.requestDuplicateLine' : 'dipl.learner.requestLine', { date: t.date(r.requestedAt), status: t(statusLabel(r.status)) })}
                {r.reason ? ` (${t(reasonLabel(r.reason))})` : ''}
                {r.status === 'refused' && r.decisionReason ? ` — ${t('dipl.learner.why', { reason: r.decisionReason })}` : ''}
                {r.file ? (
                  <>
                    {' — '}
                    <a href={`${base}/duplicata/${r.id}/justificatif`}>{t('dipl.learner.proofFile')}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {page.granted && !duplicatePending ? (
        <section aria-labelledby="duplicata">
          <h2 id="duplicata">{t('dipl.duplicate.title')}</h2>
          <p>{t('dipl.duplicate.intro')}</p>
          <ErrorSummary t={t} form={form} labels={{ reason: t('dipl.duplicate.reason'), [DIPLOMA_PROOF_FIELD]: t('dipl.duplicate.file') }} />
          <form method="post" action={`${base}/duplicata`} enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <Radios t={t} form={form} name="reason" legend={t('dipl.duplicate.reason')} options={duplicateReasons.map((r) => ({ value: r, label: t(reasonLabel(r)) }))} required />
            <FileField
              t={t}
              form={form}
              name={DIPLOMA_PROOF_FIELD}
              label={t('dipl.duplicate.file')}
              hint={t('dipl.duplicate.fileHint', { max: props.maxMegabytes })}
              accept="application/pdf,image/jpeg,image/png"
              required
            />
            <SubmitButton>{t('dipl.duplicate.submit')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** CRED-4: `/personnel/diplomes`: the requests waiting for a decision. */
export function DiplomaQueuePage(props: { ctx: PageContext; requests: StaffDiplomaRequest[]; flash?: string }) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dipl.staff.title')} flash={props.flash}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('dipl.staff.title')}</h1>
      {props.requests.length ? (
        <ul class="links-compact">
          {props.requests.map((r) => (
            <li>
              <a href={`/personnel/diplomes/${r.id}`}>
                {t(r.kind === 'duplicate' ? 'dipl.staff.lineDuplicate' : 'dipl.staff.line', { name: r.learnerName, programme: `${r.programme.code} – ${r.programme.title}`, date: t.date(r.requestedAt) })}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('dipl.staff.none')}</p>
      )}
    </Layout>
  );
}

/** CRED-4: one request for the administrator: the learner, the programme, the check, the proof; the decision. */
export function DiplomaDecisionPage(props: { ctx: PageContext; request: StaffDiplomaRequest; form?: FormState; notice?: MessageKey; flash?: MessageKey; progressOverride?: Progress }) {
  const { ctx, request: r } = props;
  const { t } = ctx;
  const form = props.form ?? emptyForm({});
  const title = t(r.kind === 'duplicate' ? 'dipl.staff.titleDuplicate' : 'dipl.staff.titleOne', { name: r.learnerName });
  return (
    <Layout ctx={ctx} title={title} flash={props.flash ? t(props.flash) : undefined}>
      <p>
        <a href="/personnel/diplomes">{t('dipl.staff.title')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? (
        <p class="notice notice-warning" role="alert">
          {t(props.notice)}
        </p>
      ) : null}
      <dl class="summary">
        <dt>{t('dipl.staff.programme')}</dt>
        <dd>
          {t(kindLabel(r.programme.kind))} {r.programme.code} – {r.programme.title}
        </dd>
        <dt>{t('dipl.staff.requestedAt')}</dt>
        <dd>{t.date(r.requestedAt, 'datetime')}</dd>
        <dt>{t('dipl.staff.status')}</dt>
        <dd>{t(statusLabel(r.status))}</dd>
        {r.reason ? (
          <>
            <dt>{t('dipl.duplicate.reason')}</dt>
            <dd>{t(reasonLabel(r.reason))}</dd>
          </>
        ) : null}
        {r.documentCode ? (
          <>
            <dt>{t('dipl.staff.document')}</dt>
            <dd>
              <a href={`/verifier/${r.documentCode.replace(/-/g, '')}`}>{r.documentCode}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {r.file ? (
        <p>
          <a href={`/personnel/diplomes/${r.id}/justificatif`}>{t('dipl.staff.proofFile', { name: r.file.originalName })}</a>
        </p>
      ) : null}
      {r.kind === 'original' ? <EligibilityCheck ctx={ctx} progress={props.progressOverride ?? r.progress} id="verification" /> : null}
      {r.status === 'pending' ? (
        <section aria-labelledby="decision">
          <h2 id="decision">{t('dipl.staff.decide')}</h2>
          <ErrorSummary t={t} form={form} labels={{ decision: t('dipl.staff.decision'), reason: t('dipl.staff.reason') }} />
          <form method="post" action={`/personnel/diplomes/${r.id}`} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              t={t}
              form={form}
              name="decision"
              legend={t('dipl.staff.decision')}
              options={[
                { value: 'grant', label: t(r.kind === 'duplicate' ? 'dipl.staff.grantDuplicate' : 'dipl.staff.grant') },
                { value: 'refuse', label: t('dipl.staff.refuse') },
              ]}
              required
            />
            <TextArea t={t} form={form} name="reason" label={t('dipl.staff.reason')} hint={t('dipl.staff.reasonHint')} rows={3} />
            <SubmitButton>{t('dipl.staff.save')}</SubmitButton>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
