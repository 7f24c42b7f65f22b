import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { FieldError } from '../../ui/context';
import { checkEquivalence, equivalencePair } from './catalogue.rules';
import { scopeCondition, type Scope } from './scope';
import { courseEquivalences, courseSessions, courses } from './catalogue.table';

/**
 * SEL-7: equivalent courses (same level, another title or school network). The catalogue owns
 * the pairs; selection asks `equivalentCourseIds` when a session has places its own course's
 * waiting lists do not fill. Pairs are declared by an administrator or a coordinator (both
 * courses in their scope), one at a time in the form or many in the CSV import
 * (`equivalences.csv`, docs/catalogue-import.md), with the same checks (`checkEquivalence`).
 */

/** SEL-7: the courses declared equivalent to this one (either side of the pair). */
export async function equivalentCourseIds(db: DbOrTx, courseId: number): Promise<number[]> {
  const rows = await db
    .select({ a: courseEquivalences.courseId, b: courseEquivalences.equivalentCourseId })
    .from(courseEquivalences)
    .where(or(eq(courseEquivalences.courseId, courseId), eq(courseEquivalences.equivalentCourseId, courseId)));
  return [...new Set(rows.map((r) => (r.a === courseId ? r.b : r.a)))].sort((x, y) => x - y);
}

/** The course sheet's "equivalent courses": code and title, by title. */
export async function equivalentCourses(db: DbOrTx, courseId: number): Promise<{ code: string; title: string }[]> {
  const ids = await equivalentCourseIds(db, courseId);
  if (ids.length === 0) return [];
  return db.select({ code: courses.code, title: courses.title }).from(courses).where(inArray(courses.id, ids)).orderBy(asc(courses.title), asc(courses.code));
}

/** Writes pairs (course ids, any order); a pair already stored is kept as it was. Call it in a transaction. */
export async function insertEquivalences(tx: DbOrTx, pairs: [number, number][], by: { declaredBy: string | null; at?: Date }): Promise<number> {
  if (pairs.length === 0) return 0;
  const rows = pairs.map(([a, b]) => {
    const [courseId, equivalentCourseId] = equivalencePair(a, b);
    return { courseId, equivalentCourseId, declaredBy: by.declaredBy, ...(by.at ? { declaredAt: by.at } : {}) };
  });
  const saved = await tx.insert(courseEquivalences).values(rows).onConflictDoNothing({ target: [courseEquivalences.courseId, courseEquivalences.equivalentCourseId] }).returning({ id: courseEquivalences.id });
  return saved.length;
}

export interface EquivalenceView {
  id: number;
  course: { code: string; title: string; level: string | null };
  equivalent: { code: string; title: string; level: string | null };
}

/** Is each of these courses in the scope (its domain, or one of its sessions: scopeCondition)? */
async function coursesInScope(db: DbOrTx, scope: Scope, courseIds: number[]): Promise<Set<number>> {
  if (courseIds.length === 0) return new Set();
  const inScope = scopeCondition(scope);
  const rows = await db
    .selectDistinct({ id: courses.id })
    .from(courses)
    .leftJoin(courseSessions, eq(courseSessions.courseId, courses.id))
    .where(and(inArray(courses.id, courseIds), inScope ?? undefined));
  return new Set(rows.map((r) => r.id));
}

/** SEL-7: the pairs a staff member may see and remove: both courses in their scope (all, for an administrator). */
export async function listEquivalences(db: DbOrTx, scope: Scope): Promise<EquivalenceView[]> {
  const a = alias(courses, 'a');
  const b = alias(courses, 'b');
  const rows = await db
    .select({ id: courseEquivalences.id, a: { id: a.id, code: a.code, title: a.title, level: a.level }, b: { id: b.id, code: b.code, title: b.title, level: b.level } })
    .from(courseEquivalences)
    .innerJoin(a, eq(a.id, courseEquivalences.courseId))
    .innerJoin(b, eq(b.id, courseEquivalences.equivalentCourseId))
    .orderBy(asc(a.title), asc(b.title), asc(courseEquivalences.id));
  const visible = await coursesInScope(db, scope, [...new Set(rows.flatMap((r) => [r.a.id, r.b.id]))]);
  return rows
    .filter((r) => visible.has(r.a.id) && visible.has(r.b.id))
    .map((r) => ({ id: r.id, course: { code: r.a.code, title: r.a.title, level: r.a.level }, equivalent: { code: r.b.code, title: r.b.title, level: r.b.level } }));
}

type Actor = { id: string; scope: Scope };
type DeclareFailure = { ok: false; errors: Partial<Record<'course' | 'equivalent_course', FieldError>> };

/**
 * SEL-7: declares two courses (by code) equivalent. Refused: an unknown code, a course out of the
 * declarer's scope, a course with itself, two levels that differ, a pair already declared (in
 * either order). One transaction with its audit row.
 */
export async function declareEquivalence(
  deps: { db: Db; clock: Clock },
  input: { actor: Actor; course: string; equivalentCourse: string },
): Promise<{ ok: true } | DeclareFailure> {
  const found = await deps.db
    .select({ id: courses.id, code: courses.code, level: courses.level })
    .from(courses)
    .where(inArray(courses.code, [input.course, input.equivalentCourse]));
  const a = found.find((c) => c.code === input.course);
  const b = found.find((c) => c.code === input.equivalentCourse);
  const errors: Partial<Record<'course' | 'equivalent_course', FieldError>> = {};
  if (!a) errors.course = { message: 'cat.err.unknownCourse', params: { code: input.course } };
  if (!b) errors.equivalent_course = { message: 'cat.err.unknownCourse', params: { code: input.equivalentCourse } };
  if (!a || !b) return { ok: false, errors };
  const inScope = await coursesInScope(deps.db, input.actor.scope, [a.id, b.id]);
  if (!inScope.has(a.id)) errors.course = { message: 'cat.err.equivalentScope' };
  if (!inScope.has(b.id)) errors.equivalent_course = { message: 'cat.err.equivalentScope' };
  if (errors.course || errors.equivalent_course) return { ok: false, errors };
  const check = checkEquivalence(a, b);
  if (!check.ok) return { ok: false, errors: { equivalent_course: { message: check.message } } };
  return deps.db.transaction(async (tx: Tx) => {
    const added = await insertEquivalences(tx, [[a.id, b.id]], { declaredBy: input.actor.id, at: deps.clock.now() });
    if (added === 0) return { ok: false as const, errors: { equivalent_course: { message: 'cat.err.equivalentTwice' as const } } };
    await audit(tx, deps.clock, { action: 'catalogue.equivalenceDeclared', actorId: input.actor.id, data: { course: a.code, equivalentCourse: b.code } });
    return { ok: true as const };
  });
}

/**
 * SEL-7: removes a pair (both courses in the remover's scope). Offers already made stay as they
 * are (they run to their answer or deadline); no new one is made. False when unknown or out of scope.
 */
export async function removeEquivalence(deps: { db: Db; clock: Clock }, input: { actor: Actor; id: number }): Promise<boolean> {
  if (!Number.isSafeInteger(input.id) || input.id <= 0 || input.id > 2 ** 31 - 1) return false;
  const [pair] = await deps.db.select().from(courseEquivalences).where(eq(courseEquivalences.id, input.id));
  if (!pair) return false;
  const inScope = await coursesInScope(deps.db, input.actor.scope, [pair.courseId, pair.equivalentCourseId]);
  if (!inScope.has(pair.courseId) || !inScope.has(pair.equivalentCourseId)) return false;
  return deps.db.transaction(async (tx) => {
    const gone = await tx.delete(courseEquivalences).where(eq(courseEquivalences.id, input.id)).returning({ id: courseEquivalences.id });
    if (gone.length === 0) return false;
    await audit(tx, deps.clock, { action: 'catalogue.equivalenceRemoved', actorId: input.actor.id, data: { courseId: pair.courseId, equivalentCourseId: pair.equivalentCourseId } });
    return true;
  });
}
