import { countryOptions, type MessageKey, type Translator } from '../../../platform/i18n';
import { countryCodes } from '../../../platform/i18n/countries';
import { Csrf, ErrorSummary, Notice, Radios, Select, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { formatPhone } from '../accounts.rules';
import { mobileOfAddress } from '../takeover.rules';
import type { LearnerProfile } from '../record.service';
import type { SessionInfo } from '../sessions.service';
import type { AccountLink } from '../ports';
import { civilities, heardFromOptions } from '../../../domain/vocabulary';

export function contactLabels(t: Translator) {
  return {
    address: t('record.addressLine'),
    addressComplement1: t('record.addressComplement1'),
    addressComplement2: t('record.addressComplement2'),
    postalCode: t('record.postalCode'),
    city: t('record.city'),
    country: t('record.country'),
    mobilePhone: t('record.mobile'),
    landlinePhone: t('record.landline'),
  };
}

/** Address and phones: part of the record form and, alone, of the account page (ACC-8). */
export function ContactFields(props: { t: Translator; form: FormState }) {
  const { t, form } = props;
  const labels = contactLabels(t);
  const countries = countryOptions(t.locale, countryCodes).map((c) => ({ value: c.code, label: c.name }));
  return (
    <>
      <fieldset class="group">
        <legend>{t('record.address')}</legend>
        <TextField t={t} form={form} name="address" label={labels.address} autocomplete="address-line1" required maxLength={200} />
        <TextField
          t={t}
          form={form}
          name="addressComplement1"
          label={labels.addressComplement1}
          hint={t('record.addressComplementHint')}
          autocomplete="address-line2"
          maxLength={200}
        />
        <TextField t={t} form={form} name="addressComplement2" label={labels.addressComplement2} autocomplete="address-line3" maxLength={200} />
        <TextField t={t} form={form} name="postalCode" label={labels.postalCode} autocomplete="postal-code" width="short" required />
        <TextField t={t} form={form} name="city" label={labels.city} autocomplete="address-level2" width="medium" required maxLength={100} />
        <Select t={t} form={{ ...form, values: { country: 'FR', ...form.values } }} name="country" label={labels.country} options={countries} autocomplete="country" required />
      </fieldset>
      <fieldset class="group">
        <legend>{t('record.phones')}</legend>
        <p class="hint">{t('record.phonesHint')}</p>
        <TextField t={t} form={form} name="mobilePhone" type="tel" label={labels.mobilePhone} autocomplete="tel" width="medium" />
        <TextField t={t} form={form} name="landlinePhone" type="tel" label={labels.landlinePhone} autocomplete="tel" width="medium" />
      </fieldset>
    </>
  );
}

/** The labels of the learner record's fields (ACC-6), for an error summary. */
export function recordLabels(t: Translator): Record<string, string> {
  return {
    civility: t('record.civility'),
    lastName: t('record.lastName'),
    birthName: t('record.birthName'),
    firstName: t('record.firstName'),
    birthDate: t('record.birthDate'),
    birthCountry: t('record.birthCountry'),
    ...contactLabels(t),
    heardFrom: t('record.heardFrom'),
  };
}

/** ACC-6: the learner record's fields, in the learner's own form and in the help desk's (SVC-5). */
export function LearnerRecordFields(props: { t: Translator; form: FormState }) {
  const { t, form } = props;
  const labels = recordLabels(t);
  const countries = countryOptions(t.locale, countryCodes).map((c) => ({ value: c.code, label: c.name }));
  return (
    <>
      <fieldset class="group">
        <legend>{t('record.identity')}</legend>
        <Radios
          t={t}
          form={form}
          name="civility"
          legend={labels.civility}
          required
          inline
          options={civilities.map((c) => ({ value: c, label: t(`record.civility.${c}` as MessageKey) }))}
        />
        <TextField t={t} form={form} name="lastName" label={labels.lastName} autocomplete="family-name" required maxLength={100} />
        <TextField t={t} form={form} name="birthName" label={labels.birthName} hint={t('record.birthNameHint')} maxLength={100} />
        <TextField t={t} form={form} name="firstName" label={labels.firstName} autocomplete="given-name" required maxLength={100} />
        <TextField
          t={t}
          form={form}
          name="birthDate"
          label={labels.birthDate}
          hint={t('record.birthDateHint')}
          autocomplete="bday"
          inputMode="numeric"
          width="short"
          required
        />
        <Select t={t} form={form} name="birthCountry" label={labels.birthCountry} options={countries} placeholder={t('record.chooseCountry')} required />
      </fieldset>
      <ContactFields t={t} form={form} />
      <Radios
        t={t}
        form={form}
        name="heardFrom"
        legend={labels.heardFrom}
        required
        options={heardFromOptions.map((h) => ({ value: h, label: t(`record.heardFrom.${h}` as MessageKey) }))}
      />
    </>
  );
}

export function LearnerRecordPage(props: {
  ctx: PageContext;
  form: FormState;
  duplicate?: boolean;
  returnTo?: string;
  /** ACC-13: the provider whose claims prefilled the form; the birth date it gave may be approximate. */
  prefilledBy?: string;
  birthDateToCheck?: boolean;
}) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = recordLabels(t);
  return (
    <Layout ctx={ctx} title={t('record.title')}>
      <h1>{t('record.title')}</h1>
      {props.duplicate ? <Notice t={t} message="record.duplicate" kind="warning" /> : null}
      <ErrorSummary t={t} form={form} labels={labels} />
      {props.prefilledBy ? (
        <div class="notice notice-info" role="status">
          <p>{t('oidc.record.prefilled', { provider: props.prefilledBy })}</p>
          {props.birthDateToCheck ? <p>{t('oidc.record.birthDateToCheck', { provider: props.prefilledBy })}</p> : null}
        </div>
      ) : null}
      <p>{t('record.intro')}</p>
      <form method="post" action={props.returnTo ? `/compte/fiche?retour=${encodeURIComponent(props.returnTo)}` : '/compte/fiche'} novalidate>
        <Csrf ctx={ctx} />
        <LearnerRecordFields t={t} form={form} />
        {/* SVC-7: email by default; the choice is the account's (/compte/notifications). */}
        <p class="hint">{t('notify.recordHint')}</p>
        <SubmitButton>{t('record.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

export interface AccountForms {
  contact?: FormState;
  nameChange?: FormState;
  emailChange?: FormState;
  password?: FormState;
}

export function AccountPage(props: {
  ctx: PageContext;
  email: string;
  profile: LearnerProfile | null;
  pendingNameChange: { lastName: string; firstName: string; createdAt: Date } | null;
  sessions: SessionInfo[];
  currentSessionId: string;
  /** Issue 18: links the higher modules offer this learner (`accountLinks`). */
  links?: AccountLink[];
  forms: AccountForms;
  flash?: MessageKey;
  flashParams?: Record<string, string | number>;
}) {
  const { ctx, profile } = props;
  const t = ctx.t;
  const contactForm =
    props.forms.contact ??
    emptyForm(
      profile
        ? {
            address: profile.address,
            addressComplement1: profile.addressComplement1 ?? '',
            addressComplement2: profile.addressComplement2 ?? '',
            postalCode: profile.postalCode,
            city: profile.city,
            country: profile.country,
            mobilePhone: formatPhone(profile.mobilePhone),
            landlinePhone: formatPhone(profile.landlinePhone),
          }
        : {},
    );
  const nameForm = props.forms.nameChange ?? emptyForm();
  const emailForm = props.forms.emailChange ?? emptyForm();
  const passwordForm = props.forms.password ?? emptyForm();
  return (
    <Layout ctx={ctx} title={t('account.title')} flash={props.flash ? t(props.flash, props.flashParams) : undefined}>
      <h1>{t('account.title')}</h1>
      <dl class="summary">
        <dt>{t('account.loginEmail')}</dt>
        <dd>
          {/* Decision 015: a mobile-only account's identifier is its number; it may add an address below. */}
          {mobileOfAddress(props.email) ? <strong>{t('account.mobileOnly', { phone: formatPhone(mobileOfAddress(props.email)) })}</strong> : <strong>{props.email}</strong>}
        </dd>
      </dl>
      {/* ACC-10, CAT-8: the history (certification module), the calendar feed (attendance module). */}
      {ctx.user?.role === 'learner' ? (
        <ul>
          <li>
            <a href="/compte/historique">{t('cert.history.title')}</a>
          </li>
          <li>
            <a href="/compte/calendrier">{t('att.calendar.title')}</a>
          </li>
          <li>
            <a href="/compte/notifications">{t('notify.accountLink')}</a>
          </li>
          <li>
            <a href="/compte/consentements">{t('consents.accountLink')}</a>
          </li>
          <li>
            <a href="/compte/messages">{t('contact.account.link')}</a>
          </li>
          <li>
            <a href="/compte/ancien-compte">{t('legacy.link.accountLink')}</a>
          </li>
          {/* ACC-11, ACC-14 (privacy module): download my data, what is kept and until when, close my account. */}
          <li>
            <a href="/compte/donnees">{t('privacy.export.title')}</a>
          </li>
          <li>
            <a href="/compte/donnees/conservation">{t('privacy.retention.link')}</a>
          </li>
          <li>
            <a href="/compte/fermer">{t('privacy.closure.title')}</a>
          </li>
        </ul>
      ) : null}
      {profile ? (
        <section aria-labelledby="record-title">
          <h2 id="record-title">{t('account.record')}</h2>
          <dl class="summary">
            <dt>{t('record.civility')}</dt>
            <dd>{t(`record.civility.${profile.civility}` as MessageKey)}</dd>
            <IdentityRows t={t} profile={profile} />
            <dt>{t('record.birthCountry')}</dt>
            <dd>{new Intl.DisplayNames([ctx.locale], { type: 'region' }).of(profile.birthCountry)}</dd>
          </dl>
        </section>
      ) : (
        <div class="notice notice-warning">
          <p>{t('account.recordMissing')}</p>
          <p>
            <a class="button" href="/compte/fiche">
              {t('account.completeRecord')}
            </a>
          </p>
        </div>
      )}

      {profile ? (
        <p>
          <a href="/compte/niveau-suivant">{t('account.nextLevel')}</a>
        </p>
      ) : null}
      {/* Issue 18, CRED-1: in the credits profile, the programmes followed and the credits earned. */}
      {ctx.profile === 'credits' ? (
        <p>
          <a href="/compte/cursus">{t('prog.learner.link')}</a>
        </p>
      ) : null}
      {/* Issue 18, CRED-3 and moving: the exams and « Je déménage », in the credits profile. */}
      {ctx.profile === 'credits' ? (
        <p>
          <a href="/compte/examens">{t('exams.learner.link')}</a> · <a href="/compte/demenagement">{t('exams.moving.link')}</a>
        </p>
      ) : null}
      {/* Issue 18: what the higher modules offer this learner (« Mes heures de connexion » when they follow a remote unit). */}
      {(props.links ?? []).map((l) => (
        <p>
          <a href={l.href}>{t(l.label)}</a>
        </p>
      ))}

      {profile ? (
        <section aria-labelledby="contact-title">
          <h2 id="contact-title">{t('account.contact')}</h2>
          <ErrorSummary t={t} form={contactForm} labels={contactLabels(t)} />
          <form method="post" action="/compte/coordonnees" novalidate>
            <Csrf ctx={ctx} />
            <ContactFields t={t} form={contactForm} />
            <SubmitButton>{t('account.contactSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      {profile ? (
        <section aria-labelledby="name-title">
          <h2 id="name-title">{t('account.nameChange')}</h2>
          <p>{t('account.nameChangeIntro')}</p>
          {props.pendingNameChange ? (
            <p class="notice notice-info">
              {t('account.nameChangePending', {
                name: `${props.pendingNameChange.firstName} ${props.pendingNameChange.lastName}`,
                date: t.date(props.pendingNameChange.createdAt),
              })}
            </p>
          ) : null}
          <ErrorSummary
            t={t}
            form={nameForm}
            labels={{ lastName: t('record.lastName'), firstName: t('record.firstName'), reason: t('account.nameChangeReason') }}
          />
          <form method="post" action="/compte/nom" novalidate>
            <Csrf ctx={ctx} />
            <TextField t={t} form={nameForm} name="lastName" label={t('record.lastName')} required maxLength={100} />
            <TextField t={t} form={nameForm} name="birthName" label={t('record.birthName')} maxLength={100} />
            <TextField t={t} form={nameForm} name="firstName" label={t('record.firstName')} required maxLength={100} />
            <TextArea t={t} form={nameForm} name="reason" label={t('account.nameChangeReason')} required maxLength={1000} />
            <SubmitButton secondary>{t('account.nameChangeSubmit')}</SubmitButton>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="email-title">
        <h2 id="email-title">{t('account.emailChange')}</h2>
        <p>{t('account.emailChangeIntro')}</p>
        <ErrorSummary t={t} form={emailForm} labels={{ newEmail: t('account.newEmail'), currentPassword: t('account.currentPassword') }} />
        <form method="post" action="/compte/adresse" novalidate>
          <Csrf ctx={ctx} />
          <TextField t={t} form={emailForm} name="newEmail" type="email" label={t('account.newEmail')} autocomplete="email" required />
          <TextField
            t={t}
            form={emailForm}
            name="currentPassword"
            type="password"
            label={t('account.currentPassword')}
            autocomplete="current-password"
            required
          />
          <SubmitButton secondary>{t('account.emailChangeSubmit')}</SubmitButton>
        </form>
      </section>

      <section aria-labelledby="password-title">
        <h2 id="password-title">{t('account.password')}</h2>
        <ErrorSummary
          t={t}
          form={passwordForm}
          labels={{
            currentPassword: t('account.currentPassword'),
            newPassword: t('account.newPassword'),
            newPasswordConfirm: t('account.newPasswordConfirm'),
          }}
        />
        <form method="post" action="/compte/mot-de-passe" novalidate>
          <Csrf ctx={ctx} />
          <TextField
            t={t}
            form={passwordForm}
            name="currentPassword"
            type="password"
            label={t('account.currentPassword')}
            autocomplete="current-password"
            required
          />
          <TextField
            t={t}
            form={passwordForm}
            name="newPassword"
            type="password"
            label={t('account.newPassword')}
            hint={t('password.rule')}
            autocomplete="new-password"
            required
          />
          <TextField
            t={t}
            form={passwordForm}
            name="newPasswordConfirm"
            type="password"
            label={t('account.newPasswordConfirm')}
            autocomplete="new-password"
            required
          />
          <SubmitButton secondary>{t('account.passwordSubmit')}</SubmitButton>
        </form>
      </section>

      <SessionsSection ctx={ctx} sessions={props.sessions} currentSessionId={props.currentSessionId} />
    </Layout>
  );
}

export function describeDevice(userAgent: string | null, t: Translator): string {
  if (!userAgent) return t('account.unknownDevice');
  const browser = /Firefox\//.test(userAgent)
    ? 'Firefox'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : t('account.unknownDevice');
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} (${os})` : browser;
}

/** The learner's live sessions, with a way to end any other one (ASVS 3.3.4). */
export function SessionsSection(props: { ctx: PageContext; sessions: SessionInfo[]; currentSessionId: string }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('account.sessions')}</h2>
      <p>{t('account.sessionsIntro')}</p>
      <p>
        <a href="/compte/connexions">{t('consents.signIns.title')}</a>
      </p>
      <Table
        id="login-sessions"
        caption={t('account.sessions')}
        captionHidden
        rows={props.sessions}
        columns={[
          { label: t('account.sessionDevice'), cell: (s) => describeDevice(s.userAgent, t) },
          { label: t('account.sessionStarted'), cell: (s) => t.date(s.createdAt, 'datetime') },
          { label: t('account.sessionLastSeen'), cell: (s) => t.date(s.lastSeenAt, 'datetime') },
          {
            label: t('account.sessionEnd'),
            labelHidden: true,
            cell: (s) =>
              s.id === props.currentSessionId ? (
                <strong>{t('account.sessionCurrent')}</strong>
              ) : (
                <form method="post" action={`/compte/sessions/${s.id}/fermer`} class="inline-form">
                  <Csrf ctx={ctx} />
                  <button type="submit" class="link-button">
                    {t('account.sessionEnd')}
                  </button>
                </form>
              ),
          },
        ]}
      />
      {props.sessions.length > 1 ? (
        <form method="post" action="/compte/sessions/fermer-autres">
          <Csrf ctx={ctx} />
          <SubmitButton secondary>{t('account.sessionEndOthers')}</SubmitButton>
        </form>
      ) : null}
    </section>
  );
}

/** A learner's identity as a description list's rows: names and birth date (ACC-8: what a name change touches). */
export function IdentityRows(props: { t: PageContext['t']; profile: Pick<LearnerProfile, 'lastName' | 'birthName' | 'firstName' | 'birthDate'> }) {
  const { t, profile } = props;
  return (
    <>
      <dt>{t('record.lastName')}</dt>
      <dd>{profile.lastName}</dd>
      {profile.birthName ? (
        <>
          <dt>{t('record.birthName')}</dt>
          <dd>{profile.birthName}</dd>
        </>
      ) : null}
      <dt>{t('record.firstName')}</dt>
      <dd>{profile.firstName}</dd>
      <dt>{t('record.birthDate')}</dt>
      <dd>{t.date(profile.birthDate)}</dd>
    </>
  );
}
