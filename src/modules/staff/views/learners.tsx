import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Notice, SubmitButton, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { formatPhone, IdentityRows, type LearnerFile, type LearnerRow, type pendingNameChanges } from '../../accounts';

type PendingRow = Awaited<ReturnType<typeof pendingNameChanges>>[number];

const SEARCH_LIMIT = 50;
const displayName = (p: { lastName: string; firstName: string }) => `${p.lastName.toUpperCase()} ${p.firstName}`;

function Back(props: { href: string; label: string }) {
  return (
    <p>
      <a href={props.href}>{props.label}</a>
    </p>
  );
}

/** ACC-8: the learner search of coordinators and administrators, and the name changes waiting. */
export function LearnerSearchPage(props: { ctx: PageContext; form: FormState; rows: LearnerRow[]; pending: PendingRow[]; all: boolean; searched: boolean }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = { q: t('learners.search.q'), naissance: t('learners.search.birthDate') };
  return (
    <Layout ctx={ctx} title={t('learners.title')}>
      <Back href="/personnel" label={t('staff.title')} />
      <h1>{t('learners.title')}</h1>
      <p>{t(props.all ? 'learners.scopeAll' : 'learners.scopeCoordinator')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="get" action="/personnel/apprenants" role="search" novalidate>
        <TextField t={t} form={form} name="q" label={labels.q} hint={t('learners.search.qHint')} maxLength={200} width="long" />
        <TextField t={t} form={form} name="naissance" label={labels.naissance} hint={t('learners.search.birthDateHint')} width="medium" />
        <SubmitButton>{t('learners.search.submit')}</SubmitButton>
      </form>

      {props.searched ? (
        <section aria-labelledby="resultats">
          <h2 id="resultats">{t('learners.results', { count: props.rows.length })}</h2>
          {props.rows.length === 0 ? <p>{t('learners.none')}</p> : null}
          {props.rows.length >= SEARCH_LIMIT ? <p>{t('learners.tooMany', { count: SEARCH_LIMIT })}</p> : null}
          {props.rows.length ? (
            <div class="table-scroll" role="region" aria-labelledby="resultats" tabindex={0}>
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('learners.col.name')}</th>
                    <th scope="col">{t('learners.col.birthDate')}</th>
                    <th scope="col">{t('learners.col.email')}</th>
                    <th scope="col">{t('learners.col.request')}</th>
                  </tr>
                </thead>
                <tbody>
                  {props.rows.map((r) => (
                    <tr>
                      <td>
                        <a href={`/personnel/apprenants/${r.userId}`}>{displayName(r)}</a>
                        {r.birthName ? ` (${t('learners.born', { name: r.birthName })})` : ''}
                      </td>
                      <td>{t.date(r.birthDate)}</td>
                      <td>{r.email}</td>
                      <td>{r.pendingNameChange ? t('learners.requestPending') : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="demandes-nom">
        <h2 id="demandes-nom">{t('learners.pending', { count: props.pending.length })}</h2>
        {props.pending.length === 0 ? (
          <p>{t('learners.pendingNone')}</p>
        ) : (
          <ul>
            {props.pending.map((p) => (
              <li>
                <a href={`/personnel/apprenants/${p.userId}`}>{displayName(p)}</a> — {t('learners.requestedOn', { date: t.date(p.requestedAt) })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** ACC-8: one learner for staff: the record, and the pending name change with its two decisions. */
export function LearnerPage(props: { ctx: PageContext; file: LearnerFile; decline: FormState; notice?: MessageKey; flash?: string }) {
  const { ctx, file } = props;
  const t = ctx.t;
  const { profile } = file;
  const request = file.pendingNameChange;
  const phones = [profile.mobilePhone, profile.landlinePhone].filter(Boolean).map(formatPhone).join(' ; ');
  return (
    <Layout ctx={ctx} title={displayName(profile)} flash={props.flash}>
      <Back href="/personnel/apprenants" label={t('learners.title')} />
      <h1>{displayName(profile)}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <dl class="summary">
        <IdentityRows t={t} profile={profile} />
        <dt>{t('account.loginEmail')}</dt>
        <dd>{file.email}</dd>
        <dt>{t('record.address')}</dt>
        <dd>{[profile.address, profile.addressComplement1, profile.addressComplement2, `${profile.postalCode} ${profile.city}`].filter(Boolean).join(', ')}</dd>
        <dt>{t('record.phones')}</dt>
        <dd>{phones || '—'}</dd>
      </dl>

      <section aria-labelledby="changement-nom">
        <h2 id="changement-nom">{t('learners.nameChange')}</h2>
        {request ? (
          <>
            <p>{t('learners.requestedOn', { date: t.date(request.createdAt) })}</p>
            <dl class="summary">
              <dt>{t('record.lastName')}</dt>
              <dd>{request.lastName}</dd>
              <dt>{t('record.birthName')}</dt>
              <dd>{request.birthName ?? '—'}</dd>
              <dt>{t('record.firstName')}</dt>
              <dd>{request.firstName}</dd>
              <dt>{t('account.nameChangeReason')}</dt>
              <dd>{request.reason}</dd>
            </dl>
            <form method="post" action={`/personnel/apprenants/${file.userId}/nom/appliquer`} novalidate>
              <Csrf ctx={ctx} />
              <input type="hidden" name="demande" value={request.id} />
              <SubmitButton>{t('learners.apply')}</SubmitButton>
            </form>
            <h3>{t('learners.declineTitle')}</h3>
            <ErrorSummary t={t} form={props.decline} labels={{ motif: t('learners.declineNote') }} />
            <form method="post" action={`/personnel/apprenants/${file.userId}/nom/refuser`} novalidate>
              <Csrf ctx={ctx} />
              <input type="hidden" name="demande" value={request.id} />
              <TextArea t={t} form={props.decline} name="motif" label={t('learners.declineNote')} hint={t('learners.declineNoteHint')} maxLength={1000} rows={3} />
              <SubmitButton secondary>{t('learners.decline')}</SubmitButton>
            </form>
          </>
        ) : (
          <p>{t('learners.noRequest')}</p>
        )}
      </section>
    </Layout>
  );
}
