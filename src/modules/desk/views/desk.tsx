import { allowances, objectives, situations } from '../../../domain/vocabulary';
import type { MessageKey, Translator } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, Radios, Select, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { formatPhone, LearnerRecordFields, mobileOfAddress, recordLabels, TAKEOVER_CODE_MINUTES } from '../../accounts';
import type { ApplicationView } from '../../applications';
import type { AssistedLearnerFile, DeskHome } from '../desk.service';
import { MOTIVATIONS_MAX } from '../desk.schema';

/** SVC-5: the help desk's pages. */

const displayName = (p: { lastName: string; firstName: string }) => `${p.lastName.toUpperCase()} ${p.firstName}`;

function Back(props: { href: string; label: string }) {
  return (
    <p>
      <a href={props.href}>{props.label}</a>
    </p>
  );
}

function Flash(props: { message?: string }) {
  return props.message ? (
    <div class="notice notice-success" role="status">
      <p>{props.message}</p>
    </div>
  ) : null;
}

/** "The person is here and agrees": on every form that changes something. */
function ConsentBox(props: { t: Translator; form: FormState; name?: string }) {
  return <Checkbox t={props.t} form={props.form} name={props.name ?? 'consent'} label={props.t('desk.consent.label')} hint={props.t('desk.consent.hint')} required />;
}

export function DeskHomePage(props: { ctx: PageContext; home: DeskHome; form: FormState; searched: boolean; flash?: string }) {
  const { ctx, home, form } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('desk.title')}>
      <h1>{t('desk.title')}</h1>
      <Flash message={props.flash} />
      <p>{t('desk.intro')}</p>
      {home.desks.length === 0 ? (
        <p>{t('desk.noDesk')}</p>
      ) : (
        <>
          <ul>
            {home.desks.map((d) => (
              <li key={d.id}>{t('desk.deskLine', { name: d.name, address: d.address, hours: d.hours })}</li>
            ))}
          </ul>
          <p>
            <a class="button" href="/personnel/accueil/inscrire">
              {t('desk.register.link')}
            </a>
          </p>
          <form method="get" action="/personnel/accueil" role="search" novalidate>
            <ErrorSummary t={t} form={form} labels={{ q: t('desk.search.label') }} />
            <TextField t={t} form={form} name="q" label={t('desk.search.label')} hint={t('desk.search.hint')} maxLength={100} />
            <SubmitButton secondary>{t('desk.search.submit')}</SubmitButton>
          </form>
          <h2>{t('desk.learners.title')}</h2>
          {home.learners.length === 0 ? (
            <p>{t(props.searched ? 'desk.learners.noMatch' : 'desk.learners.none')}</p>
          ) : (
            <Table
              id="desk-learners"
              caption={t('desk.learners.title')}
              captionHidden
              rows={home.learners}
              columns={[
                { label: t('desk.col.name'), rowHeader: true, cell: (r) => <a href={`/personnel/accueil/apprenants/${r.userId}`}>{displayName(r)}</a> },
                { label: t('desk.col.birthDate'), cell: (r) => t.date(r.birthDate) },
                { label: t('desk.col.registeredAt'), cell: (r) => t.date(r.registeredAt) },
                { label: t('desk.col.takeover'), cell: (r) => t(r.takenOver ? 'desk.takeover.done' : 'desk.takeover.awaiting') },
              ]}
            />
          )}
        </>
      )}
    </Layout>
  );
}

export function RegisterPage(props: { ctx: PageContext; form: FormState }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = { consent: t('desk.consent.label'), email: t('desk.account.email'), accountLocale: t('desk.account.locale'), ...recordLabels(t) };
  return (
    <Layout ctx={ctx} title={t('desk.register.title')}>
      <Back href="/personnel/accueil" label={t('desk.back')} />
      <h1>{t('desk.register.title')}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <p>{t('desk.register.intro')}</p>
      <form method="post" action="/personnel/accueil/inscrire" novalidate>
        <Csrf ctx={ctx} />
        <ConsentBox t={t} form={form} />
        <fieldset class="group">
          <legend>{t('desk.account.legend')}</legend>
          <TextField t={t} form={form} name="email" type="email" label={labels.email} hint={t('desk.account.emailHint')} autocomplete="off" maxLength={254} />
          <Radios
            t={t}
            form={{ ...form, values: { accountLocale: 'fr', ...form.values } }}
            name="accountLocale"
            legend={labels.accountLocale}
            required
            inline
            options={[
              { value: 'fr', label: t('desk.account.locale.fr') },
              { value: 'en', label: t('desk.account.locale.en') },
            ]}
          />
        </fieldset>
        <LearnerRecordFields t={t} form={form} />
        <SubmitButton>{t('desk.register.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

function statusText(t: Translator, a: ApplicationView): string {
  return t(`apps.status.${a.status}` as MessageKey);
}

export function AssistedLearnerPage(props: { ctx: PageContext; file: AssistedLearnerFile; apply: FormState; consent: FormState; flash?: string; notice?: string }) {
  const { ctx, file } = props;
  const t = ctx.t;
  const mobile = mobileOfAddress(file.email);
  return (
    <Layout ctx={ctx} title={displayName(file.profile)}>
      <Back href="/personnel/accueil" label={t('desk.back')} />
      <h1>{displayName(file.profile)}</h1>
      <Flash message={props.flash} />
      {props.notice ? (
        <div class="notice notice-warning" role="alert">
          <p>{props.notice}</p>
        </div>
      ) : null}
      <h2>{t('desk.learner.account')}</h2>
      <dl class="summary">
        <dt>{t('desk.learner.identifier')}</dt>
        <dd>{mobile ? t('desk.learner.mobileOnly', { phone: formatPhone(mobile) }) : file.email}</dd>
        <dt>{t('desk.learner.language')}</dt>
        <dd>{t(file.locale === 'en' ? 'desk.account.locale.en' : 'desk.account.locale.fr')}</dd>
      </dl>
      <p>{t(file.takeover.awaiting ? 'desk.learner.takeoverAwaiting' : 'desk.learner.takeoverDone')}</p>
      {file.takeover.lastCodeAt ? <p>{t('desk.learner.lastCode', { date: t.date(file.takeover.lastCodeAt, 'datetime'), minutes: TAKEOVER_CODE_MINUTES })}</p> : null}
      <form method="post" action={`/personnel/accueil/apprenants/${file.learnerId}/code`} novalidate>
        <Csrf ctx={ctx} />
        {/* Its own name: the page has a second form with the box (ids are unique on a page). */}
        <ConsentBox t={t} form={props.consent} name="consentSend" />
        <SubmitButton secondary>{t('desk.code.submit')}</SubmitButton>
        {file.takeover.awaiting && !mobile ? (
          <button type="submit" class="button button-secondary" formaction={`/personnel/accueil/apprenants/${file.learnerId}/courriel`}>
            {t('desk.email.submit')}
          </button>
        ) : null}
      </form>

      <h2>{t('desk.applications.title')}</h2>
      {file.applications.length === 0 ? (
        <p>{t('desk.applications.none')}</p>
      ) : (
        <ul>
          {file.applications.map((a) => (
            <li key={a.id}>
              {a.session.title} ({a.session.code}, {a.session.schoolName}) — {statusText(t, a)}
              {a.status === 'preselected' ? (
                <>
                  {' '}
                  — <a href={`/personnel/accueil/apprenants/${file.learnerId}/candidatures/${a.id}`}>{t('desk.applications.fill')}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {file.sessions.length === 0 ? (
        <p>{t('desk.apply.noSessions')}</p>
      ) : (
        <form method="post" action={`/personnel/accueil/apprenants/${file.learnerId}/candidatures`} novalidate>
          <Csrf ctx={ctx} />
          <fieldset class="group">
            <legend>{t('desk.apply.legend')}</legend>
            <ErrorSummary t={t} form={props.apply} labels={{ session: t('desk.apply.session'), consent: t('desk.consent.label') }} />
            <Select
              t={t}
              form={props.apply}
              name="session"
              label={t('desk.apply.session')}
              hint={t('desk.apply.hint')}
              placeholder={t('desk.apply.choose')}
              required
              options={file.sessions.map((s) => ({ value: s.code, label: `${s.title} — ${s.schoolName} (${s.code})` }))}
            />
            <ConsentBox t={t} form={props.apply} />
            <SubmitButton>{t('desk.apply.submit')}</SubmitButton>
          </fieldset>
        </form>
      )}
    </Layout>
  );
}

export function AssistedApplicationPage(props: { ctx: PageContext; learnerId: string; name: string; application: ApplicationView; form: FormState; notice?: string }) {
  const { ctx, application, form } = props;
  const t = ctx.t;
  const labels = {
    situation: t('desk.form.situation'),
    allowance: t('desk.form.allowance'),
    objective: t('desk.form.objective'),
    motivations: t('desk.form.motivations'),
    consent: t('desk.consent.label'),
  };
  const title = t('desk.form.title', { name: props.name, course: application.session.title });
  const action = `/personnel/accueil/apprenants/${props.learnerId}/candidatures/${application.id}`;
  return (
    <Layout ctx={ctx} title={title}>
      <Back href={`/personnel/accueil/apprenants/${props.learnerId}`} label={t('desk.backToLearner')} />
      <h1>{title}</h1>
      {props.notice ? (
        <div class="notice notice-warning" role="alert">
          <p>{props.notice}</p>
        </div>
      ) : null}
      {application.status !== 'preselected' ? (
        <p>{t('desk.form.notEditable', { status: statusText(t, application) })}</p>
      ) : (
        <>
          <ErrorSummary t={t} form={form} labels={labels} />
          <p>{t('desk.form.intro')}</p>
          <form method="post" action={action} novalidate>
            <Csrf ctx={ctx} />
            <Radios t={t} form={form} name="situation" legend={labels.situation} required options={situations.map((s) => ({ value: s, label: t(`apps.situation.${s}` as MessageKey) }))} />
            <Radios
              t={t}
              form={form}
              name="allowance"
              legend={labels.allowance}
              hint={t('desk.form.allowanceHint')}
              options={['none', ...allowances].map((a) => ({ value: a, label: t(`apps.allowance.${a}` as MessageKey) }))}
            />
            <Radios t={t} form={form} name="objective" legend={labels.objective} required options={objectives.map((o) => ({ value: o, label: t(`apps.objective.${o}` as MessageKey) }))} />
            <TextArea t={t} form={form} name="motivations" label={labels.motivations} required maxLength={MOTIVATIONS_MAX} rows={6} />
            <ConsentBox t={t} form={form} />
            <SubmitButton>{t('desk.form.submit')}</SubmitButton>
          </form>
        </>
      )}
    </Layout>
  );
}
