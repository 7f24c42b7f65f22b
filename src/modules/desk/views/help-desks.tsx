import type { Translator } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Select, SubmitButton, Table, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import type { DeskServes, HelpDeskSummary } from '../help-desks.service';

/** SVC-5: the administrator's help desk pages (`/personnel/admin/accueils`). */

const labels = (t: Translator) => ({
  name: t('hdesk.name'),
  address: t('hdesk.address'),
  hours: t('hdesk.hours'),
  schools: t('hdesk.schools'),
  arrondissements: t('hdesk.arrondissements'),
  counsellor: t('hdesk.counsellor'),
  closed: t('hdesk.closeLegend'),
});

/** What a desk serves, in words. */
export const servesText = (t: Translator, serves: DeskServes) =>
  [serves.schools.join(', '), serves.arrondissements.length ? t('hdesk.arrondissementsLine', { list: serves.arrondissements.join(', ') }) : ''].filter(Boolean).join(' ; ');

/** The values of a desk's form from the desk. */
export const deskFormValues = (desk: HelpDeskSummary) => ({
  name: desk.name,
  address: desk.address,
  hours: desk.hours,
  schools: desk.schools.join(', '),
  arrondissements: desk.arrondissements.join(', '),
});

function DeskFields(props: { t: Translator; form: FormState }) {
  const { t, form } = props;
  const l = labels(t);
  return (
    <>
      <TextField t={t} form={form} name="name" label={l.name} maxLength={120} required />
      <TextField t={t} form={form} name="address" label={l.address} maxLength={300} required />
      <TextField t={t} form={form} name="hours" label={l.hours} hint={t('hdesk.hoursHint')} maxLength={200} />
      <fieldset class="fieldset">
        <legend>{t('hdesk.serves')}</legend>
        <p class="hint">{t('hdesk.servesHint')}</p>
        <TextField t={t} form={form} name="schools" label={l.schools} />
        <TextField t={t} form={form} name="arrondissements" label={l.arrondissements} width="short" />
      </fieldset>
    </>
  );
}

function Flash(props: { message?: string }) {
  return props.message ? (
    <div class="notice notice-success" role="status">
      <p>{props.message}</p>
    </div>
  ) : null;
}

/** The list of desks and the form to add one. */
export function HelpDesksPage(props: { ctx: PageContext; desks: HelpDeskSummary[]; form: FormState; flash?: string }) {
  const { ctx, form } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('hdesk.title')}>
      <p>
        <a href="/personnel/admin">{t('admin.title')}</a>
      </p>
      <h1>{t('hdesk.title')}</h1>
      <Flash message={props.flash} />
      <p>{t('hdesk.intro')}</p>
      <h2>{t('hdesk.list')}</h2>
      {props.desks.length === 0 ? (
        <p>{t('hdesk.none')}</p>
      ) : (
        <Table
          id="help-desks"
          caption={t('hdesk.list')}
          captionHidden
          rows={props.desks}
          columns={[
            { label: t('hdesk.col.name'), rowHeader: true, cell: (d) => <a href={`/personnel/admin/accueils/${d.id}`}>{d.name}</a> },
            { label: t('hdesk.col.serves'), cell: (d) => servesText(t, d) },
            { label: t('hdesk.col.counsellors'), cell: (d) => d.counsellors.map((c) => c.displayName ?? c.email).join(', ') },
            { label: t('hdesk.col.status'), cell: (d) => (d.closedAt ? t('hdesk.closedOn', { date: t.date(d.closedAt) }) : t('hdesk.open')) },
          ]}
        />
      )}
      <h2>{t('hdesk.new')}</h2>
      <ErrorSummary t={t} form={form} labels={labels(t)} />
      <form method="post" action="/personnel/admin/accueils" novalidate>
        <Csrf ctx={ctx} />
        <DeskFields t={t} form={form} />
        <SubmitButton>{t('hdesk.submitNew')}</SubmitButton>
      </form>
    </Layout>
  );
}

export interface HelpDeskForms {
  desk: FormState;
  counsellor: FormState;
  closing: FormState;
}

/** One desk: its form, closing it, its counsellors (remove one, add one). */
export function HelpDeskPage(props: { ctx: PageContext; desk: HelpDeskSummary; candidates: { id: string; email: string; displayName: string | null }[]; forms: HelpDeskForms; flash?: string }) {
  const { ctx, desk, forms } = props;
  const t = ctx.t;
  const base = `/personnel/admin/accueils/${desk.id}`;
  const title = t('hdesk.edit', { name: desk.name });
  const others = props.candidates.filter((c) => !desk.counsellors.some((d) => d.id === c.id));
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/personnel/admin/accueils">{t('hdesk.back')}</a>
      </p>
      <h1>{title}</h1>
      <Flash message={props.flash} />
      <p>{desk.closedAt ? t('hdesk.closedOn', { date: t.date(desk.closedAt) }) : t('hdesk.open')}</p>
      <ErrorSummary t={t} form={forms.desk} labels={labels(t)} />
      <form method="post" action={base} novalidate>
        <Csrf ctx={ctx} />
        <DeskFields t={t} form={forms.desk} />
        <SubmitButton>{t('hdesk.submitEdit')}</SubmitButton>
      </form>

      <h2 id="conseillers">{t('hdesk.counsellors')}</h2>
      <ErrorSummary t={t} form={forms.counsellor} labels={labels(t)} />
      {desk.counsellors.length === 0 ? (
        <p>{t('hdesk.noCounsellors')}</p>
      ) : (
        <ul class="links">
          {desk.counsellors.map((c) => (
            <li key={c.id}>
              <form method="post" action={`${base}/conseillers/retirer`} class="inline-form">
                <Csrf ctx={ctx} />
                <input type="hidden" name="counsellor" value={c.id} />
                {c.displayName ? `${c.displayName} (${c.email})` : c.email}{' '}
                <SubmitButton secondary>{t('hdesk.removeSubmit', { name: c.displayName ?? c.email })}</SubmitButton>
              </form>
            </li>
          ))}
        </ul>
      )}
      {desk.closedAt ? null : others.length === 0 ? (
        <p>{t('hdesk.noCandidates')}</p>
      ) : (
        <form method="post" action={`${base}/conseillers`} novalidate>
          <Csrf ctx={ctx} />
          <Select
            t={t}
            form={forms.counsellor}
            name="counsellor"
            label={labels(t).counsellor}
            hint={t('hdesk.counsellorHint')}
            placeholder={t('hdesk.chooseCounsellor')}
            options={others.map((c) => ({ value: c.id, label: c.displayName ? `${c.displayName} (${c.email})` : c.email }))}
            required
          />
          <SubmitButton>{t('hdesk.assignSubmit')}</SubmitButton>
        </form>
      )}

      <h2>{t('hdesk.closeLegend')}</h2>
      <ErrorSummary t={t} form={forms.closing} labels={labels(t)} />
      <p>{t('hdesk.closeHint')}</p>
      <form method="post" action={`${base}/fermer`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="closed" value={desk.closedAt ? 'no' : 'yes'} />
        <SubmitButton secondary>{t(desk.closedAt ? 'hdesk.reopenSubmit' : 'hdesk.closeSubmit')}</SubmitButton>
      </form>
    </Layout>
  );
}
