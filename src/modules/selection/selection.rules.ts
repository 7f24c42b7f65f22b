import type { ConvocationKind, Objective, Situation, StaffRole } from '../../domain/vocabulary';
import type { Policies } from '../../platform/policies';
import { allotPlaces, type Share } from './held-share.rules';
import { compareDraw, drawKey, drawReference } from './draw.rules';

/**
 * Pure selection rules (SPEC SEL-1, SEL-2, SEL-3, SEL-6, APP-10). No I/O. The ranking uses only
 * what SEL-2 lists; nothing here knows when an application arrived.
 */

export interface Applicant {
  applicationId: string;
  /** Carried along for the staff screens; the ranking never reads it. */
  learnerId?: string;
  situation: Situation;
  objective: Objective;
  /** SEL-1: prerequisites (e.g. the previous level's certificate of skills). */
  prerequisitesMet: boolean;
  /** Attendance in the previous level at the service, in percent; null when unknown. */
  previousAttendancePercent: number | null;
  /** Certificate of skills of the previous level obtained at the service. */
  previousCertificate: boolean;
  /** SEL-2: the pedagogical evaluation (test or interview), out of 20; null when not held. */
  evaluation: number | null;
  /** SEL-2: points added or taken by staff, with a reason kept in the audit log. */
  adjustment?: number;
  /** SVC-5: made at a help desk with a counsellor: it may take the places held for assisted applications (never ranks it higher). */
  assisted?: boolean;
}

/** SEL-2's criteria as points; the evaluation is not among them: it prevails over all. */
export interface CriteriaPoints {
  situation: Record<Situation, number>;
  objective: Record<Objective, number>;
  previousCertificate: number;
  /** Points for having attended at least this share of the previous level. */
  previousAttendance: { atLeastPercent: number; points: number };
}

/** SEL-2: the criteria's points as the policy settings give them (the public page shows the same values). */
export function criteriaPointsOf(
  policies: Pick<
    Policies,
    | 'pointsWelfareRecipient'
    | 'pointsJobSeeker'
    | 'pointsAssistedContract'
    | 'pointsProfessionalObjective'
    | 'pointsDiplomaObjective'
    | 'pointsPreviousCertificate'
    | 'pointsPreviousAttendance'
    | 'previousAttendancePercentForPoints'
  >,
): CriteriaPoints {
  return {
    situation: {
      welfare_recipient: policies.pointsWelfareRecipient,
      job_seeker: policies.pointsJobSeeker,
      assisted_contract: policies.pointsAssistedContract,
      employed: 0,
      student: 0,
      retired: 0,
      other: 0,
    },
    objective: { professional: policies.pointsProfessionalObjective, diploma: policies.pointsDiplomaObjective, personal: 0, other: 0 },
    previousCertificate: policies.pointsPreviousCertificate,
    previousAttendance: { atLeastPercent: policies.previousAttendancePercentForPoints, points: policies.pointsPreviousAttendance },
  };
}

export function criteriaScore(a: Applicant, points: CriteriaPoints): number {
  return (
    points.situation[a.situation] +
    points.objective[a.objective] +
    (a.previousCertificate ? points.previousCertificate : 0) +
    (a.previousAttendancePercent !== null && a.previousAttendancePercent >= points.previousAttendance.atLeastPercent ? points.previousAttendance.points : 0)
  );
}

export interface Ranked extends Applicant {
  rank: number;
  score: number;
  /** SEL-2: the application's pseudonymous reference and its key in the draw (draw.rules.ts). */
  reference: string;
  drawKey: string;
}

/**
 * SEL-1, SEL-2: applicants meeting the prerequisites, ordered by the evaluation (where the
 * course has one; a missing mark comes after every mark), then by the criteria's points (with
 * staff's adjustment), then by the committed draw (draw.rules.ts). Those who do not meet the prerequisites are set apart (SEL-3: refused).
 */
export function rankApplicants(
  applicants: readonly Applicant[],
  options: { seed: string; evaluated: boolean; points: CriteriaPoints },
): { ranked: Ranked[]; refused: Applicant[] } {
  const eligible = applicants.filter((a) => a.prerequisitesMet);
  const refused = applicants.filter((a) => !a.prerequisitesMet);
  const ranked = eligible
    .map((a) => {
      const reference = drawReference(a.applicationId);
      return { ...a, score: criteriaScore(a, options.points) + (a.adjustment ?? 0), reference, drawKey: drawKey(options.seed, reference) };
    })
    .sort((a, b) => {
      if (options.evaluated) {
        const ea = a.evaluation ?? -1;
        const eb = b.evaluation ?? -1;
        if (ea !== eb) return eb - ea;
      }
      if (a.score !== b.score) return b.score - a.score;
      // SEL-2: ties in the order of the committed draw (its keys depend on the seed and the reference only).
      return compareDraw({ key: a.drawKey, reference: a.reference }, { key: b.drawKey, reference: b.reference });
    })
    .map((a, i) => ({ ...a, rank: i + 1 }));
  return { ranked, refused };
}

export type Outcome = { applicationId: string; outcome: 'accepted' | 'waiting_list'; rank: number } | { applicationId: string; outcome: 'refused' };

/**
 * SEL-3, SEL-6: the first ranked take the free places (`freePlaces`: the capacity less the
 * places held), the others go on the waiting list with their rank; never more accepted than places.
 * SVC-5: while the session's share holds (`share`), the places it still waits for go only to
 * assisted applicants, in rank order; the others ranked above them wait (`allotPlaces`).
 */
export function decide(ranking: { ranked: Ranked[]; refused: Applicant[] }, options: { free: number; share?: Share; now?: Date }): Outcome[] {
  const share = options.share ?? { places: 0, until: new Date(0), assistedHolding: 0 };
  const ranked = ranking.ranked.map((r) => ({ ...r, assisted: r.assisted ?? false }));
  const accepted = new Set(allotPlaces(ranked, { free: options.free, share, now: options.now ?? new Date(0) }).placed.map((r) => r.applicationId));
  return [
    ...ranking.ranked.map((r) =>
      accepted.has(r.applicationId) ? { applicationId: r.applicationId, outcome: 'accepted' as const, rank: r.rank } : { applicationId: r.applicationId, outcome: 'waiting_list' as const, rank: r.rank },
    ),
    ...ranking.refused.map((r) => ({ applicationId: r.applicationId, outcome: 'refused' as const })),
  ];
}

/**
 * SEL-3, SEL-4: a convocation is emailed when it is made, and an absence means withdrawal, so its
 * day must leave the learner time to be told: at least `noticeDays` after today (Paris days, ISO
 * `YYYY-MM-DD`). Returns the first day allowed.
 */
export function earliestConvocationDay(today: string, noticeDays: number): string {
  return new Date(Date.parse(`${today}T12:00:00Z`) + noticeDays * 86_400_000).toISOString().slice(0, 10);
}

/** SVC-7: how long a convocation lasts when staff do not say (its calendar file's event), in minutes. */
export const defaultConvocationMinutes: Record<ConvocationKind, number> = { test: 120, interview: 30 };
