import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Select, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { staffRoles } from '../../accounts/accounts.table';
import type { CreatedStaff } from '../../accounts/accounts.service';
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
      </ul>
    </Layout>
  );
}

/** Staff accounts: the list with each scope, and the form to create one. */
export function StaffAccountsPage(props: { ctx: PageContext; rows: StaffRow[]; form: FormState; created?: CreatedStaff }) {
  const { ctx, form } = props;
  const t = ctx.t;
  const labels = {
    email: t('admin.staffEmail'),
    displayName: t('admin.staffName'),
    role: t('admin.staffRole'),
    schools: t('admin.staffSchools'),
    domains: t('admin.staffDomains'),
    sessions: t('admin.staffSessions'),
  };
  return (
    <Layout ctx={ctx} title={t('admin.staff')}>
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
        <TextField t={t} form={form} name="displayName" label={labels.displayName} required />
        <Select t={t} form={form} name="role" label={labels.role} options={staffRoles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} required />
        <p class="hint">{t('admin.staffScopeHint')}</p>
        <TextField t={t} form={form} name="schools" label={labels.schools} />
        <TextField t={t} form={form} name="domains" label={labels.domains} />
        <TextField t={t} form={form} name="sessions" label={labels.sessions} />
        <SubmitButton>{t('admin.staffSubmit')}</SubmitButton>
      </form>
      <h2>{t('admin.staffList')}</h2>
      <div class="table-scroll" role="region" aria-label={t('admin.staffList')} tabindex={0}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('admin.col.email')}</th>
              <th scope="col">{t('admin.col.name')}</th>
              <th scope="col">{t('admin.col.role')}</th>
              <th scope="col">{t('admin.col.scope')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>{r.email}</td>
                <td>{r.display_name ?? ''}</td>
                <td>{t(`role.${r.role}` as MessageKey)}</td>
                <td>{r.role === 'admin' ? t('admin.scopeAll') : [...(r.schools ?? []), ...(r.domains ?? []), ...(r.sessions ?? [])].join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
