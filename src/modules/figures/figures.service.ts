import type { DbOrTx } from '../../db/database';
import { figureViewers, type Role } from '../../domain/vocabulary';
import { parisInstant, type Clock } from '../../platform/clock';
import type { Policies } from '../../platform/policies';
import { applicationFigures } from '../applications';
import { attendanceFigures } from '../attendance';
import { figureSessions, listPeriods, type FigureSession, type Period } from '../catalogue';
import { certificateFigures } from '../certification';
import { paymentFigures, refundFigures } from '../payments';
import { scopeOf } from '../scopes';
import { offerFigures } from '../selection';
import { emptyCounts, rollUp, total, type Counts, type Group } from './figures.rules';
import type { FigureFilters } from './figures.schema';

/** SVC-6: who sees the figures (the vocabulary's `figureViewers`), each in their scope. */
export const mayReadFigures = (role: Role): boolean => (figureViewers as readonly Role[]).includes(role);

export interface FiguresDeps {
  db: DbOrTx;
  clock: Clock;
  policies: () => Promise<Pick<Policies, 'justifiedAbsenceCountsAsPresence'>>;
}

export interface SessionLine extends Group {
  session: FigureSession;
}

export interface FiguresReport {
  /** The filters applied (the period resolved: the current one when none was asked). */
  filters: FigureFilters & { periodCode: string };
  period: Period | null;
  choices: FigureChoices;
  total: Counts;
  bySchool: Group[];
  byDomain: Group[];
  bySession: SessionLine[];
}

export type FiguresResult = { ok: true; report: FiguresReport } | { ok: false; code: 'forbidden' } | { ok: false; code: 'choice'; field: 'periode' | 'ecole' | 'domaine' | 'session'; choices: FigureChoices };

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The current period: the latest whose applications have opened (else the first to come). */
export function currentPeriod(periods: readonly Period[], now: Date): Period | null {
  const opened = periods.filter((p) => p.applicationsOpenAt <= now);
  return opened.at(-1) ?? periods[0] ?? null;
}

/**
 * SVC-6: the figures of a staff member's scope, for a period (a registration period's sessions),
 * days (applications validated, decisions, offers, payments, marks and certificates dated within
 * them, Paris days) or both, by school, domain and session. Each module counts its own in SQL,
 * grouped by session, for the sessions in scope only (the catalogue's query has the scope in its
 * WHERE); the groups are sums of their sessions. Places held, waiting lists and open offers are
 * today's. Refuses a role that has no figures (forbidden) and a choice outside the scope (choice).
 */
export interface FigureChoices {
  periods: Period[];
  /** The period resolved: the one asked, or the current one when none was; '' for every period. */
  periodCode: string;
  period: Period | null;
  /** The sessions of the scope in that period. */
  sessions: FigureSession[];
  /** What the filters may choose, in the scope and the period. */
  schools: { id: number; name: string }[];
  domains: { id: number; name: string }[];
}

/**
 * The periods, and the schools and domains of a staff member's scope in a period, for the
 * filters (the scope in the catalogue query's WHERE). Null for a role without figures.
 */
export async function figureChoices(deps: Pick<FiguresDeps, 'db' | 'clock'>, staff: { id: string; role: Role }, periodCode?: string): Promise<FigureChoices | null> {
  if (!mayReadFigures(staff.role)) return null;
  const periods = await listPeriods(deps.db);
  const code = periodCode ?? currentPeriod(periods, deps.clock.now())?.code ?? '';
  const period = periods.find((p) => p.code === code) ?? null;
  const sessions = period || !code ? await figureSessions(deps.db, await scopeOf(deps.db, staff), { periodCode: code || undefined }) : [];
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'fr');
  const schools = new Map(sessions.map((s) => [s.schoolId, s.schoolName]));
  const domains = new Map(sessions.map((s) => [s.domainId, s.domainName]));
  return {
    periods,
    periodCode: code,
    period,
    sessions,
    schools: [...schools].map(([id, name]) => ({ id, name })).sort(byName),
    domains: [...domains].map(([id, name]) => ({ id, name })).sort(byName),
  };
}

/**
 * SVC-6: the figures of a staff member's scope, for a period (a registration period's sessions),
 * days (applications validated, decisions, offers, payments, marks and certificates dated within
 * them, Paris days) or both, by school, domain and session. Each module counts its own in SQL,
 * grouped by session, for the sessions in scope only (the catalogue's query has the scope in its
 * WHERE); the groups are sums of their sessions. Places held, waiting lists and open offers are
 * today's. Refuses a role that has no figures (forbidden) and a choice outside the scope
 * (choice, with the field and what the filters may choose).
 */
export async function figuresFor(deps: FiguresDeps, staff: { id: string; role: Role }, filters: FigureFilters): Promise<FiguresResult> {
  const choices = await figureChoices(deps, staff, filters.periodCode);
  if (!choices) return { ok: false, code: 'forbidden' };
  const { db } = deps;
  const refuse = (field: 'periode' | 'ecole' | 'domaine' | 'session'): FiguresResult => ({ ok: false, code: 'choice', field, choices });
  if (choices.periodCode && !choices.period) return refuse('periode');
  const inPeriod = choices.sessions;
  if (filters.schoolId !== undefined && !choices.schools.some((s) => s.id === filters.schoolId)) return refuse('ecole');
  if (filters.domainId !== undefined && !choices.domains.some((d) => d.id === filters.domainId)) return refuse('domaine');
  if (filters.sessionCode && !inPeriod.some((s) => s.code === filters.sessionCode)) return refuse('session');
  const sessions = inPeriod.filter(
    (s) =>
      (filters.schoolId === undefined || s.schoolId === filters.schoolId) &&
      (filters.domainId === undefined || s.domainId === filters.domainId) &&
      (!filters.sessionCode || s.code === filters.sessionCode),
  );

  const now = deps.clock.now();
  const window = {
    sessionIds: sessions.map((s) => s.id),
    from: filters.from ? parisInstant(filters.from, '00:00') : undefined,
    until: filters.to ? parisInstant(nextDay(filters.to), '00:00') : undefined,
  };
  const policies = await deps.policies();
  const [applications, offers, payments, refunds, attendance, certificates] = await Promise.all([
    applicationFigures(db, window),
    offerFigures(db, window),
    paymentFigures(db, window),
    refundFigures(db, window),
    attendanceFigures(db, { ...window, now, justifiedCountsAsPresence: policies.justifiedAbsenceCountsAsPresence === 1 }),
    certificateFigures(db, window),
  ]);

  const countsOf = (s: FigureSession): Counts => {
    const a = applications.get(s.id);
    const o = offers.get(s.id);
    const paid = payments.get(s.id) ?? [];
    const r = refunds.get(s.id);
    const at = attendance.get(s.id);
    const c = certificates.get(s.id);
    const rate = (r: 'full' | 'half') => paid.find((p) => p.rate === r) ?? { count: 0, cents: 0 };
    return {
      ...emptyCounts(),
      sessions: 1,
      capacity: s.capacity,
      ...(a && { applications: a.applications, accepted: a.accepted, refused: a.refused, waitlisted: a.waitlisted, waiting: a.waiting, holding: a.holding }),
      ...(o && { offersMade: o.made, offersOpen: o.open }),
      paidCount: rate('full').count + rate('half').count,
      paidCents: rate('full').cents + rate('half').cents,
      fullCount: rate('full').count,
      fullCents: rate('full').cents,
      halfCount: rate('half').count,
      halfCents: rate('half').cents,
      ...(r && { refundsGranted: r.grantedCount, grantedCents: r.grantedCents, refundsPaid: r.refundedCount, refundedCents: r.refundedCents }),
      ...(at && { attendedMinutes: at.attendedMinutes, plannedMinutes: at.plannedMinutes }),
      ...(c && { attendanceCertificates: c.attendance, skillsCertificates: c.skills }),
    };
  };
  const counted = sessions.map((session) => ({ session, counts: countsOf(session) }));
  const bySession = counted.map(({ session, counts }) => ({ key: session.code, label: `${session.code} — ${session.title}`, counts, session }));
  const bySchool = rollUp(counted, ({ session }) => ({ key: String(session.schoolId), label: session.schoolName }), (x) => x.counts);
  const byDomain = rollUp(counted, ({ session }) => ({ key: String(session.domainId), label: session.domainName }), (x) => x.counts);
  return {
    ok: true,
    report: { filters: { ...filters, periodCode: choices.periodCode }, period: choices.period, choices, total: total(bySchool), bySchool, byDomain, bySession },
  };
}
