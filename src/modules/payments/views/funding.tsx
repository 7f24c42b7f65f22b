import type { FundingSource } from '../../../domain/vocabulary';
import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Radios, Select, SubmitButton, TextField } from '../../../ui/components';
import type { FormState, PageContext } from '../../../ui/context';
import { money, slotText } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import { ADVISED_UNITS_PER_SEMESTER, type Fee, type PriceLine } from '../funding.rules';
import type { UnitOffer } from '../funding.service';

const k = (key: string) => key as MessageKey;

/** "Personnel — 240,00 € à votre charge" / "CPF — 480,00 € facturés à l'organisme, 0 € pour vous". */
export function feeLabel(t: PageContext['t'], fee: Pick<Fee, 'source' | 'payer' | 'feeCents'>): string {
  const source = t(k(`cred.funding.source.${fee.source}`));
  return fee.payer === 'learner' ? t('cred.fee.learner', { source, amount: money(t, fee.feeCents) }) : t('cred.fee.funder', { source, amount: money(t, fee.feeCents), zero: money(t, 0) });
}

/**
 * CRED-2, CRED-5: the confirmation page ("check your answers"): the unit, its session, the
 * funding chosen with its fee, the FAQ's advice when this unit would make more than three in
 * the semester (advice, not a refusal), and the button that enrols.
 */
export function EnrolPage(props: { ctx: PageContext; offer: UnitOffer & { load: { units: number; beyondAdvice: boolean } }; form: FormState; refusal?: MessageKey; refusalParams?: Record<string, string | number> }) {
  const { ctx, offer, form } = props;
  const t = ctx.t;
  const { session, unit } = offer;
  const chosen = offer.fees.find((f) => f.source === form.values.financement);
  return (
    <Layout ctx={ctx} title={t('cred.enrol.title', { code: unit.code })}>
      <h1>{t('cred.enrol.title', { code: unit.code })}</h1>
      <ErrorSummary t={t} form={form} labels={{ financement: t('cred.enrol.source') }} />
      {props.refusal ?? offer.refusal ? (
        <div class="notice notice-warning" role="alert">
          <strong>{t('apps.refusedTitle')}</strong> {t((props.refusal ?? offer.refusal)!, props.refusal ? props.refusalParams : undefined)}
        </div>
      ) : null}
      <dl class="summary">
        <dt>{t('cred.enrol.unit')}</dt>
        <dd>
          <a href={`/formations/${encodeURIComponent(unit.code)}`}>
            {unit.code} – {unit.title}
          </a>
        </dd>
        <dt>{t('cred.sheet.credits')}</dt>
        <dd>{t('cred.sheet.creditsValue', { credits: unit.credits })}</dd>
        <dt>{t('cred.enrol.session')}</dt>
        <dd>
          {session.schoolName} — {session.slots.map((s) => slotText(t, s)).join(' ; ')} — {t('search.dates', { from: t.date(session.firstMeeting), to: t.date(session.lastMeeting) })}
        </dd>
        {chosen ? (
          <>
            <dt>{t('cred.enrol.fee')}</dt>
            <dd>{feeLabel(t, chosen)}</dd>
          </>
        ) : null}
      </dl>
      {offer.load.beyondAdvice ? (
        <div class="notice notice-warning" role="status" id="conseil-semestre">
          <strong>{t('cred.enrol.advice.title')}</strong> {t('cred.enrol.advice.body', { units: offer.load.units, advised: ADVISED_UNITS_PER_SEMESTER })}
        </div>
      ) : null}
      {offer.refusal ? null : (
        <form method="post" action="/unites/inscription">
          <Csrf ctx={ctx} />
          <input type="hidden" name="session" value={session.code} />
          <Radios t={t} form={form} name="financement" legend={t('cred.enrol.source')} hint={t('cred.enrol.sourceHint')} options={offer.fees.map((f) => ({ value: f.source, label: feeLabel(t, f) }))} required />
          <SubmitButton>{t('cred.enrol.confirm')}</SubmitButton>
        </form>
      )}
      <p>
        <a href={`/formations/${encodeURIComponent(unit.code)}#${encodeURIComponent(session.code)}`}>{t('cred.enrol.back')}</a>
      </p>
    </Layout>
  );
}

/** CRED-5: the learner's enrolment: its funding, and what comes next (pay, or the funder's attestation). */
export function EnrolmentPage(props: {
  ctx: PageContext;
  enrolment: { application: { id: string; status: string }; funding: { source: FundingSource; feeCents: number }; unit: { code: string; title: string; credits: number } | null; payer: 'learner' | 'funder' };
  flash?: string;
}) {
  const { ctx, enrolment } = props;
  const t = ctx.t;
  const { application, funding, unit, payer } = enrolment;
  return (
    <Layout ctx={ctx} title={t('cred.enrolment.title')} flash={props.flash}>
      <h1>{t('cred.enrolment.title')}</h1>
      <dl class="summary">
        <dt>{t('cred.enrol.unit')}</dt>
        <dd>{unit ? `${unit.code} – ${unit.title}` : ''}</dd>
        <dt>{t('cred.enrolment.status')}</dt>
        <dd>{t(k(`apps.status.${application.status}`))}</dd>
        <dt>{t('cred.enrol.source')}</dt>
        <dd>{t(k(`cred.funding.source.${funding.source}`))}</dd>
        <dt>{t('cred.enrol.fee')}</dt>
        <dd>{feeLabel(t, { source: funding.source, payer, feeCents: funding.feeCents })}</dd>
      </dl>
      {payer === 'learner' ? (
        <p>
          <a class="button" href={`/candidatures/${application.id}/paiement`}>
            {t('cred.enrolment.pay')}
          </a>
        </p>
      ) : (
        <>
          <p>{t('cred.enrolment.funderNext')}</p>
          <p>
            <a href={`/inscriptions/${application.id}/attestation-financement.pdf`} download>
              {t('cred.enrolment.attestation')}
            </a>
          </p>
        </>
      )}
      <p>
        <a href="/candidatures">{t('cred.enrolment.all')}</a>
      </p>
    </Layout>
  );
}

/**
 * CRED-5: the administrator's price list: one small form per source (its basis and amount). The
 * fields are named `<source>-basis` and `<source>-amount`, so that ids stay unique on the page.
 */
export function PricesPage(props: { ctx: PageContext; prices: Record<FundingSource, PriceLine>; forms: Partial<Record<FundingSource, FormState>>; flash?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('cred.prices.title')} flash={props.flash}>
      <h1>{t('cred.prices.title')}</h1>
      <p>{t('cred.prices.intro')}</p>
      {(Object.keys(props.prices) as FundingSource[]).map((source) => {
        const line = props.prices[source];
        const form = props.forms[source] ?? { values: { [`${source}-basis`]: line.basis, [`${source}-amount`]: (line.amountCents / 100).toFixed(2).replace('.', ',') }, errors: {} };
        const name = t(k(`cred.funding.source.${source}`));
        return (
          <section aria-labelledby={`tarif-${source}`}>
            <h2 id={`tarif-${source}`}>{name}</h2>
            <form method="post" action="/personnel/admin/tarifs">
              <Csrf ctx={ctx} />
              <input type="hidden" name="source" value={source} />
              {props.forms[source] ? <ErrorSummary t={t} form={form} labels={{ [`${source}-basis`]: t('cred.prices.basisOf', { source: name }), [`${source}-amount`]: t('cred.prices.amountOf', { source: name }) }} /> : null}
              <Select
                t={t}
                form={form}
                name={`${source}-basis`}
                label={t('cred.prices.basisOf', { source: name })}
                options={[
                  { value: 'credit', label: t('cred.prices.basis.credit') },
                  { value: 'unit', label: t('cred.prices.basis.unit') },
                ]}
                required
              />
              <TextField t={t} form={form} name={`${source}-amount`} label={t('cred.prices.amountOf', { source: name })} hint={t('cred.prices.amountHint')} required width="short" />
              <SubmitButton>{t('cred.prices.save', { source: name })}</SubmitButton>
            </form>
          </section>
        );
      })}
    </Layout>
  );
}
