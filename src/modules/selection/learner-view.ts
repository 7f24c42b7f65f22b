import { and, eq, inArray } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { DbOrTx } from '../../db/database';
import { getPolicies } from '../../platform/policies';
import type { Line } from '../../ui/explanation';
import { applicationsByIds, inGroup, selectionViews, waitingPositions, type Application, type SelectionView } from '../applications';
import { sessionsForApplications, type SessionForApplication } from '../catalogue';
import { criteriaPointsOf } from './selection.rules';
import { explainDecision, explainRecorded, waitingLines, type ExplainFacts } from './explain.rules';
import { convocations, evaluations, offers, prerequisiteRefusals, rankingAdjustments, selectionDecisions, selectionDraws } from './selection.table';
import { prerequisitesOf } from './prerequisites';
import { waitingListEnd } from './waiting-list.service';
import { drawReference } from './draw.rules';
import { preferencePositions } from './responder.service';

/**
 * What the learner's page shows of selection for each application: the place offered and not
 * yet answered (SEL-7, SEL-8), the convocation (SEL-3), the reason of a refusal (SEL-1), the
 * application's reference in the published draw (SEL-2), and
 * the decision explained (SEL-12) with, on a waiting list, where they stand now (SEL-11). The
 * applications module asks; this answers, in a fixed number of queries whatever the number of
 * applications.
 */
/**
 * SEL-3: the convocations of these applications (one query), for staff lists that need only
 * them (PAY-1's attendance at the convocation, on the payments lists), not the learner's whole view.
 */
export async function convocationsOf(db: DbOrTx, applicationIds: string[]): Promise<Map<string, NonNullable<SelectionView['convocation']>>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db.select().from(convocations).where(inArray(convocations.applicationId, applicationIds));
  return new Map(rows.map((c) => [c.applicationId, asConvocation(c)]));
}

const asConvocation = (c: typeof convocations.$inferSelect): NonNullable<SelectionView['convocation']> => ({ kind: c.kind, at: c.at, place: c.place, token: c.token, attendance: c.attendance });

export async function learnerSelectionViews(db: DbOrTx, applicationIds: string[]): Promise<Map<string, SelectionView>> {
  if (applicationIds.length === 0) return new Map();
  const [openOffers, convocationRows, refusals, decisions, apps, preferences] = await readTogether(db, [
    async () => db.select().from(offers).where(and(inArray(offers.applicationId, applicationIds), eq(offers.status, 'open'))),
    async () => db.select().from(convocations).where(inArray(convocations.applicationId, applicationIds)),
    async () => db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, applicationIds)),
    async () => db.select().from(selectionDecisions).where(inArray(selectionDecisions.applicationId, applicationIds)),
    async () => applicationsByIds(db, applicationIds),
    // SEL-13: the application's place in the learner's list, while the responder is on.
    async () => preferencePositions(db, applicationIds),
  ]);
  const appOf = new Map(apps.map((a) => [a.id, a]));
  const waiting = apps.filter((a) => a.status === 'waiting_list');
  const convoked = apps.filter((a) => a.status === 'convoked');
  const sessionIds = new Set([...openOffers.map((o) => o.sessionId), ...waiting.map((a) => a.sessionId), ...convoked.map((a) => a.sessionId)]);
  const [sessionRows, standing, convokedFacts, drawn] = await readTogether(db, [
    async () => sessionsForApplications(db, { ids: [...sessionIds] }),
    async () => waitingStandings(db, waiting),
    async () => convokedExplanations(db, convoked),
    // SEL-2: a reference is the learner's in a session's draw; a session with none (the credits
    // profile enrols without a selection, issue 18) gives none, nor a link to a selection page.
    async () => apps.length ? db.select({ sessionId: selectionDraws.sessionId }).from(selectionDraws).where(inArray(selectionDraws.sessionId, [...new Set(apps.map((a) => a.sessionId))])) : [],
  ]);
  const withDraw = new Set(drawn.map((d) => d.sessionId));
  const sessions = new Map(sessionRows.map((s) => [s.id, s]));
  const decisionOf = new Map(decisions.map((d) => [d.applicationId, d]));
  return new Map(
    applicationIds.map((id) => {
      const offer = openOffers.find((o) => o.applicationId === id);
      const convocation = convocationRows.find((c) => c.applicationId === id);
      const application = appOf.get(id);
      return [
        id,
        {
          offer: offer ? { id: offer.id, kind: offer.kind, expiresAt: offer.expiresAt, session: sessions.get(offer.sessionId)! } : null,
          convocation: convocation ? asConvocation(convocation) : null,
          refusalReason: refusals.find((r) => r.applicationId === id)?.reason ?? null,
          explanation: application ? explanationOf(application, decisionOf.get(id), standing, convokedFacts, sessions) : null,
          drawReference: application && withDraw.has(application.sessionId) ? drawReference(id) : undefined,
          preference: preferences.get(id) ?? null,
        },
      ];
    }),
  );
}

type Standings = { positions: Map<string, number>; lastOffered: Map<number, number>; replyHours: number; expiryWeeks: number };

/** SEL-12, SEL-11: the decision in words (as it was decided), and where a waiting learner stands now. */
function explanationOf(
  application: Application,
  decision: typeof selectionDecisions.$inferSelect | undefined,
  standing: Standings,
  convoked: Map<string, Line[]>,
  sessions: Map<number, SessionForApplication>,
): SelectionView['explanation'] {
  if (application.status === 'convoked') {
    const lines = convoked.get(application.id);
    return lines ? { decision: lines, waiting: [] } : null;
  }
  // The decision's own session only: a learner moved since then has another ranking to come.
  if (!decision || decision.sessionId !== application.sessionId) return null;
  // SEL-8: on the list at the decision, a place came later (or the list closed, SEL-9).
  const offeredLater = decision.outcome === 'waiting_list' && inGroup('holdsPlace', application.status);
  const lines = explainRecorded(decision, { waitingRank: decision.waitingRank, offeredLater });
  const session = sessions.get(application.sessionId);
  const position = standing.positions.get(application.id);
  const waiting =
    application.status === 'waiting_list' && session && position !== undefined
      ? waitingLines({
          position,
          waitingRank: application.waitingRank,
          places: session.capacity,
          lastOffered: standing.lastOffered.get(session.id) ?? null,
          replyHours: standing.replyHours,
          endsOn: waitingListEnd(session.firstMeeting, standing.expiryWeeks),
        })
      : [];
  return { decision: lines, waiting };
}

/**
 * SEL-11: the places now of these waiting applications, and for their sessions the number on the
 * list of the last person offered a place from it (the offers of kind "waiting_list").
 */
async function waitingStandings(db: DbOrTx, waiting: Application[]): Promise<Standings> {
  const policies = await getPolicies(db);
  const base = { replyHours: policies.offerReplyHours, expiryWeeks: policies.waitingListExpiryWeeks };
  if (waiting.length === 0) return { positions: new Map(), lastOffered: new Map(), ...base };
  const sessionIds = [...new Set(waiting.map((a) => a.sessionId))];
  const [positions, offered] = await Promise.all([
    waitingPositions(db, waiting.map((a) => a.id)),
    db.selectDistinct({ applicationId: offers.applicationId, sessionId: offers.sessionId }).from(offers).where(and(inArray(offers.sessionId, sessionIds), eq(offers.kind, 'waiting_list'))),
  ]);
  // The number each had on the list, as the decision gave it (those who took the place or left no longer carry it).
  const given = offered.length
    ? await db
        .select({ applicationId: selectionDecisions.applicationId, sessionId: selectionDecisions.sessionId, waitingRank: selectionDecisions.waitingRank })
        .from(selectionDecisions)
        .where(inArray(selectionDecisions.applicationId, [...new Set(offered.map((o) => o.applicationId))]))
    : [];
  const lastOffered = new Map<number, number>();
  for (const o of offered) {
    const rank = given.find((g) => g.applicationId === o.applicationId && g.sessionId === o.sessionId)?.waitingRank;
    if (rank != null && rank > (lastOffered.get(o.sessionId) ?? 0)) lastOffered.set(o.sessionId, rank);
  }
  return { positions, lastOffered, ...base };
}

/**
 * SEL-3, SEL-12: a convoked learner reads why (the course chooses with a test or interview), that
 * the mark will come first, and the points that already count for them.
 */
async function convokedExplanations(db: DbOrTx, convoked: Application[]): Promise<Map<string, Line[]>> {
  if (convoked.length === 0) return new Map();
  const ids = convoked.map((a) => a.id);
  const [sessionRows, adjustments, marks, kinds, policies] = await Promise.all([
    sessionsForApplications(db, { ids: [...new Set(convoked.map((a) => a.sessionId))] }),
    db.select().from(rankingAdjustments).where(inArray(rankingAdjustments.applicationId, ids)),
    db.select().from(evaluations).where(inArray(evaluations.applicationId, ids)),
    db.select({ applicationId: convocations.applicationId, kind: convocations.kind }).from(convocations).where(inArray(convocations.applicationId, ids)),
    getPolicies(db),
  ]);
  const points = criteriaPointsOf(policies);
  // The prerequisites once per course (sessions of one course share its previous level), all at once.
  const sessionOf = new Map(sessionRows.map((s) => [s.id, s]));
  const byCourse = new Map<number, { session: SessionForApplication; rows: Application[] }>();
  for (const a of convoked) {
    const session = sessionOf.get(a.sessionId);
    if (session) byCourse.set(session.courseId, { session, rows: [...(byCourse.get(session.courseId)?.rows ?? []), a] });
  }
  const checks = await Promise.all([...byCourse.values()].map(({ session, rows }) => prerequisitesOf(db, session, rows)));
  const prerequisites = new Map(checks.flatMap((m) => [...m]));
  const result = new Map<string, Line[]>();
  for (const session of sessionRows) {
    const rows = convoked.filter((a) => a.sessionId === session.id);
    for (const a of rows) {
      const kind = kinds.find((k) => k.applicationId === a.id)?.kind;
      if (!kind) continue;
      const level = prerequisites.get(a.id)?.level ?? null;
      const adjustment = adjustments.find((x) => x.applicationId === a.id);
      const facts: ExplainFacts = {
        situation: a.situation ?? 'other',
        objective: a.objective ?? 'other',
        previousLevel: session.previousCourseId !== null,
        previousAttendancePercent: level?.attendancePercent ?? null,
        previousCertificate: level?.certificate ?? false,
        evaluated: session.admissionEvaluation,
        evaluation: marks.find((m) => m.applicationId === a.id)?.mark ?? null,
        adjustment: adjustment ? { points: adjustment.points, publicReason: adjustment.publicReason } : null,
        assisted: a.assistedBy !== null,
        refusalReason: null,
      };
      result.set(a.id, explainDecision(facts, points, { outcome: 'convoked', kind }));
    }
  }
  return result;
}

selectionViews.provide(learnerSelectionViews);
