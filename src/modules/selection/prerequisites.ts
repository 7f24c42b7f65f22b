import { inArray } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
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
 * CERT-3: the applications (to a session of `courseId`) whose learner has used up the repeats by
 * now (failures and attempts still running); certification answers. Without an answer: none.
 */
export const repeatsUsedUp = createPort(async (_db: DbOrTx, _input: { courseId: number; applications: { id: string; learnerId: string }[] }): Promise<Set<string>> => new Set());

/**
 * SEL-1: the prerequisites of each applicant: the coordinator's refusal prevails; otherwise the
 * previous level's certificate of skills (automatic), or the coordinator's override with a reason.
 * CERT-3: an applicant whose repeats are used up by now (a failure known after they applied)
 * does not meet them, whatever the override.
 */
export async function prerequisitesOf(db: DbOrTx, session: Pick<SessionForApplication, 'courseId' | 'previousCourseId'>, rows: { id: string; learnerId: string }[]) {
  const ids = rows.map((r) => r.id);
  const [refusals, overrides, levels, repeats] = ids.length
    ? await readTogether(db, [
        async () => db.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, ids)),
        async () => db.select().from(prerequisiteOverrides).where(inArray(prerequisiteOverrides.applicationId, ids)),
        async () => session.previousCourseId === null ? new Map<string, PreviousLevelFacts>() : previousLevels.ask(db, { courseId: session.previousCourseId, learnerIds: [...new Set(rows.map((r) => r.learnerId))] }),
        async () => repeatsUsedUp.ask(db, { courseId: session.courseId, applications: rows.map((r) => ({ id: r.id, learnerId: r.learnerId })) }),
      ])
    : [[], [], new Map<string, PreviousLevelFacts>(), new Set<string>()];
  const refused = new Set(refusals.map((r) => r.applicationId));
  const overridden = new Set(overrides.map((r) => r.applicationId));
  return new Map(
    rows.map((r) => {
      const level = levels.get(r.learnerId) ?? null;
      const automatic = session.previousCourseId === null || level?.passed === true;
      const repeatLimit = repeats.has(r.id);
      return [r.id, { met: !refused.has(r.id) && !repeatLimit && (automatic || overridden.has(r.id)), automatic, refused: refused.has(r.id), repeatLimit, level }] as const;
    }),
  );
}

/**
 * SEL-1, SEL-12, CERT-3: applicants refused by the automatic checks (repeats used up; no
 * certificate of the previous level and no override) get the reason written, in their language,
 * marked automatic (not a coordinator's): the decision's email and the learner's page give it.
 */
export async function recordAutomaticRefusals(tx: DbOrTx, clock: Clock, session: SessionForApplication, applicationIds: string[], staffId: string) {
  if (applicationIds.length === 0) return;
  const known = new Set((await tx.select().from(prerequisiteRefusals).where(inArray(prerequisiteRefusals.applicationId, applicationIds))).map((r) => r.applicationId));
  const missing = (await applicantsOf(tx, session.id)).filter((r) => applicationIds.includes(r.id) && !known.has(r.id));
  if (missing.length === 0) return;
  const checks = await prerequisitesOf(tx, session, missing);
  const [title] = session.previousCourseId === null ? [] : (await courseTitles(tx, [session.previousCourseId])).values();
  const users = await getUsers(tx, [...new Set(missing.map((r) => r.learnerId))]);
  const values = missing.flatMap((r) => {
    const t = translator(users.get(r.learnerId)?.locale ?? 'fr');
    const check = checks.get(r.id)!;
    const reason = check.repeatLimit ? t('cert.error.repeatLimit') : !check.automatic ? t('sel.prerequisites.noCertificate', { title: title ?? '' }) : null;
    // recordedBy: who decided (the audit's actor); the refusal is the rule's, not theirs.
    return reason ? [{ applicationId: r.id, reason, automatic: true, recordedBy: staffId, recordedAt: clock.now() }] : [];
  });
  if (values.length) await tx.insert(prerequisiteRefusals).values(values).onConflictDoNothing();
}

