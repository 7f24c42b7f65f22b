import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { PaymentMethod, Role } from '../../domain/vocabulary';
import { paymentMethods } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { parisInstant } from '../../platform/clock';
import type { MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies } from '../../platform/policies';
import { learnerNames, parisDay } from '../accounts';
import {
  applicationById,
  applicationExists,
  applicationIdsIn,
  applicationsByIds,
  applicationsOf,
  inGroup,
  refusal,
  roleMay,
  rolesFor,
  type Action,
  type Application,
  type Facts,
} from '../applications';
import { sessionExists, sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import { addDays, type SchoolPayment } from './payments.rules';
import {
  paymentFactsOf,
  recordSchoolPayment,
  releaseUnpaid,
  validateEnrolment,
  type Attempt,
  type Payment,
  type PaymentDeps,
  type SchoolDeps,
  type PaymentFailure,
  type Staff,
} from './payments.service';
import { paymentAttempts, payments } from './payments.table';
import type { ReportFilters } from './staff.schema';

/**
 * The staff side of enrolment and payment (PAY-1, PAY-2, PAY-3), each inside the staff member's
 * scope: the school head's lists "to validate" and "to collect", the payments received, the
 * online attempts to look at. Every list filters by the scope in its query; every action checks
 * the scope here before the payments service acts (an application outside it is "not found",
 * never acted upon), and the lifecycle's table the role (`refusal`, in the payments service).
 */

export type { Staff };
type Deps = Pick<PaymentDeps, 'db' | 'clock'>;

const failure = (code: PaymentFailure['code'], message: MessageKey): PaymentFailure => ({ ok: false, code, message });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

/** Who looks at the payments received and the flagged attempts: the school's cash desk and the central service. */
export const paymentReviewers: Role[] = [...new Set([...rolesFor('recordPayment'), ...rolesFor('decideRefund')])];
export const mayReviewPayments = (role: Role) => paymentReviewers.includes(role);

/** The payment pages a role is offered (the staff home's links, the pages' own navigation). */
export function paymentPages(role: Role) {
  return { validate: roleMay(role, 'validateEnrolment'), collect: roleMay(role, 'recordPayment'), report: mayReviewPayments(role), flags: mayReviewPayments(role) };
}

/** The sessions of the staff member's scope, with what the payment pages show of them. */
async function scopedSessions(db: DbOrTx, staff: Staff): Promise<{ all: boolean; sessions: Map<number, SessionForApplication> }> {
  const scope = await scopeOf(db, staff);
  const ids = (await sessionsInScope(db, scope)).map((s) => s.id);
  const sessions = await sessionsForApplications(db, { ids });
  return { all: scope.all, sessions: new Map(sessions.map((s) => [s.id, s])) };
}

/** The payments condition of a scope: every session for an administrator, else the scope's. */
const inSessions = (scope: { all: boolean; sessions: Map<number, unknown> }): SQL | undefined =>
  scope.all ? undefined : scope.sessions.size ? inArray(payments.sessionId, [...scope.sessions.keys()]) : sql`false`;

/** An application whose session is in the staff member's scope, with that session; or null. */
async function applicationInScope(db: DbOrTx, staff: Staff, applicationId: string): Promise<{ application: Application; session: SessionForApplication } | null> {
  const application = await applicationById(db, applicationId);
  // A basket the learner has not validated is nobody's business but theirs.
  if (!application || !inGroup('validated', application.status)) return null;
  const [session] = await sessionsForApplications(db, { ids: [application.sessionId] });
  if (!session) return null;
  const [scoped] = await sessionsInScope(db, await scopeOf(db, staff), { code: session.code });
  return scoped ? { application, session } : null;
}

/** Does it exist at all, whatever one's scope (docs/decisions/008: 403 outside the scope, 404 when unknown)? */
export async function existsUnscoped(db: DbOrTx, what: { applicationId?: string; sessionCode?: string; attemptId?: string }): Promise<boolean> {
  if (what.sessionCode !== undefined) return sessionExists(db, what.sessionCode);
  if (what.applicationId !== undefined) return applicationExists(db, what.applicationId);
  if (what.attemptId === undefined || !isUuid(what.attemptId)) return false;
  return (await db.select({ id: paymentAttempts.id }).from(paymentAttempts).where(and(eq(paymentAttempts.id, what.attemptId), isNotNull(paymentAttempts.flag)))).length > 0;
}

const byName = (names: Map<string, string>) => (a: { application: Application }, b: { application: Application }) =>
  (names.get(a.application.learnerId) ?? '').localeCompare(names.get(b.application.learnerId) ?? '', 'fr') || a.application.id.localeCompare(b.application.id);

// ---- PAY-1: to validate ----------------------------------------------------------------------

export interface ValidateRow {
  application: Application;
  name: string;
  /** SEL-3, SEL-4: the convocation's attendance (null: convoked, not recorded yet); undefined: not convoked. */
  attendance: 'present' | 'absent' | null | undefined;
  /** The session's first meeting has taken place. */
  firstMeetingPassed: boolean;
  /** The lifecycle's answer: null, the validate button; else why not yet. */
  refusal: MessageKey | null;
}

export interface ValidateGroup {
  session: SessionForApplication;
  rows: ValidateRow[];
  /** How many the "validate all those who came" form would validate. */
  ready: number;
}

/**
 * PAY-1 "to validate": the accepted applications of the sessions in scope that this person may
 * validate once the learner came (a trainer: those of remote courses), each with whether the
 * learner attended the convocation or the first meeting has passed, and what the lifecycle says
 * of validating it now. By session, then by name.
 */
export async function toValidate(deps: Deps, staff: Staff): Promise<{ ok: true; groups: ValidateGroup[] } | PaymentFailure> {
  if (!roleMay(staff.role, 'validateEnrolment')) return forbidden;
  const scope = await scopedSessions(deps.db, staff);
  const ids = await applicationIdsIn(deps.db, { sessionIds: [...scope.sessions.keys()], group: 'toEnrol' });
  const rows = await applicationsByIds(deps.db, ids);
  const items = rows.map((application) => ({ application, session: scope.sessions.get(application.sessionId)!, payment: null }));
  const [facts, names] = await Promise.all([paymentFactsOf(deps.db, deps.clock, items), learnerNames(deps.db, [...new Set(rows.map((r) => r.learnerId))])]);
  const context = { role: staff.role, now: deps.clock.now() };
  const today = parisDay(context.now);
  const groups = new Map<number, ValidateGroup>();
  for (const item of items.sort(byName(names))) {
    const known = facts.get(item.application.id)!;
    // Listed: what this person could validate once the learner came (the status, the role, a trainer's remote course).
    if (refusal('validateEnrolment', { ...known.facts, attended: true }, context)) continue;
    const no = refusal('validateEnrolment', known.facts, context);
    const group = groups.get(item.session.id) ?? { session: item.session, rows: [], ready: 0 };
    group.rows.push({
      application: item.application,
      name: names.get(item.application.learnerId) ?? '',
      attendance: known.convocation === null ? undefined : (known.convocation?.attendance ?? null),
      firstMeetingPassed: item.session.firstMeeting <= today,
      refusal: no ? no.message : null,
    });
    if (!no) group.ready++;
    groups.set(item.session.id, group);
  }
  return { ok: true, groups: [...groups.values()].sort((a, b) => a.session.code.localeCompare(b.session.code)) };
}

/** PAY-1: validates one enrolment, in scope (the payments service checks the lifecycle under its locks). */
export async function validateOne(deps: SchoolDeps, staff: Staff, applicationId: string): Promise<{ ok: true; payment: Payment } | PaymentFailure> {
  if (!(await applicationInScope(deps.db, staff, applicationId))) return notFound;
  return validateEnrolment(deps, staff, applicationId);
}

/**
 * PAY-1 "validate all those who came": every accepted application of the session (in scope) that
 * the lifecycle lets this person validate now; each is validated in its own transaction, under
 * its locks, so an application changed meanwhile is left as it is.
 */
export async function validateAllWhoCame(deps: SchoolDeps, staff: Staff, sessionCode: string): Promise<{ ok: true; validated: number } | PaymentFailure> {
  if (!roleMay(staff.role, 'validateEnrolment')) return forbidden;
  if (!/^[A-Za-z0-9-]{1,60}$/.test(sessionCode)) return notFound;
  const [scoped] = await sessionsInScope(deps.db, await scopeOf(deps.db, staff), { code: sessionCode });
  if (!scoped) return notFound;
  const [session] = await sessionsForApplications(deps.db, { ids: [scoped.id] });
  const rows = await applicationsOf(deps.db, { sessionId: session.id, action: 'validateEnrolment' });
  const facts = await paymentFactsOf(deps.db, deps.clock, rows.map((application) => ({ application, session, payment: null })));
  let validated = 0;
  for (const application of rows) {
    if (refusal('validateEnrolment', facts.get(application.id)!.facts, { role: staff.role, now: deps.clock.now() })) continue;
    if ((await validateEnrolment(deps, staff, application.id)).ok) validated++;
  }
  return { ok: true, validated };
}

// ---- PAY-3: to collect -----------------------------------------------------------------------

export interface CollectRow {
  application: Application;
  name: string;
  session: SessionForApplication;
  payment: Payment;
  /** PAY-1: past the due date, and the reminder sent. */
  overdue: boolean;
  /** PAY-2: online attempts not settled yet (the learner may be paying right now). */
  attemptsInProgress: number;
  /** The lifecycle's answers: the payment forms, the "release the place" button. */
  mayRecord: boolean;
  mayRelease: boolean;
}

/** The rows of these amounts due, with the lifecycle's answers for this person. */
async function collectRows(deps: Deps, staff: Staff, due: Payment[], sessions: Map<number, SessionForApplication>): Promise<CollectRow[]> {
  if (due.length === 0) return [];
  const ids = due.map((p) => p.id);
  const [apps, attempts, names] = await Promise.all([
    applicationsByIds(deps.db, due.map((p) => p.applicationId)),
    deps.db
      .select({ paymentId: paymentAttempts.paymentId, n: sql<number>`count(*)::int` })
      .from(paymentAttempts)
      .where(and(inArray(paymentAttempts.paymentId, ids), inArray(paymentAttempts.status, ['creating', 'pending'])))
      .groupBy(paymentAttempts.paymentId),
    learnerNames(deps.db, [...new Set(due.map((p) => p.learnerId))]),
  ]);
  const byId = new Map(apps.map((a) => [a.id, a]));
  const items = due.filter((p) => byId.has(p.applicationId)).map((payment) => ({ application: byId.get(payment.applicationId)!, session: sessions.get(payment.sessionId)!, payment }));
  const facts = await paymentFactsOf(deps.db, deps.clock, items);
  const inProgress = new Map(attempts.map((a) => [a.paymentId, a.n]));
  const context = { role: staff.role, now: deps.clock.now() };
  const today = parisDay(context.now);
  const may = (action: Action, f: Facts) => refusal(action, f, context) === null;
  return items.map(({ application, session, payment }) => {
    const f = facts.get(application.id)!.facts;
    return {
      application,
      name: names.get(application.learnerId) ?? '',
      session,
      payment,
      overdue: today > payment.dueOn,
      attemptsInProgress: inProgress.get(payment.id) ?? 0,
      mayRecord: may('recordPayment', f),
      mayRelease: may('releaseUnpaid', f),
    };
  });
}

/**
 * PAY-3 "to collect": the amounts due of the sessions in scope (validated, not paid yet), the
 * soonest due first, with their amount, rate, due date, whether they are overdue and reminded, and
 * the online attempts in progress. `recorded`: the payment just recorded, for its receipt's link,
 * if it is one of the scope's, paid at the school.
 */
export async function toCollect(
  deps: Deps,
  staff: Staff,
  options: { recorded?: string } = {},
): Promise<{ ok: true; rows: CollectRow[]; cashLimitCents: number; recorded: Payment | null } | PaymentFailure> {
  if (!roleMay(staff.role, 'recordPayment')) return forbidden;
  const scope = await scopedSessions(deps.db, staff);
  const due = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.status, 'due'), inSessions(scope)))
    .orderBy(asc(payments.dueOn), asc(payments.createdAt), asc(payments.id));
  const [recorded] = isUuid(options.recorded)
    ? await deps.db
        .select()
        .from(payments)
        .where(and(eq(payments.id, options.recorded), eq(payments.status, 'paid'), inArray(payments.method, ['cheque', 'cash']), inSessions(scope)))
    : [];
  const rows = await collectRows(deps, staff, due, scope.sessions);
  return { ok: true, rows, cashLimitCents: (await getPolicies(deps.db)).cashPaymentLimitCents, recorded: recorded ?? null };
}

/** PAY-3: one application's amount due, in scope, for its payment forms (row null: nothing is due now). */
export async function collectOne(deps: Deps, staff: Staff, applicationId: string): Promise<{ ok: true; row: CollectRow | null; name: string; cashLimitCents: number } | PaymentFailure> {
  if (!roleMay(staff.role, 'recordPayment')) return forbidden;
  const found = await applicationInScope(deps.db, staff, applicationId);
  if (!found) return notFound;
  const due = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.applicationId, applicationId), eq(payments.status, 'due')));
  const [rows, names, policies] = await Promise.all([
    collectRows(deps, staff, due, new Map([[found.session.id, found.session]])),
    learnerNames(deps.db, [found.application.learnerId]),
    getPolicies(deps.db),
  ]);
  return { ok: true, row: rows[0] ?? null, name: names.get(found.application.learnerId) ?? '', cashLimitCents: policies.cashPaymentLimitCents };
}

/** PAY-3, PAY-7: records a cheque or cash for an application in scope (the payments service checks the rest under its locks). */
export async function recordAtSchool(deps: SchoolDeps, staff: Staff, applicationId: string, input: SchoolPayment): Promise<{ ok: true; payment: Payment } | PaymentFailure> {
  if (!(await applicationInScope(deps.db, staff, applicationId))) return notFound;
  return recordSchoolPayment(deps, staff, applicationId, input);
}

/** PAY-1, SEL-8: releases the place of an unpaid enrolment in scope, once overdue and reminded. */
export async function releasePlace(deps: SchoolDeps, staff: Staff, applicationId: string): Promise<{ ok: true } | PaymentFailure> {
  if (!(await applicationInScope(deps.db, staff, applicationId))) return notFound;
  return releaseUnpaid(deps, staff, applicationId);
}

// ---- the payments received -------------------------------------------------------------------

export interface ReportRow {
  payment: Payment;
  name: string;
  session: SessionForApplication;
}

export interface Totals {
  count: number;
  cents: number;
}

export interface PaymentsReport {
  rows: ReportRow[];
  total: Totals;
  byMethod: Record<PaymentMethod, Totals>;
  /** The schools of the scope, for the filter. */
  schools: { id: number; name: string }[];
  /** The filters applied (the period filled in: this month so far). */
  filters: ReportFilters;
}

/** The report's period when none is given: from the first of this month to today, in Paris. */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const today = parisDay(now);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/**
 * The payments received over a period (Paris days, both included), in scope, optionally of one
 * school and one method, oldest first, with their totals in integer cents (all and by method).
 */
export async function paymentsReport(deps: Deps, staff: Staff, filters: Partial<ReportFilters>): Promise<({ ok: true } & PaymentsReport) | PaymentFailure> {
  if (!mayReviewPayments(staff.role)) return forbidden;
  const period = defaultPeriod(deps.clock.now());
  const applied: ReportFilters = { ...filters, from: filters.from ?? period.from, to: filters.to ?? period.to };
  const scope = await scopedSessions(deps.db, staff);
  const paid = await deps.db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.status, 'paid'),
        gte(payments.paidAt, parisInstant(applied.from, '00:00')),
        lt(payments.paidAt, parisInstant(addDays(applied.to, 1), '00:00')),
        inSessions(scope),
        applied.schoolId !== undefined ? eq(payments.schoolId, applied.schoolId) : undefined,
        applied.method ? eq(payments.method, applied.method) : undefined,
      ),
    )
    .orderBy(asc(payments.paidAt), asc(payments.id));
  const missing = [...new Set(paid.map((p) => p.sessionId))].filter((id) => !scope.sessions.has(id));
  const sessions = missing.length ? new Map([...scope.sessions, ...(await sessionsForApplications(deps.db, { ids: missing })).map((s) => [s.id, s] as const)]) : scope.sessions;
  const names = await learnerNames(deps.db, [...new Set(paid.map((p) => p.learnerId))]);
  const rows = paid.map((payment) => ({ payment, name: names.get(payment.learnerId) ?? '', session: sessions.get(payment.sessionId)! }));
  const sum = (list: Payment[]): Totals => ({ count: list.length, cents: list.reduce((s, p) => s + p.amountCents, 0) });
  const byMethod = Object.fromEntries(paymentMethods.map((m) => [m, sum(paid.filter((p) => p.method === m))])) as Record<PaymentMethod, Totals>;
  const schools = new Map<number, string>();
  for (const s of scope.sessions.values()) schools.set(s.schoolId, s.schoolName);
  return {
    ok: true,
    rows,
    total: sum(paid),
    byMethod,
    schools: [...schools].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    filters: applied,
  };
}

// ---- PAY-2: the attempts to look at ----------------------------------------------------------

export interface FlagRow {
  attempt: Attempt;
  payment: Payment;
  name: string;
  session: SessionForApplication;
}

/**
 * PAY-2: the online attempts flagged for staff and not yet cleared (a success that came for an
 * attempt given up, a second success for an amount already paid, an amount that differs from the
 * one due), in scope, the oldest first: the money came, nothing applied it twice, someone must
 * refund or reconcile it by hand.
 */
export async function flaggedAttempts(deps: Deps, staff: Staff): Promise<{ ok: true; rows: FlagRow[] } | PaymentFailure> {
  if (!mayReviewPayments(staff.role)) return forbidden;
  const scope = await scopedSessions(deps.db, staff);
  const found = await deps.db
    .select({ attempt: paymentAttempts, payment: payments })
    .from(paymentAttempts)
    .innerJoin(payments, eq(payments.id, paymentAttempts.paymentId))
    .where(and(isNotNull(paymentAttempts.flag), isNull(paymentAttempts.flagClearedAt), inSessions(scope)))
    .orderBy(asc(paymentAttempts.flaggedAt), asc(paymentAttempts.id));
  const missing = [...new Set(found.map((f) => f.payment.sessionId))].filter((id) => !scope.sessions.has(id));
  const sessions = missing.length ? new Map([...scope.sessions, ...(await sessionsForApplications(deps.db, { ids: missing })).map((s) => [s.id, s] as const)]) : scope.sessions;
  const names = await learnerNames(deps.db, [...new Set(found.map((f) => f.payment.learnerId))]);
  return { ok: true, rows: found.map((f) => ({ ...f, name: names.get(f.payment.learnerId) ?? '', session: sessions.get(f.payment.sessionId)! })) };
}

/** An attempt whose amount due is of a session in the staff member's scope, with its payment and session; or null. */
async function attemptInScope(db: DbOrTx, staff: Staff, attemptId: string): Promise<{ attempt: Attempt; payment: Payment; session: SessionForApplication } | null> {
  if (!isUuid(attemptId)) return null;
  const [found] = await db
    .select({ attempt: paymentAttempts, payment: payments })
    .from(paymentAttempts)
    .innerJoin(payments, eq(payments.id, paymentAttempts.paymentId))
    .where(eq(paymentAttempts.id, attemptId));
  if (!found) return null;
  const [session] = await sessionsForApplications(db, { ids: [found.payment.sessionId] });
  if (!session || (await sessionsInScope(db, await scopeOf(db, staff), { code: session.code })).length === 0) return null;
  return { ...found, session };
}

/** PAY-2: one flagged attempt in scope (filed or not), for its page. */
export async function flaggedAttempt(deps: Deps, staff: Staff, attemptId: string): Promise<{ ok: true; row: FlagRow } | PaymentFailure> {
  if (!mayReviewPayments(staff.role)) return forbidden;
  const found = await attemptInScope(deps.db, staff, attemptId);
  if (!found || !found.attempt.flag) return notFound;
  const names = await learnerNames(deps.db, [found.payment.learnerId]);
  return { ok: true, row: { ...found, name: names.get(found.payment.learnerId) ?? '' } };
}

/**
 * PAY-2: a staff member in scope files an attempt's flag with a note (what was done: refunded by
 * the cash office, the amount checked…), audited. A flag already filed is refused with that reason.
 */
export async function clearAttemptFlag(deps: Deps, staff: Staff, attemptId: string, note: string): Promise<{ ok: true } | PaymentFailure> {
  if (!mayReviewPayments(staff.role)) return forbidden;
  const found = await attemptInScope(deps.db, staff, attemptId);
  if (!found || !found.attempt.flag) return notFound;
  return deps.db.transaction(async (tx) => {
    const [attempt] = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId)).for('update');
    if (!attempt.flag || attempt.flagClearedAt) return failure('refused', 'pay.staff.flags.alreadyCleared');
    await tx.update(paymentAttempts).set({ flagClearedBy: staff.id, flagClearedAt: deps.clock.now(), flagNote: note }).where(eq(paymentAttempts.id, attemptId));
    await audit(tx, deps.clock, { action: 'payment.flag.cleared', actorId: staff.id, subjectId: found.payment.applicationId, data: { attemptId, flag: attempt.flag, note } });
    return { ok: true as const };
  });
}
