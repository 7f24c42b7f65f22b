import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { createPort } from '../../platform/hooks';
import { translator } from '../../platform/i18n';
import { getUsers } from '../accounts';
import { applicantsOf } from '../applications';
import { courseTitles, type SessionForApplication } from '../catalogue';
import { prerequisiteOverrides, prerequisiteRefusals } from './selection.table';

/** SEL-1, SEL-2: a learner's previous level, from its end-of-course outcomes. */
export interface PreviousLevelFacts {
  /** SEL-1: the previous level's certificate of skills (held or due), the prerequisite. */
  passed: boolean;
  /** SEL-2: the certificate of skills of the previous level. */
  certificate: boolean;
  /** SEL-2: the real attendance in the previous level, in percent; null when unknown. */
  attendancePercent: number | null;
}

/**
 * SEL-1, SEL-2: the previous level (`courseId`) of these learners, by learner; certification
 * answers from `course_outcomes`. Without an answer nobody has a previous level.
 */
export const previousLevels = createPort(async (_db: DbOrTx, _input: { courseId: number; learnerIds: string[] }): Promise<Map<string, PreviousLevelFacts>> => new Map());

/**
 * SEL-1: the prerequisites of each applicant: the coordinator's refusal prevails; otherwise the
 * previous level's certificate of skills (automatic), or the coordinator's override with a reason.
 */
export async function prerequisitesOf(db: DbOrTx, session: Pick<SessionForApplication, 'previousCourseId'>, rows: { id: string; learnerId: string }[]) {
  const ids = rows.map((r) => r.id);
  const [refusals, overrides, levels] = ids.length
    ? await Promise.all([
        db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, ids)),
        db.select().from(prerequisiteOverrides).where(inArray(prerequisiteOverrides.applicationId, ids)),
        session.previousCourseId === null ? new Map<string, PreviousLevelFacts>() : previousLevels.ask(db, { courseId: session.previousCourseId, learnerIds: [...new Set(rows.map((r) => r.learnerId))] }),
      ])
    : [[], [], new Map<string, PreviousLevelFacts>()];
  const refused = new Set(refusals.map((r) => r.applicationId));
  const overridden = new Set(overrides.map((r) => r.applicationId));
  return new Map(
    rows.map((r) => {
      const level = levels.get(r.learnerId) ?? null;
      const automatic = session.previousCourseId === null || level?.passed === true;
      return [r.id, { met: !refused.has(r.id) && (automatic || overridden.has(r.id)), automatic, refused: refused.has(r.id), level }] as const;
    }),
  );
}

/**
 * SEL-1, SEL-12: applicants refused by the automatic check (no certificate of the previous
 * level, no override) get the reason written, in their language, as a coordinator's would be:
 * the decision's email and the learner's page give it.
 */
export async function recordAutomaticRefusals(tx: DbOrTx, clock: Clock, session: SessionForApplication, applicationIds: string[], staffId: string) {
  if (applicationIds.length === 0 || session.previousCourseId === null) return;
  const known = new Set((await tx.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, applicationIds))).map((r) => r.applicationId));
  const missing = (await applicantsOf(tx, session.id)).filter((r) => applicationIds.includes(r.id) && !known.has(r.id));
  if (missing.length === 0) return;
  const [title] = (await courseTitles(tx, [session.previousCourseId])).values();
  const users = await getUsers(tx, [...new Set(missing.map((r) => r.learnerId))]);
  await tx
    .insert(prerequisiteRefusals)
    .values(
      missing.map((r) => ({
        applicationId: r.id,
        reason: translator(users.get(r.learnerId)?.locale ?? 'fr')('sel.prerequisites.noCertificate', { title: title ?? '' }),
        recordedBy: staffId,
        recordedAt: clock.now(),
      })),
    )
    .onConflictDoNothing();
}

