import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/database';
import type { Mode, Rhythm, TimeOfDay } from '../../domain/vocabulary';
import type { Clock } from '../../platform/clock';
import {
  listDomains,
  listPeriods,
  listSchools,
  periodState,
  publicCourses,
  searchSessionsAfter,
  timeOfDay,
  type PublicCourse,
  type SearchFilters,
  type SearchKey,
  type SearchResult,
} from '../catalogue';
import { splitJsonAt } from './api.rules';
import type { ApiCourse, ApiDomain, ApiPeriod, ApiSchool, ApiSession } from './api.schema';

/**
 * SVC-8: what the public API answers, from the catalogue's own services: the sessions and their
 * free places come from the search behind the search page (`searchSessionsAfter`, the same
 * query and the same `placesHeld`), so the API and the pages never disagree.
 */

export const API_PREFIX = '/api/v1';

/** The filters the API takes, as the catalogue's search reads them. */
export interface SessionFilters {
  q?: string;
  domain?: string;
  period?: string;
  rhythm?: Rhythm;
  mode?: Mode;
  weekdays?: number[];
  times?: TimeOfDay[];
  arrondissement?: number;
  school?: string;
  course?: string;
  open?: boolean;
}

export function searchFilters(f: SessionFilters & { session?: string }): SearchFilters {
  return {
    q: f.q?.trim() ?? '',
    onlyOpen: f.open ?? false,
    domain: f.domain,
    period: f.period,
    rhythm: f.rhythm,
    mode: f.mode,
    weekdays: f.weekdays ?? [],
    times: f.times ?? [],
    arrondissement: f.arrondissement,
    school: f.school,
    course: f.course,
    session: f.session,
    page: 1,
  };
}

const sheetPath = (courseCode: string) => `/formations/${encodeURIComponent(courseCode)}`;

function sessionOf(r: SearchResult): ApiSession {
  return {
    code: r.sessionCode,
    course: { code: r.courseCode, title: r.title, objectives: r.objectives, href: `${API_PREFIX}/courses/${encodeURIComponent(r.courseCode)}` },
    domain: { slug: r.domainSlug, name: r.domainName },
    school: { code: r.schoolCode, name: r.schoolName, arrondissement: r.arrondissement, area: r.area },
    period: { code: r.periodCode, name: r.periodName, state: r.periodState, applicationsOpenAt: r.applicationsOpenAt.toISOString(), applicationsCloseAt: r.applicationsCloseAt.toISOString() },
    rhythm: r.rhythm,
    mode: r.mode,
    capacity: r.capacity,
    freePlaces: r.freePlaces,
    cancelled: r.cancelled,
    firstMeeting: r.firstMeeting,
    lastMeeting: r.lastMeeting,
    runsInSchoolHolidays: r.runsInSchoolHolidays,
    slots: r.slots.map((s) => ({ weekday: s.weekday, startsAt: s.startsAt.slice(0, 5), endsAt: s.endsAt.slice(0, 5), timeOfDay: timeOfDay(s) })),
    meetings: r.meetings ?? [],
    href: `${API_PREFIX}/sessions/${encodeURIComponent(r.sessionCode)}`,
    page: sheetPath(r.courseCode),
  };
}

/**
 * Each session's JSON but its free places, kept per catalogue version and period state (all it
 * depends on but its free places: the catalogue's transactions raise the version, decision 024,
 * a cancellation and a change of mode among them):
 * a page of 20 sessions with their meetings is 50 kB of JSON, and writing it again for every
 * request was most of the API's time (bench/README.md, "the API's JSON kept"). Bounded by size.
 */
const sessionJsonKept = new LRUCache<string, { head: Buffer; tail: Buffer }>({
  maxSize: 32_000_000,
  sizeCalculation: (kept) => kept.head.length + kept.tail.length,
});

/** A session's JSON (as `JSON.stringify`), in pieces, from what is kept for its version. */
function sessionJson(version: number, s: ApiSession): Buffer[] {
  // The catalogue's transactions raise the version (SVC-2's cancellation too); the period's state moves with the clock.
  const key = `${version}|${s.code}|${s.period.state}`;
  let kept = sessionJsonKept.get(key);
  if (!kept) {
    const split = splitJsonAt(s, 'freePlaces');
    if (!split) return [Buffer.from(JSON.stringify(s))];
    sessionJsonKept.set(key, (kept = { head: ownBytes(split.head), tail: ownBytes(split.tail) }));
  }
  return [kept.head, Buffer.from(JSON.stringify(s.freePlaces)), kept.tail];
}

/** Text as bytes of its own (not a slice of Buffer's shared 8 kB pool, which a kept piece would keep whole). */
function ownBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/**
 * SVC-8: the JSON of a page of sessions, `{"data": [...sessions], ...rest}`, byte for byte what
 * `JSON.stringify` writes, each session's from what is kept for the catalogue's version.
 */
export function sessionsJson(version: number, sessions: ApiSession[], rest: Record<string, unknown>): Buffer {
  const parts: Buffer[] = [Buffer.from('{"data":[')];
  sessions.forEach((s, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(...sessionJson(version, s));
  });
  const after = JSON.stringify(rest);
  parts.push(Buffer.from(after === '{}' ? ']}' : `],${after.slice(1)}`));
  return Buffer.concat(parts);
}

/** SVC-8: one session's JSON, as `JSON.stringify` writes it, from what is kept for the catalogue's version. */
export const oneSessionJson = (version: number, session: ApiSession): Buffer => Buffer.concat(sessionJson(version, session));

const COMMA = Buffer.from(',');

/** SVC-8: one window of the sessions matching the filters (CAT-3, CAT-4), with their meetings and free places. */
export async function listSessions(
  db: Db,
  clock: Clock,
  options: { filters: SessionFilters; after?: SearchKey; limit: number },
): Promise<{ sessions: ApiSession[]; next: SearchKey | null; version: number }> {
  const { results, next, version } = await searchSessionsAfter(db, clock, searchFilters(options.filters), { after: options.after, limit: options.limit }, { meetings: true });
  return { sessions: results.map(sessionOf), next, version };
}

/** SVC-8: one session by its code (the same search, by code), with the catalogue's version; null when there is none. */
export async function findSession(db: Db, clock: Clock, code: string): Promise<{ session: ApiSession; version: number } | null> {
  const { results, version } = await searchSessionsAfter(db, clock, searchFilters({ session: code }), { limit: 1 }, { meetings: true });
  return results[0] ? { session: sessionOf(results[0]), version } : null;
}

function courseOf(c: PublicCourse): ApiCourse {
  const { domainSlug, domainName, previousCourseCode, ...rest } = c;
  return {
    ...rest,
    domain: { slug: domainSlug, name: domainName },
    previousCourse: previousCourseCode,
    href: `${API_PREFIX}/courses/${encodeURIComponent(c.code)}`,
    sessions: `${API_PREFIX}/sessions?course=${encodeURIComponent(c.code)}`,
    page: sheetPath(c.code),
  };
}

/** SVC-8: one window of the courses (keywords, domain), in code order. */
export async function listCourses(db: Db, options: { q?: string; domain?: string; after?: string; limit: number }): Promise<{ courses: ApiCourse[]; next: string | null }> {
  const { courses, next } = await publicCourses(db, options);
  return { courses: courses.map(courseOf), next };
}

export async function findCourse(db: Db, code: string): Promise<ApiCourse | null> {
  const { courses } = await publicCourses(db, { code, limit: 1 });
  return courses[0] ? courseOf(courses[0]) : null;
}

export async function allDomains(db: Db): Promise<ApiDomain[]> {
  return (await listDomains(db)).map((d) => ({ slug: d.slug, name: d.name }));
}

export async function allSchools(db: Db): Promise<ApiSchool[]> {
  return (await listSchools(db)).map((s) => ({ code: s.code, name: s.name, arrondissement: s.arrondissement, area: s.area, address: s.address, postalCode: s.postalCode, city: s.city }));
}

export async function allPeriods(db: Db, clock: Clock): Promise<ApiPeriod[]> {
  const now = clock.now();
  return (await listPeriods(db)).map((p) => ({
    code: p.code,
    name: p.name,
    state: periodState(p, now),
    priorityOpensAt: p.priorityOpensAt?.toISOString() ?? null,
    applicationsOpenAt: p.applicationsOpenAt.toISOString(),
    applicationsCloseAt: p.applicationsCloseAt.toISOString(),
    answersFrom: p.answersFrom,
    answersUntil: p.answersUntil,
  }));
}
