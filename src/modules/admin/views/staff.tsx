import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Radios, Select, SubmitButton, Table, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { staffRoles } from '../../../domain/vocabulary';
import type { CreatedStaff } from '../../accounts';
import type { listStaff } from '../admin.service';

type StaffRow = Awaited<ReturnType<typeof listStaff>>[number];

/** The administrator's hub: settings, staff accounts, catalogue. */
export function AdminHomePage(props: { ctx: PageContext }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t('admin.title')}>
      <p>
        <a href="/personnel">{t('staff.title')}</a>
      </p>
      <h1>{t('admin.title')}</h1>
      <ul class="links">
        <li>
          <a href="/personnel/admin/comptes">{t('admin.staff')}</a>
        </li>
        <li>
          <a href="/personnel/admin/reglages">{t('admin.policies')}</a>
        </li>
        <li>
          <a href="/personnel/admin/catalogue">{t('admin.catalogue')}</a>
        </li>
        {/* Issue 18, CRED-1: the programmes, in the credits profile. */}
        {props.ctx.profile === 'credits' ? (
          <li>
            <a href="/personnel/admin/cursus">{t('prog.admin.link')}</a>
          </li>
        ) : null}
        {/* Issue 18, CRED-3: the exam sessions and requests, in the credits profile. */}
        {props.ctx.profile === 'credits' ? (
          <li>
            <a href="/personnel/examens">{t('exams.staff.link')}</a>
          </li>
        ) : null}
        <li>
          <a href="/personnel/admin/accueils">{t('hdesk.adminLink')}</a>
        </li>
        <li>
          <a href="/personnel/admin/webhooks">{t('webhooks.adminLink')}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** The fields both staff forms share: name, role, scope. */
function StaffFields(props: { t: PageContext['t']; form: FormState; labels: Record<string, string> }) {
  const { t, form, labels } = props;
  return (
    <>
      <TextField t={t} form={form} name="displayName" label={labels.displayName} required />
      <Select t={t} form={form} name="role" label={labels.role} options={staffRoles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} required />
      <p class="hint">{t('admin.staffScopeHint')}</p>
      <TextField t={t} form={form} name="schools" label={labels.schools} />
      <TextField t={t} form={form} name="domains" label={labels.domains} />
      <TextField t={t} form={form} name="sessions" label={labels.sessions} />
    </>
  );
}

const staffLabels = (t: PageContext['t']) => ({
  email: t('admin.staffEmail'),
  displayName: t('admin.staffName'),
  role: t('admin.staffRole'),
  schools: t('admin.staffSchools'),
  domains: t('admin.staffDomains'),
  sessions: t('admin.staffSessions'),
  active: t('admin.staffActive'),
});

/** One staff account: name, role, scope, active or disabled. */
export function StaffEditPage(props: { ctx: PageContext; email: string; id: string; form: FormState }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = staffLabels(t);
  const title = t('admin.staffEdit', { email: props.email });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/personnel/admin/comptes">{t('admin.staff')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action={`/personnel/admin/comptes/${props.id}`} novalidate>
        <Csrf ctx={ctx} />
        <StaffFields t={t} form={form} labels={labels} />
        <Radios
          t={t}
          form={form}
          name="active"
          legend={labels.active}
          required
          options={[
            { value: 'yes', label: t('admin.staffActiveYes') },
            { value: 'no', label: t('admin.staffActiveNo') },
          ]}
        />
        <SubmitButton>{t('admin.staffSave')}</SubmitButton>
      </form>
    </Layout>
  );
}

/** Staff accounts: the list with each scope, and the form to create one. */
export function StaffAccountsPage(props: { ctx: PageContext; rows: StaffRow[]; form: FormState; created?: CreatedStaff; flash?: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = staffLabels(t);
  return (
    <Layout ctx={ctx} title={t('admin.staff')} flash={props.flash}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('admin.staff')}</h1>
      {props.created ? (
        <div class="notice notice-success" role="status">
          <p>{t('admin.staffCreated', { email: props.created.email })}</p>
          <p>
            <code>{props.created.totpSecret}</code>
          </p>
          <p>
            <code class="wrap">{props.created.otpauthUri}</code>
          </p>
        </div>
      ) : null}
      <h2>{t('admin.staffNew')}</h2>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action="/personnel/admin/comptes" novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="email" label={labels.email} type="email" autocomplete="off" required />
        <StaffFields t={t} form={form} labels={labels} />
        <SubmitButton>{t('admin.staffSubmit')}</SubmitButton>
      </form>
      <h2>{t('admin.staffList')}</h2>
      <Table
        id="staff-accounts"
        caption={t('admin.staffList')}
        captionHidden
        rows={props.rows}
        columns={[
          { label: t('admin.col.email'), cell: (r) => <a href={`/personnel/admin/comptes/${r.id}`}>{r.email}</a> },
          { label: t('admin.col.name'), cell: (r) => r.display_name ?? '' },
          { label: t('admin.col.role'), cell: (r) => t(`role.${r.role}` as MessageKey) },
          {
            label: t('admin.col.scope'),
            cell: (r) => (r.role === 'admin' ? t('admin.scopeAll') : [...(r.schools ?? []), ...(r.domains ?? []), ...(r.sessions ?? [])].join(', ')),
          },
          { label: t('admin.col.status'), cell: (r) => t(`admin.status.${r.status}` as MessageKey) },
        ]}
      />
    </Layout>
  );
}
