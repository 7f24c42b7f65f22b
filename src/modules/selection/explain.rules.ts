import type { ConvocationKind, Objective, Situation } from '../../domain/vocabulary';
import type { Line } from '../../ui/explanation';
import type { CriteriaPoints } from './selection.rules';

/**
 * SEL-11, SEL-12 (docs/decisions/018-decisions-explained.md): every decision in plain words. Pure: from what selection knew of an applicant
 * (SEL-2's criteria, the evaluation, staff's adjustment with its public reason, a prerequisite
 * missing), the points as the policies counted them, and the outcome with its rank and the
 * places, the sentences the learner reads on their application and staff read on the ranking
 * screen (one function, both pages). Short sentences, one idea each (checked against the
 * easy-read rules in the unit test), message keys so each reader has their language.
 */

/**
 * SEL-12: why staff changed an applicant's points, in words the learner may read. The staff's
 * own reason stays in the audit log; this one is chosen from a list, so it is always plain,
 * translated, and never says more about the person than they know.
 */
export const publicAdjustmentReasons = ['positioning_test', 'training_elsewhere', 'situation_checked', 'project_confirmed', 'teaching_advice', 'correction'] as const;
export type PublicAdjustmentReason = (typeof publicAdjustmentReasons)[number];

/** What selection knew of the applicant when it ranked them (kept with the decision). */
export interface ExplainFacts {
  situation: Situation;
  objective: Objective;
  /** The course has a previous level at the service (SEL-1, SEL-2). */
  previousLevel: boolean;
  previousAttendancePercent: number | null;
  previousCertificate: boolean;
  /** The course chooses with a test or interview (SEL-2: its mark prevails). */
  evaluated: boolean;
  evaluation: number | null;
  adjustment: { points: number; publicReason: PublicAdjustmentReason | null } | null;
  /** SVC-5: made with a help desk's counsellor (may take the places held for them). */
  assisted: boolean;
  /** SEL-1: what the coordinator found missing (a refusal). */
  refusalReason: string | null;
}

/** Where the decision left the applicant. */
export type ExplainOutcome =
  | { outcome: 'accepted' | 'waiting_list'; rank: number; ranked: number; places: number; heldForAssisted: number; tied: boolean; waitingRank?: number | null; offeredLater?: boolean }
  | { outcome: 'refused' }
  | { outcome: 'convoked'; kind: ConvocationKind };

const reasonLine = (key: Line['key']) => ({ key });

/** SEL-2: the points of each criterion that applied, then the total (with the adjustment). */
export function criteriaLines(facts: ExplainFacts, points: CriteriaPoints): Line[] {
  const lines: Line[] = [];
  const situation = points.situation[facts.situation];
  lines.push({ key: situation ? 'sel.why.situation' : 'sel.why.situationNone', params: { situation: { key: `apps.situation.${facts.situation}` }, points: situation } });
  const objective = points.objective[facts.objective];
  lines.push({ key: objective ? 'sel.why.objective' : 'sel.why.objectiveNone', params: { objective: { key: `apps.objective.${facts.objective}` }, points: objective } });
  let total = situation + objective;
  const known = facts.previousAttendancePercent !== null || facts.previousCertificate;
  if (facts.previousLevel || known) {
    if (!known) lines.push({ key: 'sel.why.previousUnknown' });
    else {
      const threshold = points.previousAttendance.atLeastPercent;
      if (facts.previousAttendancePercent !== null) {
        const enough = facts.previousAttendancePercent >= threshold;
        lines.push({
          key: enough ? 'sel.why.attendance' : 'sel.why.attendanceNone',
          params: { percent: facts.previousAttendancePercent, threshold, points: points.previousAttendance.points },
        });
        if (enough) total += points.previousAttendance.points;
      }
      lines.push({ key: facts.previousCertificate ? 'sel.why.certificate' : 'sel.why.certificateNone', params: { points: points.previousCertificate } });
      if (facts.previousCertificate) total += points.previousCertificate;
    }
  }
  if (facts.adjustment && facts.adjustment.points !== 0) {
    const { points: p, publicReason } = facts.adjustment;
    const up = p > 0;
    lines.push(
      publicReason
        ? { key: up ? 'sel.why.adjustUp' : 'sel.why.adjustDown', params: { points: Math.abs(p), reason: { key: `sel.publicReason.${publicReason}` } } }
        : { key: up ? 'sel.why.adjustUpNoReason' : 'sel.why.adjustDownNoReason', params: { points: Math.abs(p) } },
    );
    total += p;
  }
  lines.push({ key: 'sel.why.total', params: { points: total } });
  return lines;
}

/** SEL-2: the evaluation prevails over the points, where the course has one. */
function evaluationLines(facts: ExplainFacts): Line[] {
  if (!facts.evaluated) return [];
  return facts.evaluation === null ? [reasonLine('sel.why.noMark'), reasonLine('sel.why.markFirst')] : [{ key: 'sel.why.mark', params: { mark: facts.evaluation } }, reasonLine('sel.why.markFirst')];
}

/**
 * SEL-12: the explanation of a decision (or of the proposal staff see before deciding): the
 * criteria, the evaluation, the rank among those ranked, the places, and why that outcome.
 * A refusal says what was missing (the criteria did not apply: it was not ranked); a
 * convocation says why everyone is invited and what will count.
 */
export function explainDecision(facts: ExplainFacts, points: CriteriaPoints, decision: ExplainOutcome): Line[] {
  if (decision.outcome === 'refused')
    return [facts.refusalReason ? { key: 'sel.why.refused', params: { reason: facts.refusalReason } } : reasonLine('sel.why.refusedNoReason'), reasonLine('sel.why.notRanked')];
  if (decision.outcome === 'convoked')
    return [reasonLine(`sel.why.convoked.${decision.kind}`), reasonLine('sel.why.everyoneInvited'), reasonLine('sel.why.markFirst'), ...criteriaLines(facts, points)];
  const lines: Line[] = [...evaluationLines(facts), ...criteriaLines(facts, points)];
  if (decision.tied) lines.push(reasonLine('sel.why.tie'));
  lines.push({ key: 'sel.why.rank', params: { rank: decision.rank, count: decision.ranked } });
  lines.push({ key: 'sel.why.places', params: { places: decision.places } });
  if (decision.outcome === 'accepted') {
    // SVC-5: an assisted applicant may take a held place below others who wait.
    lines.push(reasonLine(decision.rank > decision.places && facts.assisted ? 'sel.why.acceptedHeld' : 'sel.why.accepted'));
  } else {
    lines.push(reasonLine(decision.rank <= decision.places && decision.heldForAssisted > 0 ? 'sel.why.waitingHeld' : 'sel.why.waiting'));
    if (decision.waitingRank) lines.push({ key: 'sel.why.waitingRank', params: { rank: decision.waitingRank } });
    // SEL-8: a place freed later went to them from the list.
    if (decision.offeredLater) lines.push(reasonLine('sel.why.offered'));
  }
  return lines;
}

/** SEL-12: a decision as selection kept it (its table's row: what it was decided from). */
export interface RecordedDecision {
  outcome: 'accepted' | 'waiting_list' | 'refused';
  rank?: number | null;
  ranked: number;
  places: number;
  heldForAssisted?: number;
  tied?: boolean;
  facts: ExplainFacts;
  points: CriteriaPoints;
}

/** SEL-12: a kept decision's explanation (the staff screen before deciding, the learner's page after). */
export function explainRecorded(d: RecordedDecision, more: { waitingRank?: number | null; offeredLater?: boolean } = {}): Line[] {
  const decision: ExplainOutcome =
    d.outcome === 'refused' || d.rank == null
      ? { outcome: 'refused' }
      : { outcome: d.outcome, rank: d.rank, ranked: d.ranked, places: d.places, heldForAssisted: d.heldForAssisted ?? 0, tied: d.tied ?? false, ...more };
  return explainDecision(d.facts, d.points, decision);
}

/** SEL-11: where a learner on a waiting list stands now. */
export interface WaitingStanding {
  /** 1 + those still waiting on this list with a lower number (not those who left or took a place). */
  position: number;
  /** Their number on the list, given at the decision. */
  waitingRank: number | null;
  /** The session's places (its capacity). */
  places: number;
  /** The number on the list of the last person offered a place from it; null before any offer. */
  lastOffered: number | null;
  /** Policy `offerReplyHours`: the time to answer an offer. */
  replyHours: number;
  /** SEL-9: the last day of the list (after it, "lack of places"). */
  endsOn: string;
}

/**
 * SEL-11: the learner's rank now (updated as people ahead accept, decline, withdraw or move),
 * the places, the last number offered a place, and what happens next: an offer by email or SMS
 * with its reply deadline, or the list closing as "lack of places" on its last day.
 */
export function waitingLines(s: WaitingStanding): Line[] {
  const lines: Line[] = [s.position <= 1 ? reasonLine('sel.wait.first') : { key: 'sel.wait.position', params: { position: s.position, ahead: s.position - 1 } }];
  if (s.waitingRank !== null) lines.push({ key: 'sel.wait.number', params: { rank: s.waitingRank } });
  lines.push(s.lastOffered === null ? reasonLine('sel.wait.noneOffered') : { key: 'sel.wait.lastOffered', params: { rank: s.lastOffered } });
  lines.push({ key: 'sel.wait.places', params: { places: s.places } });
  lines.push(reasonLine('sel.wait.next'), { key: 'sel.wait.reply', params: { hours: s.replyHours } }, { key: 'sel.wait.end', params: { date: { day: s.endsOn } } });
  return lines;
}

/**
 * SEL-2's tie: applicants whose order only the draw decided (the same mark where the course has
 * one, and the same points), by application id.
 */
export function tiedApplicants(ranked: readonly { applicationId: string; score: number; evaluation: number | null }[], evaluated: boolean): Set<string> {
  const keyOf = (r: (typeof ranked)[number]) => `${evaluated ? (r.evaluation ?? -1) : ''}|${r.score}`;
  const count = new Map<string, number>();
  for (const r of ranked) count.set(keyOf(r), (count.get(keyOf(r)) ?? 0) + 1);
  return new Set(ranked.filter((r) => count.get(keyOf(r))! > 1).map((r) => r.applicationId));
}
