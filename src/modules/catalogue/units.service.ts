import { and, asc, eq, gte, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Mode } from '../../domain/vocabulary';
import { courseSessions, courses, schools } from './catalogue.table';
import type { Semester } from './credits.rules';

/**
 * CRED-1, CRED-2: the catalogue's teaching units (courses with ECTS credits), for the modules
 * that count credits (certification's earned units, programmes). A unit's code is its course's.
 */
export interface Unit {
  id: number;
  code: string;
  title: string;
  credits: number;
  semester: Semester;
  mode: Mode;
  hourlyVolume: number;
}

const unitColumns = { id: courses.id, code: courses.code, title: courses.title, credits: courses.ectsCredits, semester: courses.semester, mode: courses.mode, hourlyVolume: courses.hourlyVolume };
const asUnit = (r: { credits: number | null; semester: number | null } & Omit<Unit, 'credits' | 'semester'>): Unit => ({ ...r, credits: r.credits!, semester: r.semester as Semester });

/** The units with these ids or codes (courses without credits are not units: left out). */
export async function unitsOf(db: DbOrTx, by: { ids?: number[]; codes?: string[] }): Promise<Unit[]> {
  const ids = by.ids ?? [];
  const codes = by.codes ?? [];
  if (ids.length === 0 && codes.length === 0) return [];
  const rows = await db
    .select(unitColumns)
    .from(courses)
    .where(and(isNotNull(courses.ectsCredits), or(ids.length ? inArray(courses.id, ids) : undefined, codes.length ? inArray(courses.code, codes) : undefined)))
    .orderBy(asc(courses.code));
  return rows.map(asUnit);
}

/**
 * CRED-1: what the catalogue knows of these codes, for a programme's rule: code → credits
 * (null: a course that is not a unit); a code absent is unknown.
 */
export async function creditsOfCodes(db: DbOrTx, codes: string[]): Promise<Map<string, number | null>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ id: courses.id, code: courses.code, credits: courses.ectsCredits }).from(courses).where(inArray(courses.code, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, r.credits]));
}

/** The number of teaching units in the catalogue (the demo's summary). */
export async function unitCount(db: DbOrTx): Promise<number> {
  return (await db.select({ id: courses.id }).from(courses).where(isNotNull(courses.ectsCredits))).length;
}

export interface UnitSession {
  courseId: number;
  code: string;
  schoolName: string;
  firstMeeting: string;
  mode: Mode;
}

/**
 * CRED-2: the sessions of these units that start on or after a day (not cancelled), by their
 * first meeting: what the next semester offers.
 */
export async function unitSessionsFrom(db: DbOrTx, courseIds: number[], fromDay: string): Promise<UnitSession[]> {
  if (courseIds.length === 0) return [];
  const rows = await db
    .select({ courseId: courseSessions.courseId, code: courseSessions.code, schoolName: schools.name, firstMeeting: courseSessions.firstMeeting, sessionMode: courseSessions.mode, courseMode: courses.mode })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .where(and(inArray(courseSessions.courseId, courseIds), gte(courseSessions.firstMeeting, fromDay), isNull(courseSessions.cancelledAt)))
    .orderBy(asc(courseSessions.firstMeeting), asc(courseSessions.code));
  return rows.map((r) => ({ courseId: r.courseId, code: r.code, schoolName: r.schoolName, firstMeeting: r.firstMeeting, mode: r.sessionMode ?? r.courseMode }));
}

/** The codes of these courses, units or not (a unit earned stays earned if its course loses its credits later). */
export async function courseCodesOf(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  return new Map((await db.select({ id: courses.id, code: courses.code }).from(courses).where(inArray(courses.id, [...new Set(ids)]))).map((r) => [r.id, r.code]));
}
