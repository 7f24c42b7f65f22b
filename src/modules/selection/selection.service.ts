import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import type { Role } from '../accounts/accounts.table';
import { getPolicies } from '../../platform/policies';
import { applicantsOf, applyDecisions, placeFreed, takenPlaces } from '../applications/applications.service';
import { sessionsForApplications, type ScopedSession } from '../catalogue/catalogue.service';
import { decide, may, rankApplicants, type Applicant, type Ranked } from './selection.rules';
import { evaluations, prerequisiteRefusals, rankingAdjustments, selectionDraws } from './selection.table';
import { scheduleWaitingListEnd } from './waiting-list.service';
import { sessionFor } from './applicants.service';

export interface SelectionDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

type Staff = { id: string; role: Role };
export type SelectionFailure = { ok: false; code: 'not_found' | 'forbidden' | 'window_open' };

/** SEL-2: the session's published draw seed, made at its first ranking and never changed. */
async function drawSeed(db: DbOrTx, clock: Clock, sessionId: number, staffId: string): Promise<string> {
  const [known] = await db.select().from(selectionDraws).where(eq(selectionDraws.sessionId, sessionId));
  if (known) return known.seed;
  await db
    .insert(selectionDraws)
    .values({ sessionId, seed: randomBytes(16).toString('hex'), createdAt: clock.now(), createdBy: staffId })
    .onConflictDoNothing();
  const [row] = await db.select().from(selectionDraws).where(eq(selectionDraws.sessionId, sessionId));
  return row.seed;
}

async function applicants(db: DbOrTx, sessionId: number): Promise<Applicant[]> {
  const rows = await applicantsOf(db, sessionId);
  const ids = rows.map((r) => r.id);
  const [marks, adjustments, refusals] = ids.length
    ? await Promise.all([
        db.select().from(evaluations).where(inArray(evaluations.applicationId, ids)),
        db.select().from(rankingAdjustments).where(inArray(rankingAdjustments.applicationId, ids)),
        db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, ids)),
      ])
    : [[], [], []];
  const refused = new Set(refusals.map((r) => r.applicationId));
  const markOf = new Map(marks.map((e) => [e.applicationId, e.mark]));
  const pointsOf = new Map(adjustments.map((a) => [a.applicationId, a.points]));
  return rows.map((r) => ({
    applicationId: r.id,
    learnerId: r.learnerId,
    situation: r.situation ?? 'other',
    objective: r.objective ?? 'other',
    // SEL-1: what the coordinator found (certificates of skills arrive with the certification
    // issue; until then the coordinator checks them by hand on the applicant's page).
    prerequisitesMet: !refused.has(r.id),
    previousAttendancePercent: null,
    previousCertificate: false,
    evaluation: markOf.get(r.id) ?? null,
    adjustment: pointsOf.get(r.id) ?? 0,
  }));
}

/** SEL-1, SEL-12: the reasons the coordinator recorded for prerequisites not met, by application. */
async function refusalReasons(db: DbOrTx, applicationIds: string[]): Promise<Map<string, string>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, applicationIds));
  return new Map(rows.map((r) => [r.applicationId, r.reason]));
}

/**
 * SEL-1, SEL-2: the ranking proposal of a session in the staff member's scope, after its
 * application window has closed: the applicants ranked, the published seed of the draw.
 * "forbidden" for a role `staffCan.select` does not list.
 */
export async function rankSession(
  deps: SelectionDeps,
  input: { staff: Staff; sessionCode: string },
): Promise<
  | { ok: true; session: ScopedSession; seed: string; taken: number; ranked: Ranked[]; refused: Applicant[]; details: Map<string, ApplicantDetails> }
  | SelectionFailure
> {
  const { db, clock } = deps;
  const session = await sessionFor(db, input.staff, input.sessionCode);
  if (!session) return { ok: false, code: 'not_found' };
  // The role as well as the scope (staffCan, the routes' table): a school head in scope may not.
  if (!may(input.staff.role, 'select')) return { ok: false, code: 'forbidden' };
  if (clock.now() < session.applicationsCloseAt) return { ok: false, code: 'window_open' };
  const seed = await drawSeed(db, clock, session.id, input.staff.id);
  const ranking = rankApplicants(await applicants(db, session.id), { seed, evaluated: session.admissionEvaluation });
  return { ok: true, session, seed, taken: await takenPlaces(db, session.id), ...ranking, details: await applicantDetails(db, session.id) };
}

export interface ApplicantDetails {
  motivations: string;
  /** SEL-2: enrolled in the course's previous level at the service. */
  previousLevelHere: boolean;
}

/** What the coordinator reads besides the points: motivations, the previous level followed here. */
async function applicantDetails(db: DbOrTx, sessionId: number): Promise<Map<string, ApplicantDetails>> {
  const rows = await db.execute<{ id: string; motivations: string | null; previous: boolean }>(sql`
    select a.id, a.motivations,
      exists (select 1 from applications p where p.learner_id = a.learner_id and p.status = 'enrolled'
              and p.course_id = (select previous_course_id from courses where id = a.course_id)) as previous
    from applications a where a.session_id = ${sessionId} and a.status in ('confirmed', 'convoked')`);
  return new Map(rows.rows.map((r) => [r.id, { motivations: r.motivations ?? '', previousLevelHere: r.previous }]));
}

/**
 * SEL-3, SEL-6: decides a session: the first ranked take the free places, the others go on the
 * waiting list with their rank. Under a lock on the session's row, so two staff deciding at the
 * same moment never accept more learners than the capacity; deciding again only touches
 * applications not yet decided. "forbidden" for a role `staffCan.select` does not list.
 */
export async function decideSession(
  deps: SelectionDeps,
  input: { staff: Staff; sessionCode: string },
): Promise<{ ok: true; accepted: number; waiting: number; refused: number } | SelectionFailure> {
  const { db, clock } = deps;
  const session = await sessionFor(db, input.staff, input.sessionCode);
  if (!session) return { ok: false, code: 'not_found' };
  // The role as well as the scope (staffCan, the routes' table): a school head in scope may not.
  if (!may(input.staff.role, 'select')) return { ok: false, code: 'forbidden' };
  if (clock.now() < session.applicationsCloseAt) return { ok: false, code: 'window_open' };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from course_sessions where id = ${session.id} for update`);
    const seed = await drawSeed(tx, clock, session.id, input.staff.id);
    const ranking = rankApplicants(await applicants(tx, session.id), { seed, evaluated: session.admissionEvaluation });
    // Waiting ranks continue after those already on the list (a second decision adds below).
    const alreadyWaiting = (await tx.execute<{ n: number }>(sql`select coalesce(max(waiting_rank), 0)::int as n from applications where session_id = ${session.id} and status = 'waiting_list'`)).rows[0].n;
    const outcomes = decide(ranking, { capacity: session.capacity, alreadyTaken: await takenPlaces(tx, session.id) });
    let waitingRank = alreadyWaiting;
    const reasons = await refusalReasons(tx, outcomes.filter((o) => o.outcome === 'refused').map((o) => o.applicationId));
    const decisions = outcomes.map((o) =>
      o.outcome === 'waiting_list' ? { ...o, rank: ++waitingRank } : o.outcome === 'refused' ? { ...o, reason: reasons.get(o.applicationId) ?? '' } : o,
    );
    await applyDecisions(tx, deps, decisions, input.staff.id);
    // SEL-7, SEL-8: free places left here, or in the course's other sessions, go to the
    // waiting lists through the refill job; SEL-9 closes this list in time.
    const siblings = await tx.execute<{ id: number }>(sql`select id from course_sessions where course_id = (select course_id from course_sessions where id = ${session.id})`);
    for (const sibling of siblings.rows) await placeFreed(tx, clock, sibling.id);
    const [full] = await sessionsForApplications(tx, { ids: [session.id] });
    await scheduleWaitingListEnd(tx, full, (await getPolicies(tx)).waitingListExpiryWeeks);
    return {
      ok: true as const,
      accepted: decisions.filter((d) => d.outcome === 'accepted').length,
      waiting: decisions.filter((d) => d.outcome === 'waiting_list').length,
      refused: decisions.filter((d) => d.outcome === 'refused').length,
    };
  });
}
