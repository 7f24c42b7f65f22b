import { isMessageKey, type MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Select, SubmitButton, TextArea, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { CatalogueFile } from '../../catalogue';
import { admissionTests, modes, rhythms } from '../../../domain/vocabulary';

/** The catalogue's kinds as they appear in addresses, and their columns (the CSV import's). */
export const kinds: Record<string, CatalogueFile> = { periodes: 'periods', etablissements: 'schools', cours: 'courses', sessions: 'sessions' };
export const slugOfKind = (file: CatalogueFile) => Object.entries(kinds).find(([, f]) => f === file)![0];

/** `optional`: the import accepts the column empty (a select always holds a value, so it is never marked optional). */
type Field = { name: string; kind?: 'long' | 'yesno' | { options: readonly string[] }; optional?: true };
export const fields: Record<CatalogueFile, Field[]> = {
  periods: [{ name: 'code' }, { name: 'name' }, { name: 'applications_open_at' }, { name: 'applications_close_at' }, { name: 'answers_from' }, { name: 'answers_until' }, { name: 'priority_opens_at', optional: true }, { name: 'assisted_places_until', optional: true }],
  schools: [{ name: 'code' }, { name: 'name' }, { name: 'arrondissement', optional: true }, { name: 'area', optional: true }, { name: 'address' }, { name: 'postal_code' }, { name: 'city' }],
  courses: [
    { name: 'code' },
    { name: 'title' },
    { name: 'domain' },
    { name: 'objectives', kind: 'long' },
    { name: 'audience', kind: 'long' },
    { name: 'prerequisites', kind: 'long' },
    { name: 'programme', kind: 'long' },
    { name: 'level', optional: true },
    { name: 'previous_course', optional: true },
    { name: 'rhythm', kind: { options: rhythms } },
    { name: 'mode', kind: { options: modes } },
    { name: 'hourly_volume' },
    { name: 'full_rate' },
    { name: 'half_rate' },
    { name: 'prepares_diploma', kind: 'yesno' },
    { name: 'has_evaluation', kind: 'yesno' },
    { name: 'admission_test', kind: { options: admissionTests } },
    // CRED-1, CRED-2: a teaching unit's credits and semester (empty: not a unit).
    { name: 'ects_credits', optional: true },
    { name: 'semester', optional: true },
  ],
  sessions: [
    { name: 'code' },
    { name: 'course' },
    { name: 'school' },
    { name: 'period' },
    { name: 'trainer', optional: true },
    { name: 'capacity' },
    { name: 'first_meeting' },
    { name: 'last_meeting' },
    { name: 'slots' },
    { name: 'runs_in_school_holidays', kind: 'yesno' },
  ],
};

const label = (name: string) => `catf.${name}` as MessageKey;
const kindLabel = (file: CatalogueFile) => `catf.kind.${file}` as MessageKey;

/** The catalogue hub: for each kind, "new" and "edit the one with this code". */
export function CatalogueHomePage(props: { ctx: PageContext; lists: { periods: { code: string; name: string }[]; schools: { code: string; name: string }[] }; flash?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('admin.catalogue')} flash={props.flash}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('admin.catalogue')}</h1>
      <p>{t('admin.catalogueIntro')}</p>
      <p>
        <a href="/personnel/admin/catalogue/equivalences">{t('eqv.link')}</a>
      </p>
      {(Object.entries(kinds) as [string, CatalogueFile][]).map(([slug, file]) => (
        <section aria-labelledby={`kind-${slug}`}>
          <h2 id={`kind-${slug}`}>{t(kindLabel(file))}</h2>
          <p>
            <a href={`/personnel/admin/catalogue/${slug}/nouveau`}>{t('catf.new')}</a>
          </p>
          <form method="get" action={`/personnel/admin/catalogue/${slug}`} class="filters-inline">
            <div class="field">
              <label for={`code-${slug}`}>{t('catf.editCode')}</label>
              <input id={`code-${slug}`} name="code" class="input input-short" maxLength={60} />
            </div>
            <button type="submit" class="button button-secondary">
              {t('catf.edit')}
            </button>
          </form>
          {file === 'periods' || file === 'schools' ? (
            <ul class="links-compact">
              {props.lists[file].map((x) => (
                <li>
                  <a href={`/personnel/admin/catalogue/${slug}/${encodeURIComponent(x.code)}`}>
                    {x.code} — {x.name}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}

/** One period, school, course or session: the import's columns as a form. */
export function CatalogueFormPage(props: { ctx: PageContext; file: CatalogueFile; form: FormState; creating: boolean }) {
  const { ctx, file, form, creating } = props;
  const t = ctx.t;
  const title = t(creating ? 'catf.titleNew' : 'catf.titleEdit', { kind: t(kindLabel(file)), code: form.values.code ?? '' });
  const labels = Object.fromEntries(fields[file].map((f) => [f.name, t(label(f.name))]));
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/personnel/admin/catalogue">{t('admin.catalogue')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action={`/personnel/admin/catalogue/${slugOfKind(file)}`} novalidate>
        <Csrf ctx={ctx} />
        {creating ? <input type="hidden" name="nouveau" value="1" /> : <input type="hidden" name="code" value={form.values.code ?? ''} />}
        {fields[file].map((f) => {
          if (f.name === 'code' && !creating) return null;
          const hintKey = `catf.hint.${f.name}`;
          const hint = isMessageKey(hintKey) ? t(hintKey) : undefined;
          if (f.kind === 'long') return <TextArea t={t} form={form} name={f.name} label={labels[f.name]} hint={hint} rows={5} required={!f.optional} />;
          if (f.kind === 'yesno')
            return <Select t={t} form={form} name={f.name} label={labels[f.name]} options={['non', 'oui'].map((v) => ({ value: v, label: t(v === 'oui' ? 'catf.yes' : 'catf.no') }))} required />;
          if (f.kind) return <Select t={t} form={form} name={f.name} label={labels[f.name]} options={f.kind.options.map((v) => ({ value: v, label: v }))} required />;
          return <TextField t={t} form={form} name={f.name} label={labels[f.name]} hint={hint} required={!f.optional} />;
        })}
        <SubmitButton>{t('catf.save')}</SubmitButton>
      </form>
    </Layout>
  );
}
