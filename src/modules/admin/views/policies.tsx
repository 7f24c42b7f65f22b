import type { MessageKey } from '../../../platform/i18n';
import { defaultPolicies } from '../../../platform/policies';
import { Csrf, ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { policyKeys } from '../admin.service';

const label = (key: string) => `policy.${key}` as MessageKey;

/** The administrator's settings: every number of SPEC's rules, with its default. */
export function PoliciesPage(props: { ctx: PageContext; form: FormState; flash?: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('admin.policies')} flash={props.flash}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('admin.policies')}</h1>
      <p>{t('admin.policiesIntro')}</p>
      <ErrorSummary t={t} form={form} labels={Object.fromEntries(policyKeys.map((k) => [k, t(label(k))]))} />
      <form method="post" action="/personnel/admin/reglages" novalidate>
        <Csrf ctx={ctx} />
        {policyKeys.map((key) => (
          <TextField t={t} form={form} name={key} label={t(label(key))} hint={t('policy.default', { value: defaultPolicies[key] })} inputMode="numeric" width="short" required />
        ))}
        <SubmitButton>{t('admin.policiesSubmit')}</SubmitButton>
      </form>
    </Layout>
  );
}
