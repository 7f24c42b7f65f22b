import { eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { learnerNames } from '../accounts';
import type { Role } from '../../domain/vocabulary';
import { getPolicies } from '../../platform/policies';
import { applicantDetails, applicantsOf, lastWaitingRank } from '../applications';
import { roleMay } from '../applications';
import { equivalentCourseIds, lockSession, sessionIdsOfCourse, sessionsForApplications, type ScopedSession, type SessionForApplication } from '../catalogue';
import { criteriaPointsOf, decide, rankApplicants, type Applicant, type Outcome, type Ranked } from './selection.rules';
import { evaluations, prerequisiteRefusals, rankingAdjustments, selectionDecisions, selectionDraws } from './selection.table';
import { explainRecorded as explainSnapshot, tiedApplicants, type ExplainFacts } from './explain.rules';
import type { Line } from '../../ui/explanation';
import { ensureDraw, revealDraw, type Draw } from './draw.service';
import { prerequisitesOf, recordAutomaticRefusals } from './prerequisites';
import { freePlacesIn, placesOf, shareIn } from './places';
import { stillHeld, type Share } from './held-share.rules';
import { placeFreed, scheduleShareRelease, scheduleWaitingListEnd } from './waiting-list.service';
import { sessionFor } from './applicants.service';
import { applyDecisionsWithResponder } from './responder.service';

export interface SelectionDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

type Staff = { id: string; role: Role };
export type SelectionFailure = { ok: false; code: 'not_found' | 'window_open' | 'forbidden' };

async function applicants(db: DbOrTx, session: Pick<SessionForApplication, 'id' | 'courseId' | 'previousCourseId'>): Promise<Applicant[]> {
  const rows = await applicantsOf(db, session.id);
  const ids = rows.map((r) => r.id);
  const [marks, adjustments, prerequisites] = await Promise.all([
    ids.length ? db.select().from(evaluations).where(inArray(evaluations.applicationId, ids)) : [],
    ids.length ? db.select().from(rankingAdjustments).where(inArray(rankingAdjustments.applicationId, ids)) : [],
    prerequisitesOf(db, session, rows),
  ]);
  const markOf = new Map(marks.map((e) => [e.applicationId, e.mark]));
  const pointsOf = new Map(adjustments.map((a) => [a.applicationId, a.points]));
  return rows.map((r) => {
    const p = prerequisites.get(r.id)!;
    return {
      applicationId: r.id,
      learnerId: r.learnerId,
      situation: r.situation ?? 'other',
      objective: r.objective ?? 'other',
      // SEL-1: checked from the previous level's outcomes, unless the coordinator decided.
      prerequisitesMet: p.met,
      // SEL-2: the real attendance and certificate of the previous level.
      previousAttendancePercent: p.level?.attendancePercent ?? null,
      previousCertificate: p.level?.certificate ?? false,
      evaluation: markOf.get(r.id) ?? null,
      adjustment: pointsOf.get(r.id) ?? 0,
      // SVC-5: may take the places held for assisted applications (the ranking never reads it).
      assisted: r.assisted,
    };
  });
}

/** SEL-1, SEL-12: the reasons the coordinator recorded for prerequisites not met, by application. */
async function refusalReasons(db: DbOrTx, applicationIds: string[]): Promise<Map<string, string>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, applicationIds));
  return new Map(rows.map((r) => [r.applicationId, r.reason]));
}

/**
 * SEL-1, SEL-2: the ranking proposal of a session in the staff member's scope, after its
 * application window has closed: the applicants ranked on the session's committed draw (its
 * commitment; the seed once revealed at the first decision: SEL-2, docs/decisions/017-committed-draw.md).
 * "forbidden" for a role `staffCan.select` does not list.
 */
export async function rankSession(
  deps: SelectionDeps,
  input: { staff: Staff; sessionCode: string },
): Promise<
  | {
      ok: true;
      session: ScopedSession;
      /** SEL-2: the draw's commitment, when it was made, whether late; the seed only once revealed. */
      draw: Pick<Draw, 'commitment' | 'committedAt' | 'late' | 'revealedAt'> & { seed: string | null };
      free: number;
      held: number;
      /** SVC-5: of the free places, those still held for assisted applications, and until when (0 when none). */
      assistedHeld: { places: number; until: Date };
      ranked: Ranked[];
      refused: Applicant[];
      outcomes: Map<string, Outcome['outcome']>;
      details: Map<string, ApplicantDetails>;
      names: Map<string, string>;
      /** SEL-12: for each applicant, the explanation the learner will read if this is decided. */
      explanations: Map<string, Line[]>;
    }
  | SelectionFailure
> {
  const { db, clock } = deps;
  const session = await sessionFor(db, input.staff, input.sessionCode);
  if (!session) return { ok: false, code: 'not_found' };
  if (!roleMay(input.staff.role, 'accept')) return { ok: false, code: 'forbidden' };
  if (clock.now() < session.applicationsCloseAt) return { ok: false, code: 'window_open' };
  const [full] = await sessionsForApplications(db, { ids: [session.id] });
  const draw = await ensureDraw(db, clock.now(), full, input.staff.id);
  const points = criteriaPointsOf(await getPolicies(db));
  const ranking = rankApplicants(await applicants(db, full), { seed: draw.seed, evaluated: full.admissionEvaluation, points });
  const { free, held } = (await placesOf(db, [full])).get(full.id)!;
  const share = await shareIn(db, full);
  const now = clock.now();
  // The screen shows what deciding now would do: the outcomes `decide` returns.
  const decided = decide(ranking, { free, share, now });
  const outcomes = new Map(decided.map((o) => [o.applicationId, o.outcome]));
  const [details, names, snapshots] = await Promise.all([
    applicantDetails(db, full),
    learnerNames(db, ranking.ranked.map((r) => r.learnerId!).filter(Boolean)),
    decisionSnapshots(db, full, ranking, decided, { free, heldForAssisted: heldNow(share, free, now).places, decidedAt: now, points }),
  ]);
  // SEL-12: one function writes what staff read here and what the learner reads on their page,
  // with the number on the waiting list deciding now would give (SEL-11).
  const numbers = waitingNumbers(decided, await lastWaitingRank(db, session.id));
  const explanations = new Map(snapshots.map((d) => [d.applicationId, explainSnapshot(d, { waitingRank: numbers.get(d.applicationId) ?? null })]));
  const shown = { commitment: draw.commitment, committedAt: draw.committedAt, late: draw.late, revealedAt: draw.revealedAt, seed: draw.revealedAt ? draw.seed : null };
  return { ok: true, session, draw: shown, free, held, assistedHeld: heldNow(share, free, now), ...ranking, outcomes, details, names, explanations };
}

/**
 * SEL-11: the numbers on the waiting list these outcomes give, in rank order, after `last` (those
 * already on the list: a second decision adds below). The decision and the staff's preview of it.
 */
function waitingNumbers(outcomes: readonly Outcome[], last: number): Map<string, number> {
  let n = last;
  return new Map(outcomes.flatMap((o) => (o.outcome === 'waiting_list' ? [[o.applicationId, ++n] as const] : [])));
}

type DecisionSnapshot = typeof selectionDecisions.$inferInsert;

/**
 * SEL-12: what each outcome was decided from: the applicant's facts as selection knew them
 * (criteria, mark, adjustment with its public reason, a prerequisite missing), the points of
 * the policies, the rank among those ranked, the free places and those held (SVC-5), a tie.
 */
async function decisionSnapshots(
  db: DbOrTx,
  session: Pick<SessionForApplication, 'id' | 'admissionEvaluation' | 'previousCourseId'>,
  ranking: { ranked: Ranked[]; refused: Applicant[] },
  outcomes: Outcome[],
  context: { free: number; heldForAssisted: number; decidedAt: Date; points: ReturnType<typeof criteriaPointsOf> },
): Promise<DecisionSnapshot[]> {
  const all: Applicant[] = [...ranking.ranked, ...ranking.refused];
  const ids = all.map((a) => a.applicationId);
  const [adjustments, reasons] = await Promise.all([
    ids.length ? db.select({ applicationId: rankingAdjustments.applicationId, publicReason: rankingAdjustments.publicReason }).from(rankingAdjustments).where(inArray(rankingAdjustments.applicationId, ids)) : [],
    refusalReasons(db, ranking.refused.map((r) => r.applicationId)),
  ]);
  const publicReason = new Map(adjustments.map((a) => [a.applicationId, a.publicReason]));
  const byId = new Map(all.map((a) => [a.applicationId, a]));
  const rankOf = new Map(ranking.ranked.map((r) => [r.applicationId, r.rank]));
  const tied = tiedApplicants(ranking.ranked, session.admissionEvaluation);
  return outcomes.map((o) => {
    const a = byId.get(o.applicationId)!;
    const facts: ExplainFacts = {
      situation: a.situation,
      objective: a.objective,
      previousLevel: session.previousCourseId !== null,
      previousAttendancePercent: a.previousAttendancePercent,
      previousCertificate: a.previousCertificate,
      evaluated: session.admissionEvaluation,
      evaluation: a.evaluation,
      adjustment: a.adjustment ? { points: a.adjustment, publicReason: publicReason.get(a.applicationId) ?? null } : null,
      assisted: a.assisted ?? false,
      refusalReason: o.outcome === 'refused' ? (reasons.get(o.applicationId) ?? null) : null,
    };
    return {
      applicationId: o.applicationId,
      sessionId: session.id,
      outcome: o.outcome,
      rank: rankOf.get(o.applicationId) ?? null,
      ranked: ranking.ranked.length,
      places: Math.max(0, context.free),
      heldForAssisted: context.heldForAssisted,
      tied: tied.has(o.applicationId),
      facts,
      points: context.points,
      decidedAt: context.decidedAt,
    };
  });
}

/** SVC-5: what the screen says of the share: the free places it still holds now (never more than are free). */
const heldNow = (share: Share, free: number, now: Date) => ({ places: Math.min(Math.max(0, free), stillHeld(share, now)), until: share.until });

/** The selection screen: the proposal, or the session alone while its window is open. */
export async function selectionPage(deps: SelectionDeps, input: { staff: Staff; sessionCode: string }) {
  const result = await rankSession(deps, input);
  if (result.ok) return result;
  if (result.code === 'window_open') return { ok: false as const, code: 'window_open' as const, session: (await sessionFor(deps.db, input.staff, input.sessionCode))! };
  return { ok: false as const, code: result.code as 'not_found' | 'forbidden' };
}

export type ApplicantDetails = Awaited<ReturnType<typeof applicantDetails>> extends Map<string, infer D> ? D : never;

/**
 * SEL-3, SEL-6: decides a session: the first ranked take the free places, the others go on the
 * waiting list with their rank. SEL-2: the first decision reveals the draw's seed. Under a lock on the session's row, so two staff deciding at the
 * same moment never accept more learners than the capacity; deciding again only touches
 * applications not yet decided. "forbidden" for a role `staffCan.select` does not list.
 */
export async function decideSession(
  deps: SelectionDeps,
  input: { staff: Staff; sessionCode: string },
): Promise<{ ok: true; accepted: number; waiting: number; refused: number } | SelectionFailure> {
  const { db, clock } = deps;
  // SEL-3: the role is checked here as in the route (the lifecycle's table says who decides).
  const session = await sessionFor(db, input.staff, input.sessionCode);
  if (!session) return { ok: false, code: 'not_found' };
  if (!roleMay(input.staff.role, 'accept')) return { ok: false, code: 'forbidden' };
  if (clock.now() < session.applicationsCloseAt) return { ok: false, code: 'window_open' };
  return db.transaction(async (tx) => {
    await lockSession(tx, session.id);
    const [full] = await sessionsForApplications(tx, { ids: [session.id] });
    const draw = await ensureDraw(tx, clock.now(), full, input.staff.id);
    const points = criteriaPointsOf(await getPolicies(tx));
    const ranking = rankApplicants(await applicants(tx, full), { seed: draw.seed, evaluated: full.admissionEvaluation, points });
    // SVC-5: the places still held for assisted applications go only to them (in rank order).
    const free = await freePlacesIn(tx, full);
    const share = await shareIn(tx, full);
    const outcomes = decide(ranking, { free, share, now: clock.now() });
    const refusedIds = outcomes.filter((o) => o.outcome === 'refused').map((o) => o.applicationId);
    await recordAutomaticRefusals(tx, clock, full, refusedIds, input.staff.id);
    const reasons = await refusalReasons(tx, refusedIds);
    const waitingRanks = waitingNumbers(outcomes, await lastWaitingRank(tx, session.id));
    const decisions = outcomes.map((o) =>
      o.outcome === 'waiting_list' ? { ...o, rank: waitingRanks.get(o.applicationId)! } : o.outcome === 'refused' ? { ...o, reason: reasons.get(o.applicationId) ?? '' } : o,
    );
    // SEL-13: the learners accepted whose preference responder is on give up what they ranked below.
    await applyDecisionsWithResponder(tx, deps, decisions, input.staff, full);
    // SEL-12 (after the learners' locks, taken above in their order): what each decision was made from, kept for the learner's explanation (with the number on the list, SEL-11).
    const snapshots = await decisionSnapshots(tx, full, ranking, outcomes, { free, heldForAssisted: heldNow(share, free, clock.now()).places, decidedAt: clock.now(), points });
    for (const snapshot of snapshots.map((d) => ({ ...d, waitingRank: waitingRanks.get(d.applicationId) ?? null }))) {
      const { applicationId: _, ...set } = snapshot;
      await tx.insert(selectionDecisions).values(snapshot).onConflictDoUpdate({ target: selectionDecisions.applicationId, set });
    }
    // SEL-2, SEL-12: the seed is revealed at the first decision, with the references it ranked and the points it counted.
    const admitted = outcomes.flatMap((o) => (o.outcome === 'accepted' ? [o.rank] : []));
    if (outcomes.length) await revealDraw(tx, clock.now(), session.id, { references: ranking.ranked.map((r) => r.reference), lastRankAdmitted: admitted.length ? Math.max(...admitted) : null, points });
    // SEL-7, SEL-8: free places left here, or in the course's other sessions, go to the
    // waiting lists through the refill job; SEL-9 closes this list in time.
    for (const sibling of await sessionIdsOfCourse(tx, full.courseId)) await placeFreed(tx, clock.now(), sibling);
    // SEL-7: and those of the equivalent courses' sessions, which this list may now fill.
    for (const courseId of await equivalentCourseIds(tx, full.courseId)) for (const other of await sessionIdsOfCourse(tx, courseId)) await placeFreed(tx, clock.now(), other);
    await scheduleWaitingListEnd(tx, full, (await getPolicies(tx)).waitingListExpiryWeeks);
    // SVC-5: at the share's end, what it still holds goes to the waiting lists.
    await scheduleShareRelease(tx, clock.now(), full);
    return {
      ok: true as const,
      accepted: decisions.filter((d) => d.outcome === 'accepted').length,
      waiting: decisions.filter((d) => d.outcome === 'waiting_list').length,
      refused: decisions.filter((d) => d.outcome === 'refused').length,
    };
  });
}
