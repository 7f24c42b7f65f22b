import type { PaymentMethod } from '../../../domain/vocabulary';
import { paymentMethods } from '../../../domain/vocabulary';
import { parisDateTime } from '../../../platform/clock';
import type { MessageKey } from '../../../platform/i18n';
import { Csrf, ErrorSummary, Notice, Select, SubmitButton, Table, TextArea, TextField } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { money } from '../../../ui/format';
import { Layout } from '../../../ui/Layout';
import type { Payment } from '../payments.service';
import { paymentPages, type CollectRow, type FlagRow, type PaymentsReport, type ReportRow, type ValidateGroup, type ValidateRow } from '../staff.service';

/** The staff pages of enrolment and payment (PAY-1, PAY-2, PAY-3). They show what the services decided. */

type T = PageContext['t'];

export const paymentPaths = {
  validate: '/personnel/paiements/a-valider',
  collect: '/personnel/paiements/a-encaisser',
  report: '/personnel/paiements',
  flags: '/personnel/paiements/a-verifier',
} as const;

/** The receipt of a payment recorded at the school (PAY-3), a PDF. */
export const receiptPath = (paymentId: string) => `/personnel/paiements/${paymentId}/recu.pdf`;

const titles = {
  validate: 'pay.staff.validate.title',
  collect: 'pay.staff.collect.title',
  report: 'pay.staff.report.title',
  flags: 'pay.staff.flags.title',
} as const satisfies Record<keyof typeof paymentPaths, MessageKey>;

/** The payment pages this person is offered (the lifecycle's table, through `paymentPages`). */
function PaymentNav(props: { ctx: PageContext }) {
  const { ctx } = props;
  const may = paymentPages(ctx.user?.role ?? 'learner');
  const pages = (Object.keys(paymentPaths) as (keyof typeof paymentPaths)[]).filter((p) => may[p]);
  return (
    <>
      <p>
        <a href="/personnel">{ctx.t('layout.staff')}</a>
      </p>
      <nav aria-label={ctx.t('pay.staff.section')}>
        <ul class="links">
          {pages.map((p) => (
            <li>
              <a href={paymentPaths[p]} aria-current={ctx.path === paymentPaths[p] ? 'page' : undefined}>
                {ctx.t(titles[p])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

const amountText = (t: T, payment: Pick<Payment, 'amountCents' | 'rate'>) =>
  t('pay.page.amountValue', { amount: money(t, payment.amountCents), rate: t(payment.rate === 'half' ? 'pay.rate.half' : 'pay.rate.full') });

const sessionText = (s: { code: string; title: string }) => `${s.title} (${s.code})`;

// ---- PAY-1: to validate ----------------------------------------------------------------------

function cameText(t: T, row: ValidateRow, firstMeeting: string): string {
  if (row.attendance === 'present') return t('pay.staff.came.convocation');
  if (row.firstMeetingPassed) return t('pay.staff.came.firstMeeting', { date: t.date(firstMeeting) });
  if (row.attendance === null) return t('pay.staff.came.convoked', { date: t.date(firstMeeting) });
  return t('pay.staff.came.notYet', { date: t.date(firstMeeting) });
}

/** PAY-1: the accepted applications of one's sessions, by session, each with the validate button the lifecycle allows. */
export function ToValidatePage(props: { ctx: PageContext; groups: ValidateGroup[]; flash?: string; notice?: MessageKey }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('pay.staff.validate.title')} flash={props.flash}>
      <PaymentNav ctx={ctx} />
      <h1>{t('pay.staff.validate.title')}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <p>{t('pay.staff.validate.intro')}</p>
      {props.groups.length === 0 ? <p>{t('pay.staff.validate.none')}</p> : null}
      {props.groups.map(({ session, rows, ready }) => {
        const id = `session-${session.code}`;
        return (
          <section aria-labelledby={id}>
            <h2 id={id}>{t('pay.staff.validate.session', { title: session.title, code: session.code, school: session.schoolName })}</h2>
            <Table
              id={`valider-${session.code}`}
              caption={t('pay.staff.validate.session', { title: session.title, code: session.code, school: session.schoolName })}
              captionHidden
              rows={rows}
              columns={[
                { label: t('pay.staff.col.learner'), rowHeader: true, cell: (r) => r.name },
                { label: t('pay.staff.col.came'), cell: (r) => cameText(t, r, session.firstMeeting) },
                {
                  label: t('pay.staff.col.action'),
                  cell: (r) =>
                    r.refusal === null ? (
                      <form method="post" action={`${paymentPaths.validate}/${r.application.id}`} class="inline-form">
                        <Csrf ctx={ctx} />
                        <button type="submit" class="button" aria-label={t('pay.staff.validate.buttonLabel', { name: r.name })}>
                          {t('pay.staff.validate.button')}
                        </button>
                      </form>
                    ) : (
                      t(r.refusal)
                    ),
                },
              ]}
            />
            {ready > 0 ? (
              <form method="post" action={`${paymentPaths.validate}/session/${encodeURIComponent(session.code)}`}>
                <Csrf ctx={ctx} />
                <button type="submit" class="button button-secondary" aria-label={`${t.plural('pay.staff.validate.all', ready)} — ${t('pay.staff.validate.allLabel', { code: session.code })}`}>
                  {t.plural('pay.staff.validate.all', ready)}
                </button>
              </form>
            ) : null}
          </section>
        );
      })}
    </Layout>
  );
}

// ---- PAY-3: to collect -----------------------------------------------------------------------

function stateText(t: T, row: CollectRow): string {
  const due = row.overdue ? (row.payment.remindedAt ? t('pay.staff.state.reminded', { date: t.date(row.payment.remindedAt) }) : t('pay.staff.state.overdue')) : t('pay.staff.state.onTime');
  return row.attemptsInProgress > 0 ? `${due} ; ${t.plural('pay.staff.state.attempts', row.attemptsInProgress)}` : due;
}

function ReleaseForm(props: { ctx: PageContext; row: CollectRow }) {
  const t = props.ctx.t;
  return (
    <form method="post" action={`${paymentPaths.collect}/${props.row.application.id}/liberer`} class="inline-form">
      <Csrf ctx={props.ctx} />
      <button type="submit" class="button button-secondary" aria-label={t('pay.staff.release.buttonLabel', { name: props.row.name })}>
        {t('pay.staff.release.button')}
      </button>
    </form>
  );
}

/** A success to show with the receipt of the payment just recorded (PAY-3). */
function Recorded(props: { t: T; paymentId: string }) {
  return (
    <div class="notice notice-success" role="status">
      <p>{props.t('pay.staff.collect.recorded')}</p>
      <p>
        <a href={receiptPath(props.paymentId)}>{props.t('pay.staff.collect.receipt')}</a>
      </p>
    </div>
  );
}

/** PAY-3: the amounts due of one's sessions, the soonest first. */
export function ToCollectPage(props: { ctx: PageContext; payee: string; rows: CollectRow[]; cashLimitCents: number; flash?: string; recorded?: string; notice?: MessageKey }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('pay.staff.collect.title')} flash={props.flash}>
      <PaymentNav ctx={ctx} />
      <h1>{t('pay.staff.collect.title')}</h1>
      {props.recorded ? <Recorded t={t} paymentId={props.recorded} /> : null}
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <p>{t('pay.staff.collect.intro', { payee: props.payee, limit: money(t, props.cashLimitCents) })}</p>
      {props.rows.length === 0 ? (
        <p>{t('pay.staff.collect.none')}</p>
      ) : (
        <Table
          id="a-encaisser"
          caption={t('pay.staff.collect.title')}
          captionHidden
          rows={props.rows}
          columns={[
            { label: t('pay.staff.col.learner'), rowHeader: true, cell: (r) => r.name },
            { label: t('pay.staff.col.session'), cell: (r) => sessionText(r.session) },
            { label: t('pay.staff.col.amount'), cell: (r) => amountText(t, r.payment) },
            { label: t('pay.staff.col.due'), cell: (r) => t.date(r.payment.dueOn) },
            { label: t('pay.staff.col.state'), cell: (r) => stateText(t, r) },
            {
              label: t('pay.staff.col.action'),
              cell: (r) => (
                <div class="actions">
                  {r.mayRecord ? (
                    <a href={`${paymentPaths.collect}/${r.application.id}`} aria-label={t('pay.staff.collect.openLabel', { name: r.name })}>
                      {t('pay.staff.collect.open')}
                    </a>
                  ) : null}
                  {r.mayRelease ? <ReleaseForm ctx={ctx} row={r} /> : null}
                </div>
              ),
            },
          ]}
        />
      )}
    </Layout>
  );
}

/** PAY-3, PAY-7: one amount due, with the cheque and cash forms and, once overdue and reminded, the release. */
export function CollectPage(props: {
  ctx: PageContext;
  /** PAY-3: whom cheques are payable to (the configuration's cash office). */
  payee: string;
  applicationId: string;
  name: string;
  row: CollectRow | null;
  cashLimitCents: number;
  cheque?: FormState;
  cash?: FormState;
  notice?: MessageKey;
}) {
  const { ctx, row } = props;
  const t = ctx.t;
  const title = t('pay.staff.collect.one', { name: props.name });
  const base = `${paymentPaths.collect}/${props.applicationId}`;
  const cheque = props.cheque ?? emptyForm({ chequePayer: props.name });
  const cash = props.cash ?? emptyForm({ cashPayer: props.name });
  const payerLabel = t('pay.staff.payer');
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={paymentPaths.collect}>{t('pay.staff.collect.back')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      {row === null ? (
        <Notice t={t} message="pay.error.notDue" />
      ) : (
        <>
          <dl class="summary">
            <dt>{t('pay.staff.col.session')}</dt>
            <dd>
              {sessionText(row.session)}, {row.session.schoolName}
            </dd>
            <dt>{t('pay.staff.col.amount')}</dt>
            <dd>{amountText(t, row.payment)}</dd>
            <dt>{t('pay.staff.col.due')}</dt>
            <dd>{t.date(row.payment.dueOn)}</dd>
            <dt>{t('pay.staff.col.reference')}</dt>
            <dd>{row.payment.reference}</dd>
            <dt>{t('pay.staff.col.state')}</dt>
            <dd>{stateText(t, row)}</dd>
          </dl>
          {row.mayRecord ? (
            <>
              <section aria-labelledby="par-cheque">
                <h2 id="par-cheque">{t('pay.staff.cheque.title')}</h2>
                <p>{t('pay.staff.cheque.hint', { payee: props.payee, amount: money(t, row.payment.amountCents) })}</p>
                {props.cheque ? <ErrorSummary t={t} form={cheque} labels={{ chequeNumber: t('pay.staff.cheque.number'), bank: t('pay.staff.cheque.bank'), chequePayer: payerLabel }} /> : null}
                <form method="post" action={`${base}/cheque`} novalidate>
                  <Csrf ctx={ctx} />
                  <TextField t={t} form={cheque} name="chequeNumber" label={t('pay.staff.cheque.number')} hint={t('pay.staff.cheque.numberHint')} inputMode="numeric" required maxLength={30} width="medium" autocomplete="off" />
                  <TextField t={t} form={cheque} name="bank" label={t('pay.staff.cheque.bank')} required maxLength={100} width="medium" autocomplete="off" />
                  <TextField t={t} form={cheque} name="chequePayer" label={payerLabel} hint={t('pay.staff.payerHint')} required maxLength={200} autocomplete="off" />
                  <SubmitButton>{t('pay.staff.cheque.submit')}</SubmitButton>
                </form>
              </section>
              <section aria-labelledby="en-especes">
                <h2 id="en-especes">{t('pay.staff.cash.title')}</h2>
                <p>{t('pay.staff.cash.hint', { limit: money(t, props.cashLimitCents), amount: money(t, row.payment.amountCents) })}</p>
                {props.cash ? <ErrorSummary t={t} form={cash} labels={{ tendered: t('pay.staff.cash.tendered'), cashPayer: payerLabel }} /> : null}
                <form method="post" action={`${base}/especes`} novalidate>
                  <Csrf ctx={ctx} />
                  <TextField t={t} form={cash} name="tendered" label={t('pay.staff.cash.tendered')} hint={t('pay.staff.cash.tenderedHint')} inputMode="text" required maxLength={40} width="short" autocomplete="off" />
                  <TextField t={t} form={cash} name="cashPayer" label={payerLabel} hint={t('pay.staff.payerHint')} required maxLength={200} autocomplete="off" />
                  <SubmitButton>{t('pay.staff.cash.submit')}</SubmitButton>
                </form>
              </section>
            </>
          ) : null}
          {row.mayRelease ? (
            <section aria-labelledby="liberer">
              <h2 id="liberer">{t('pay.staff.release.button')}</h2>
              <p>{t('pay.staff.release.hint')}</p>
              <ReleaseForm ctx={ctx} row={row} />
            </section>
          ) : null}
        </>
      )}
    </Layout>
  );
}

// ---- the payments received -------------------------------------------------------------------

export const reportColumns = ['paidAt', 'reference', 'learner', 'session', 'course', 'school', 'method', 'payer', 'amount'] as const;
export type ReportColumn = (typeof reportColumns)[number];

export const methodLabel = (t: T, method: PaymentMethod | null) => (method ? t(`pay.staff.method.${method}`) : '');

/** One payment received as plain values, for the page and the exports alike (the amount formatted; the workbook writes it as a number). */
export function reportValues(t: T, r: ReportRow): Record<ReportColumn, string> {
  return {
    paidAt: r.payment.paidAt ? parisDateTime(r.payment.paidAt) : '',
    reference: r.payment.reference,
    learner: r.name,
    session: r.session.code,
    course: r.session.title,
    school: r.session.schoolName,
    method: methodLabel(t, r.payment.method),
    payer: r.payment.payerName ?? '',
    amount: money(t, r.payment.amountCents),
  };
}

export const reportLabels = (t: T): Record<ReportColumn, string> => ({
  paidAt: t('pay.staff.col.paidAt'),
  reference: t('pay.staff.col.reference'),
  learner: t('pay.staff.col.learner'),
  session: t('pay.staff.col.session'),
  course: t('pay.staff.col.course'),
  school: t('pay.staff.col.school'),
  method: t('pay.staff.col.method'),
  payer: t('pay.staff.col.payer'),
  amount: t('pay.staff.col.amount'),
});

/** The payments received over a period, in scope, with their totals and the exports of the same list. */
export function ReportPage(props: { ctx: PageContext; report: PaymentsReport; form: FormState; exportQuery: string }) {
  const { ctx, report, form } = props;
  const t = ctx.t;
  const labels = reportLabels(t);
  const filterLabels = { du: t('pay.staff.report.from'), au: t('pay.staff.report.to'), ecole: t('pay.staff.report.school'), mode: t('pay.staff.report.method') };
  const totals = [
    ...paymentMethods.map((m) => ({ label: methodLabel(t, m), ...report.byMethod[m] })),
    { label: t('pay.staff.report.total'), ...report.total },
  ];
  return (
    <Layout ctx={ctx} title={t('pay.staff.report.title')}>
      <PaymentNav ctx={ctx} />
      <h1>{t('pay.staff.report.title')}</h1>
      <p>{t('pay.staff.report.intro')}</p>
      <ErrorSummary t={t} form={form} labels={filterLabels} />
      <form method="get" action={paymentPaths.report} role="search" class="filters-inline" novalidate>
        <TextField t={t} form={form} name="du" label={filterLabels.du} hint={t('pay.staff.report.dateHint')} maxLength={40} width="short" />
        <TextField t={t} form={form} name="au" label={filterLabels.au} hint={t('pay.staff.report.dateHint')} maxLength={40} width="short" />
        <Select
          t={t}
          form={form}
          name="ecole"
          label={filterLabels.ecole}
          placeholder={t('pay.staff.report.allSchools')}
          options={report.schools.map((s) => ({ value: String(s.id), label: s.name }))}
        />
        <Select t={t} form={form} name="mode" label={filterLabels.mode} placeholder={t('pay.staff.report.allMethods')} options={paymentMethods.map((m) => ({ value: m, label: methodLabel(t, m) }))} />
        <SubmitButton secondary>{t('pay.staff.report.filter')}</SubmitButton>
      </form>
      <h2>{t('pay.staff.report.period', { from: t.date(report.filters.from), to: t.date(report.filters.to) })}</h2>
      <p>
        {t.plural('pay.staff.report.count', report.total.count)} — {t('pay.staff.report.export')} : <a href={`${paymentPaths.report}.csv${props.exportQuery}`}>{t('pay.staff.report.exportCsv')}</a>,{' '}
        <a href={`${paymentPaths.report}.xlsx${props.exportQuery}`}>{t('pay.staff.report.exportXlsx')}</a>
      </p>
      {report.rows.length === 0 ? (
        <p>{t('pay.staff.report.none')}</p>
      ) : (
        <Table
          id="paiements"
          caption={t('pay.staff.report.title')}
          captionHidden
          rows={report.rows.map((r) => ({ r, v: reportValues(t, r) }))}
          columns={[
            ...reportColumns.map((c) => ({ label: labels[c], rowHeader: c === 'paidAt', cell: ({ v }: { v: Record<ReportColumn, string> }) => v[c] || '—' })),
            {
              label: t('pay.staff.col.receipt'),
              cell: ({ r }) =>
                r.payment.method === 'cheque' || r.payment.method === 'cash' ? (
                  <a href={receiptPath(r.payment.id)} aria-label={t('pay.staff.report.receiptLabel', { reference: r.payment.reference })}>
                    {t('pay.staff.report.receipt')}
                  </a>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
      <h2 id="totaux">{t('pay.staff.report.totals')}</h2>
      <Table
        id="totaux-table"
        caption={t('pay.staff.report.totals')}
        captionHidden
        rows={totals}
        columns={[
          { label: t('pay.staff.col.method'), rowHeader: true, cell: (r) => r.label },
          { label: t('pay.staff.col.count'), cell: (r) => r.count },
          { label: t('pay.staff.col.amount'), cell: (r) => money(t, r.cents) },
        ]}
      />
    </Layout>
  );
}

// ---- PAY-2: the attempts to look at ----------------------------------------------------------

const flagText = (t: T, row: FlagRow) => (row.attempt.flag ? t(`pay.staff.flag.${row.attempt.flag}`) : '');

/** PAY-2: the flagged online attempts of one's scope, the oldest first. */
export function FlagsPage(props: { ctx: PageContext; rows: FlagRow[]; flash?: string }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('pay.staff.flags.title')} flash={props.flash}>
      <PaymentNav ctx={ctx} />
      <h1>{t('pay.staff.flags.title')}</h1>
      <p>{t('pay.staff.flags.intro')}</p>
      {props.rows.length === 0 ? (
        <p>{t('pay.staff.flags.none')}</p>
      ) : (
        <Table
          id="a-verifier"
          caption={t('pay.staff.flags.title')}
          captionHidden
          rows={props.rows}
          columns={[
            { label: t('pay.staff.col.learner'), rowHeader: true, cell: (r) => r.name },
            { label: t('pay.staff.col.session'), cell: (r) => sessionText(r.session) },
            { label: t('pay.staff.col.flag'), cell: (r) => flagText(t, r) },
            { label: t('pay.staff.col.flaggedAt'), cell: (r) => (r.attempt.flaggedAt ? t.date(r.attempt.flaggedAt, 'datetime') : '—') },
            { label: t('pay.staff.col.paid'), cell: (r) => money(t, r.attempt.amountCents) },
            { label: t('pay.staff.col.amount'), cell: (r) => money(t, r.payment.amountCents) },
            {
              label: t('pay.staff.col.action'),
              cell: (r) => (
                <a href={`${paymentPaths.flags}/${r.attempt.id}`} aria-label={t('pay.staff.flags.openLabel', { name: r.name })}>
                  {t('pay.staff.flags.open')}
                </a>
              ),
            },
          ]}
        />
      )}
    </Layout>
  );
}

/** PAY-2: one flagged attempt: what the provider said, and the form that files it with a note. */
export function FlagPage(props: { ctx: PageContext; row: FlagRow; form?: FormState; notice?: MessageKey }) {
  const { ctx, row } = props;
  const t = ctx.t;
  const form = props.form ?? emptyForm();
  const title = t('pay.staff.flags.one', { name: row.name });
  const result = Object.entries(row.attempt.result ?? {});
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={paymentPaths.flags}>{t('pay.staff.flags.back')}</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? <Notice t={t} message={props.notice} kind="warning" /> : null}
      <dl class="summary">
        <dt>{t('pay.staff.col.flag')}</dt>
        <dd>{flagText(t, row)}</dd>
        <dt>{t('pay.staff.col.session')}</dt>
        <dd>
          {sessionText(row.session)}, {row.session.schoolName}
        </dd>
        <dt>{t('pay.staff.col.reference')}</dt>
        <dd>{row.payment.reference}</dd>
        <dt>{t('pay.staff.col.paid')}</dt>
        <dd>{money(t, row.attempt.amountCents)}</dd>
        <dt>{t('pay.staff.col.amount')}</dt>
        <dd>{amountText(t, row.payment)}</dd>
        <dt>{t('pay.staff.col.payer')}</dt>
        <dd>{row.attempt.payerName ? `${row.attempt.payerName} <${row.attempt.payerEmail}>` : row.attempt.payerEmail}</dd>
        <dt>{t('pay.staff.col.flaggedAt')}</dt>
        <dd>{row.attempt.flaggedAt ? t.date(row.attempt.flaggedAt, 'datetime') : '—'}</dd>
        <dt>{t('pay.staff.col.result')}</dt>
        <dd>
          {result.length ? (
            <dl class="summary">
              {result.map(([key, value]) => (
                <>
                  <dt>{key}</dt>
                  <dd>{String(value)}</dd>
                </>
              ))}
            </dl>
          ) : (
            t('pay.staff.flags.noResult')
          )}
        </dd>
      </dl>
      {row.attempt.flagClearedAt ? (
        <p>{t('pay.staff.flags.cleared', { date: t.date(row.attempt.flagClearedAt, 'datetime'), note: row.attempt.flagNote ?? '' })}</p>
      ) : (
        <>
          {props.form ? <ErrorSummary t={t} form={form} labels={{ note: t('pay.staff.flags.note') }} /> : null}
          <form method="post" action={`${paymentPaths.flags}/${row.attempt.id}`} novalidate>
            <Csrf ctx={ctx} />
            <TextArea t={t} form={form} name="note" label={t('pay.staff.flags.note')} hint={t('pay.staff.flags.noteHint')} required maxLength={1000} rows={3} />
            <SubmitButton>{t('pay.staff.flags.submit')}</SubmitButton>
          </form>
        </>
      )}
    </Layout>
  );
}
