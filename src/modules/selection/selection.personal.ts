import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { ExportSection, PersonalColumn, PersonalDataSet, TableDeclaration } from '../../platform/personal-data';
import { applicationIdsOf } from '../applications';
import { changeRequests, convocations, evaluations, offers, prerequisiteOverrides, prerequisiteRefusals, rankingAdjustments, selectionDecisions } from './selection.table';
import { untilInactive } from '../accounts';
import { responderDataSet } from './responder.personal';

/**
 * ACC-11, ACC-14: what the selection holds about a learner, all of it about their applications:
 * the evaluation's mark, the staff's adjustments and prerequisite decisions with their reasons,
 * the convocations, the places offered from the waiting lists, the requests to change day. None
 * of it is a record the law keeps: it lasts as long as the account (closed after
 * `inactiveAccountMonths` without activity) and the closure deletes it. Staff members' ids in
 * these rows are the service's own work records, not a learner's data: listed as other.
 */
const untilClosure = (purpose: string, category: PersonalColumn['category'] = 'application'): PersonalColumn => ({
  category,
  purpose,
  basis: 'public_task',
  retention: untilInactive,
  end: 'delete',
});

const tables: readonly TableDeclaration[] = [
  {
    table: 'evaluations',
    personal: { mark: untilClosure('privacy.purpose.selection.evaluation', 'result') },
    other: ['application_id', 'recorded_by', 'recorded_at'],
  },
  // SEL-2: a session's committed draw: nobody's data (the references are pseudonyms of no one once published).
  {
    table: 'selection_draws',
    personal: {},
    other: ['session_id', 'seed', 'commitment', 'committed_at', 'late', 'revealed_at', 'drawn_references', 'last_rank_admitted', 'points', 'created_at', 'created_by'],
  },
  {
    table: 'ranking_adjustments',
    personal: {
      points: untilClosure('privacy.purpose.selection.adjustment'),
      reason: untilClosure('privacy.purpose.selection.adjustment'),
      public_reason: untilClosure('privacy.purpose.selection.adjustment'),
    },
    other: ['application_id', 'recorded_by', 'recorded_at'],
  },
  // SEL-12: what a decision was made from (the learner's facts as they were, their rank), to explain it.
  {
    table: 'selection_decisions',
    personal: {
      outcome: untilClosure('privacy.purpose.selection.decision'),
      rank: untilClosure('privacy.purpose.selection.decision'),
      waiting_rank: untilClosure('privacy.purpose.selection.decision'),
      tied: untilClosure('privacy.purpose.selection.decision'),
      facts: untilClosure('privacy.purpose.selection.decision'),
    },
    // The session's figures that day and the policies' points: nobody's data.
    other: ['application_id', 'session_id', 'ranked', 'places', 'held_for_assisted', 'points', 'decided_at'],
  },
  {
    table: 'convocations',
    personal: {
      kind: untilClosure('privacy.purpose.selection.convocation'),
      at: untilClosure('privacy.purpose.selection.convocation'),
      place: untilClosure('privacy.purpose.selection.convocation'),
      minutes: untilClosure('privacy.purpose.selection.convocation'),
      // The secret of the convocation's QR code (its public page names the learner).
      token: untilClosure('privacy.purpose.selection.convocationToken', 'account'),
      attendance: untilClosure('privacy.purpose.selection.convocationAttendance', 'attendance'),
    },
    // SVC-7: sequence counts the calendar file's versions.
    other: ['application_id', 'created_by', 'created_at', 'attendance_by', 'attendance_at', 'sequence'],
  },
  {
    table: 'offers',
    personal: {
      session_id: untilClosure('privacy.purpose.selection.offer'),
      kind: untilClosure('privacy.purpose.selection.offer'),
      status: untilClosure('privacy.purpose.selection.offer'),
    },
    other: ['id', 'application_id', 'created_at', 'expires_at', 'answered_at'],
  },
  {
    table: 'change_requests',
    personal: {
      note: untilClosure('privacy.purpose.selection.changeRequest', 'message'),
      status: untilClosure('privacy.purpose.selection.changeRequest'),
      to_session_id: untilClosure('privacy.purpose.selection.changeRequest'),
    },
    other: ['id', 'application_id', 'recorded_by', 'recorded_at', 'decided_by', 'decided_at'],
  },
  {
    table: 'prerequisite_refusals',
    personal: { reason: untilClosure('privacy.purpose.selection.prerequisites') },
    other: ['application_id', 'automatic', 'recorded_by', 'recorded_at'],
  },
  {
    table: 'prerequisite_overrides',
    personal: { reason: untilClosure('privacy.purpose.selection.prerequisites') },
    other: ['application_id', 'recorded_by', 'recorded_at'],
  },
];

async function exportOf(db: DbOrTx, userId: string): Promise<ExportSection[]> {
  const ids = await applicationIdsOf(db, userId);
  if (ids.length === 0) return [];
  const [marks, adjustments, convocationRows, offerRows, requests, refusals, overrides, decisions] = await Promise.all([
    db.select().from(evaluations).where(inArray(evaluations.applicationId, ids)).orderBy(asc(evaluations.recordedAt)),
    db.select().from(rankingAdjustments).where(inArray(rankingAdjustments.applicationId, ids)).orderBy(asc(rankingAdjustments.recordedAt)),
    db.select().from(convocations).where(inArray(convocations.applicationId, ids)).orderBy(asc(convocations.at)),
    db.select().from(offers).where(inArray(offers.applicationId, ids)).orderBy(asc(offers.createdAt), asc(offers.id)),
    db.select().from(changeRequests).where(inArray(changeRequests.applicationId, ids)).orderBy(asc(changeRequests.recordedAt), asc(changeRequests.id)),
    db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, ids)).orderBy(asc(prerequisiteRefusals.recordedAt)),
    db.select().from(prerequisiteOverrides).where(inArray(prerequisiteOverrides.applicationId, ids)).orderBy(asc(prerequisiteOverrides.recordedAt)),
    db.select().from(selectionDecisions).where(inArray(selectionDecisions.applicationId, ids)).orderBy(asc(selectionDecisions.decidedAt)),
  ]);
  return [
    { key: 'evaluations', title: 'privacy.section.selection.evaluations', rows: marks.map((e) => ({ applicationId: e.applicationId, mark: e.mark, recordedAt: e.recordedAt })) },
    {
      key: 'rankingAdjustments',
      title: 'privacy.section.selection.adjustments',
      rows: adjustments.map((a) => ({ applicationId: a.applicationId, points: a.points, reason: a.reason, publicReason: a.publicReason, recordedAt: a.recordedAt })),
    },
    {
      key: 'selectionDecisions',
      title: 'privacy.section.selection.decisions',
      rows: decisions.map((d) => ({ applicationId: d.applicationId, outcome: d.outcome, rank: d.rank, waitingRank: d.waitingRank, ranked: d.ranked, places: d.places, tied: d.tied, facts: d.facts, decidedAt: d.decidedAt })),
    },
    {
      key: 'convocations',
      title: 'privacy.section.selection.convocations',
      // Left out: the token of the convocation's QR code (a secret: it opens the convocation's public page).
      rows: convocationRows.map((c) => ({ applicationId: c.applicationId, kind: c.kind, at: c.at, place: c.place, createdAt: c.createdAt, attendance: c.attendance, attendanceAt: c.attendanceAt })),
    },
    {
      key: 'offers',
      title: 'privacy.section.selection.offers',
      rows: offerRows.map((o) => ({ applicationId: o.applicationId, sessionId: o.sessionId, kind: o.kind, status: o.status, createdAt: o.createdAt, expiresAt: o.expiresAt, answeredAt: o.answeredAt })),
    },
    {
      key: 'changeRequests',
      title: 'privacy.section.selection.changeRequests',
      rows: requests.map((r) => ({ applicationId: r.applicationId, note: r.note, status: r.status, recordedAt: r.recordedAt, decidedAt: r.decidedAt, toSessionId: r.toSessionId })),
    },
    {
      key: 'prerequisites',
      title: 'privacy.section.selection.prerequisites',
      rows: [
        ...refusals.map((r) => ({ applicationId: r.applicationId, decision: 'not_met', reason: r.reason, automatic: r.automatic, recordedAt: r.recordedAt })),
        ...overrides.map((o) => ({ applicationId: o.applicationId, decision: 'met_by_decision', reason: o.reason, automatic: false, recordedAt: o.recordedAt })),
      ],
    },
  ];
}

/** ACC-11: a place offered and not answered yet, or a change of day not decided, stops the closure. */
async function blocksClosure(db: DbOrTx, userId: string): Promise<string[]> {
  const ids = await applicationIdsOf(db, userId);
  if (ids.length === 0) return [];
  const [[offer], [request]] = await Promise.all([
    db.select({ id: offers.id }).from(offers).where(and(inArray(offers.applicationId, ids), eq(offers.status, 'open'))).limit(1),
    db.select({ id: changeRequests.id }).from(changeRequests).where(and(inArray(changeRequests.applicationId, ids), eq(changeRequests.status, 'open'))).limit(1),
  ]);
  return [...(offer ? ['privacy.block.selection.offer'] : []), ...(request ? ['privacy.block.selection.changeRequest'] : [])];
}

/** ACC-11: deletes everything the selection holds about the learner's applications (again: nothing left). */
async function forget(tx: Tx, userId: string): Promise<void> {
  const ids = await applicationIdsOf(tx, userId);
  if (ids.length === 0) return;
  await tx.delete(offers).where(inArray(offers.applicationId, ids));
  await tx.delete(changeRequests).where(inArray(changeRequests.applicationId, ids));
  await tx.delete(convocations).where(inArray(convocations.applicationId, ids));
  await tx.delete(evaluations).where(inArray(evaluations.applicationId, ids));
  await tx.delete(rankingAdjustments).where(inArray(rankingAdjustments.applicationId, ids));
  await tx.delete(selectionDecisions).where(inArray(selectionDecisions.applicationId, ids));
  await tx.delete(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, ids));
  await tx.delete(prerequisiteOverrides).where(inArray(prerequisiteOverrides.applicationId, ids));
}

/** The selection's personal data (ACC-11, ACC-14). */
export const selectionDataSets: readonly PersonalDataSet[] = [{ name: 'selection', tables, exportOf, blocksClosure, forget }, responderDataSet];
