import { Csrf, ErrorSummary, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { EquivalenceView } from '../../catalogue';

/** SEL-7: the pairs of equivalent courses one may see (both in one's scope), the form to declare one, and removal. */
export function EquivalencesPage(props: { ctx: PageContext; pairs: EquivalenceView[]; form: FormState; flash?: string }) {
  const { ctx, pairs, form } = props;
  const t = ctx.t;
  const labels = { course: t('eqv.course'), equivalent_course: t('eqv.equivalent_course') };
  const named = (c: EquivalenceView['course']) => (c.level ? `${c.title}, ${t('eqv.level', { level: c.level })}` : c.title);
  return (
    <Layout ctx={ctx} title={t('eqv.title')} flash={props.flash}>
      {ctx.user?.role === 'admin' ? (
        <p>
          <a href="/personnel/admin/catalogue">{t('admin.catalogue')}</a>
        </p>
      ) : null}
      <h1>{t('eqv.title')}</h1>
      <p>{t('eqv.intro')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action="/personnel/admin/catalogue/equivalences" novalidate>
        <Csrf ctx={ctx} />
        <TextField t={t} form={form} name="course" label={labels.course} required />
        <TextField t={t} form={form} name="equivalent_course" label={labels.equivalent_course} required />
        <SubmitButton>{t('eqv.declare')}</SubmitButton>
      </form>
      <h2>{t('eqv.list')}</h2>
      {pairs.length === 0 ? <p>{t('eqv.none')}</p> : null}
      <ul class="links-compact">
        {pairs.map((p) => (
          <li>
            {t('eqv.pair', { a: named(p.course), aCode: p.course.code, b: named(p.equivalent), bCode: p.equivalent.code })}{' '}
            <form method="post" action={`/personnel/admin/catalogue/equivalences/${p.id}/retrait`} class="inline-form">
              <Csrf ctx={ctx} />
              <button type="submit" class="button button-secondary" aria-label={t('eqv.removeLabel', { a: p.course.code, b: p.equivalent.code })}>
                {t('eqv.remove')}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
