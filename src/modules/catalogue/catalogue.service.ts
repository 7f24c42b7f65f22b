import { and, asc, eq, gt, inArray, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import type { AdmissionTest, FundingSource, Mode, Rhythm, Slot } from '../../domain/vocabulary';
import type { Profile } from '../../domain/profile';
import type { Clock } from '../../platform/clock';
import { createPort } from '../../platform/hooks';
import {
  checkHourlyVolume,
  freePlaces,
  keywordTerms,
  likePattern,
  meetingDates,
  PAGE_SIZE,
  periodState,
  timeOfDayBands,
  type ClosedDays,
  type Meeting,
  type SearchFilters,
} from './catalogue.rules';
import { courseSessions, courses, domains, holidays, registrationPeriods, schools, sessionSlots } from './catalogue.table';
import { equivalentCourses } from './equivalences.service';
import { scopeCondition, type Scope } from './scope';

export { scopeCondition, type Scope };

export type Domain = typeof domains.$inferSelect;
export type Period = typeof registrationPeriods.$inferSelect;
export type School = typeof schools.$inferSelect;
export type Course = typeof courses.$inferSelect;

/**
 * French alphabetical order ("Ébénisterie" with the E's, not after "Z"): ICU's French collation,
 * present in the embedded server and in Debian's PostgreSQL alike.
 */
const french = (column: SQL | AnyColumn) => sql`${column} collate "fr-x-icu"`;

/** The zone whose school holidays apply (Paris: zone C). */
export const SCHOOL_ZONE = 'C';

export async function listDomains(db: DbOrTx): Promise<Domain[]> {
  return db.select().from(domains).orderBy(asc(domains.position), asc(domains.name));
}

export async function listPeriods(db: DbOrTx): Promise<Period[]> {
  return db.select().from(registrationPeriods).orderBy(asc(registrationPeriods.applicationsOpenAt));
}

export async function listSchools(db: DbOrTx): Promise<School[]> {
  return db.select().from(schools).orderBy(asc(schools.arrondissement), asc(french(schools.name)));
}

export async function closedDays(db: DbOrTx, zone = SCHOOL_ZONE): Promise<ClosedDays[]> {
  const rows = await db
    .select({ kind: holidays.kind, startsOn: holidays.startsOn, endsOn: holidays.endsOn })
    .from(holidays)
    .where(sql`${holidays.kind} = 'public' or ${holidays.zone} = ${zone}`);
  return rows;
}

export interface SearchResult {
  sessionCode: string;
  courseCode: string;
  title: string;
  objectives: string;
  domainSlug: string;
  domainName: string;
  schoolCode: string;
  schoolName: string;
  arrondissement: number | null;
  area: string | null;
  capacity: number;
  freePlaces: number;
  periodCode: string;
  periodName: string;
  periodState: 'upcoming' | 'open' | 'closed';
  applicationsOpenAt: Date;
  applicationsCloseAt: Date;
  rhythm: Rhythm;
  /** The session's mode (SVC-2: its own when the service changed it, else its course's). */
  mode: Mode;
  firstMeeting: string;
  lastMeeting: string;
  runsInSchoolHolidays: boolean;
  slots: Slot[];
  /** CAT-7: the meetings, when asked for (`meetings: true`). */
  meetings?: Meeting[];
  /** SVC-2: cancelled by the service (shown, never applied to). */
  cancelled: boolean;
  /** SVC-2: moved to remote by the service. */
  remote: boolean;
}

/**
 * Where a page of results starts: after this result, in the search's order (title, then school,
 * then session code, which is unique). SVC-8's API pages by it (its cursor carries one).
 */
export interface SearchKey {
  title: string;
  school: string;
  session: string;
}

/** A window of results by key: at most `limit` after `after` (from the first when absent). */
export interface SearchWindow {
  after?: SearchKey;
  limit: number;
}

/**
 * SEL-6: how many places are held in each session (accepted and enrolled learners, places
 * offered from a waiting list and not yet answered). The catalogue does not know who holds
 * places: it asks, and the selection module answers (`selection/places.ts`).
 */
/**
 * CRED-2, CRED-5: what a unit's sessions offer for enrolment all year, by session code: the
 * funding sources with their fee (the sheet's form). Asked in the credits profile; the payments
 * module answers (the lifecycle's `enrolUnit` decides, the price list gives the fees). A session
 * absent from the answer takes no enrolment now. Without an answer: none.
 */
export interface UnitEnrolment {
  fees: { source: FundingSource; feeCents: number; payer: 'learner' | 'funder' }[];
}
export const unitEnrolments = createPort(async (_db: DbOrTx, _input: { profile: Profile; now: Date; sessionCodes: string[] }): Promise<Map<string, UnitEnrolment>> => new Map());

export const placesHeld = createPort(async (_db: DbOrTx, _sessionIds: number[]): Promise<Map<number, number>> => {
  throw new Error('No module answers placesHeld: load the selection module (its index.ts) before the catalogue shows free places.');
});

/**
 * CAT-3, CAT-4, CAT-5: sessions matching the keywords (every term somewhere in the course
 * title, accents and case ignored, by the trigram index on `cursus_fold(title)`) and the filters,
 * one page at a time, in title then school order, with their free places.
 */
export async function searchSessions(
  db: Db,
  clock: Clock,
  filters: SearchFilters,
): Promise<{ total: number; page: number; pages: number; results: SearchResult[] }> {
  const now = clock.now();
  const { query, where } = searchQuery(db, now, filters);
  const rows = await query;
  const page = filters.page;
  const total = rows[0]?.total ?? (page > 1 ? await countSessions(db, where) : 0);
  return { total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), results: await searchResults(db, now, rows) };
}

/**
 * SVC-8: the same search (the same query, the same free places) a window at a time, by key
 * rather than by page number: what the public API lists. `next` is the key after which the
 * following window starts, null on the last one. With `meetings`, each result has its
 * meetings (CAT-7).
 */
export async function searchSessionsAfter(
  db: Db,
  clock: Clock,
  filters: SearchFilters,
  window: SearchWindow,
  options: { meetings?: boolean } = {},
): Promise<{ results: SearchResult[]; next: SearchKey | null }> {
  const now = clock.now();
  // One more than asked: whether there is a next window, without counting.
  const rows = await searchQuery(db, now, filters, { after: window.after, limit: window.limit + 1 }).query;
  const more = rows.length > window.limit;
  const kept = more ? rows.slice(0, window.limit) : rows;
  const results = await searchResults(db, now, kept, options);
  const last = kept.at(-1);
  return { results, next: more && last ? { title: last.title, school: last.schoolName, session: last.sessionCode } : null };
}

type SearchRow = Awaited<ReturnType<typeof searchQuery>['query']>[number];

/** A search's rows with their slots, free places (the selection module's count) and, if asked, meetings. */
async function searchResults(db: Db, now: Date, rows: SearchRow[], options: { meetings?: boolean } = {}): Promise<SearchResult[]> {
  const ids = rows.map((r) => r.id);
  const [slots, taken, closed] = await Promise.all([slotsOf(db, ids), placesHeld.ask(db, ids), options.meetings && rows.length ? closedDays(db) : undefined]);
  return rows.map((r) => searchResult(r, now, taken, slots, closed));
}

/** One row of the search as the pages and the API show it: its free places by the one formula (SEL-6), its meetings when `closed` days are given (CAT-7). */
function searchResult(r: SearchRow, now: Date, taken: Map<number, number>, slots: Map<number, Slot[]>, closed?: ClosedDays[]): SearchResult {
  const sessionSlots = slots.get(r.id) ?? [];
  return {
    sessionCode: r.sessionCode,
    courseCode: r.courseCode,
    title: r.title,
    objectives: r.objectives,
    domainSlug: r.domainSlug,
    domainName: r.domainName,
    schoolCode: r.schoolCode,
    schoolName: r.schoolName,
    arrondissement: r.arrondissement,
    area: r.area,
    capacity: r.capacity,
    freePlaces: freePlaces(r.capacity, taken.get(r.id)),
    periodCode: r.periodCode,
    periodName: r.periodName,
    periodState: periodState(r, now),
    applicationsOpenAt: r.applicationsOpenAt,
    applicationsCloseAt: r.applicationsCloseAt,
    rhythm: r.rhythm,
    mode: r.sessionMode,
    firstMeeting: r.firstMeeting,
    lastMeeting: r.lastMeeting,
    runsInSchoolHolidays: r.runsInSchoolHolidays,
    slots: sessionSlots,
    ...(closed ? { meetings: meetingDates({ ...r, slots: sessionSlots, closedDays: closed }) } : {}),
    cancelled: r.cancelledAt !== null,
    remote: r.sessionModeOwn === 'remote',
  };
}

/** A session of the catalogue as the open-data files describe it (SVC-8): the search's row, and what the course sheet shows of it. */
export interface CatalogueRow extends SearchResult {
  level: string | null;
  /** The course's own mode; `mode` is the session's (SVC-2: the service may have moved it). */
  courseMode: Mode;
  hourlyVolume: number;
  fullRateCents: number;
  halfRateCents: number;
  preparesDiploma: boolean;
  hasEvaluation: boolean;
  admissionTest: AdmissionTest;
  address: string;
  postalCode: string;
  city: string;
  /** CAT-7: the meetings, as the course sheet lists them. */
  meetings: Meeting[];
}

/** Ids per round trip when the whole catalogue is read (below PostgreSQL's limit of parameters). */
const ID_CHUNK = 5_000;

/**
 * SVC-8: every session matching the filters (no page), in the search's order, with the free
 * places and meetings the search page and the course sheets show: the same query as
 * `searchSessions`, the same places (`placesHeld`), the same meeting dates (`meetingDates`;
 * `meetings: false` leaves them empty, for a list that does not show them).
 */
export async function catalogueRows(db: Db, clock: Clock, filters: SearchFilters, options: { meetings?: boolean } = {}): Promise<CatalogueRow[]> {
  const now = clock.now();
  const rows = await searchQuery(db, now, filters, 'all').query;
  const slots = new Map<number, Slot[]>();
  const taken = new Map<number, number>();
  for (let i = 0; i < rows.length; i += ID_CHUNK) {
    const ids = rows.slice(i, i + ID_CHUNK).map((r) => r.id);
    // One after the other: the same connection may serve both.
    for (const [id, list] of await slotsOf(db, ids)) slots.set(id, list);
    for (const [id, held] of await placesHeld.ask(db, ids)) taken.set(id, held);
  }
  const withMeetings = options.meetings ?? true;
  const closed = rows.length && withMeetings ? await closedDays(db) : [];
  // Sessions of a period often share their dates and weekdays: their meetings are computed once.
  // And the event loop is let go every few hundred rows (a large catalogue takes seconds).
  const known = new Map<string, Meeting[]>();
  const meetingsOf = (r: SearchRow, list: Slot[]) => {
    if (!withMeetings) return [];
    const key = `${r.firstMeeting}|${r.lastMeeting}|${r.runsInSchoolHolidays}|${list.map((s) => `${s.weekday}-${s.startsAt}-${s.endsAt}`).join(',')}`;
    let meetings = known.get(key);
    if (!meetings) known.set(key, (meetings = meetingDates({ firstMeeting: r.firstMeeting, lastMeeting: r.lastMeeting, runsInSchoolHolidays: r.runsInSchoolHolidays, slots: list, closedDays: closed })));
    return meetings;
  };
  const result: CatalogueRow[] = [];
  for (const [index, r] of rows.entries()) {
    if (index > 0 && index % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    const sessionSlotsList = slots.get(r.id) ?? [];
    result.push({
      ...searchResult(r, now, taken, slots),
      level: r.level,
      courseMode: r.courseMode,
      hourlyVolume: r.hourlyVolume,
      fullRateCents: r.fullRateCents,
      halfRateCents: r.halfRateCents,
      preparesDiploma: r.preparesDiploma,
      hasEvaluation: r.hasEvaluation,
      admissionTest: r.admissionTest,
      address: r.address,
      postalCode: r.postalCode,
      city: r.city,
      meetings: meetingsOf(r, sessionSlotsList),
    });
  }
  return result;
}

/**
 * The SQL of one page of a search (exported so the benchmarks can EXPLAIN it): by page number
 * (the search page, with the total), a window after a key (SVC-8's API, without the count), or
 * `'all'`: every row, no page (SVC-8's open-data files).
 */
export function searchQuery(db: Db, now: Date, filters: SearchFilters, window?: SearchWindow | 'all') {
  const after = typeof window === 'object' ? window.after : undefined;
  const where: SQL[] = [];
  const terms = keywordTerms(filters.q);
  if (terms.length) {
    // The matching courses first, through the trigram index, as an array the planner looks up
    // in the sessions' course index: no scan of every session for a keyword search.
    const matches = sql.join(
      terms.map((term) => sql`c.title_folded like ${likePattern(term)}`),
      sql` and `,
    );
    where.push(sql`${courseSessions.courseId} = any(array(select c.id from courses c where ${matches}))`);
  }
  if (filters.onlyOpen) where.push(sql`${registrationPeriods.applicationsOpenAt} <= ${now} and ${registrationPeriods.applicationsCloseAt} > ${now}`);
  if (filters.domain) where.push(eq(domains.slug, filters.domain));
  if (filters.period) where.push(eq(registrationPeriods.code, filters.period));
  if (filters.rhythm) where.push(eq(courses.rhythm, filters.rhythm));
  if (filters.mode) where.push(eq(sessionMode, filters.mode));
  if (filters.arrondissement) where.push(eq(schools.arrondissement, filters.arrondissement));
  if (filters.school) where.push(eq(schools.code, filters.school));
  if (filters.course) where.push(eq(courses.code, filters.course));
  if (filters.session) where.push(eq(courseSessions.code, filters.session));
  if (after) {
    const { title, school, session } = after;
    // The order's own columns, compared as the order compares them (its collation).
    where.push(sql`(${french(courses.title)}, ${french(schools.name)}, ${courseSessions.code}) > (${french(sql`${title}`)}, ${french(sql`${school}`)}, ${session})`);
  }
  if (filters.weekdays.length || filters.times.length) {
    const slotConditions: SQL[] = [sql`sl.session_id = ${courseSessions.id}`];
    if (filters.weekdays.length) slotConditions.push(sql`sl.weekday in (${sql.join(filters.weekdays.map((d) => sql`${d}`), sql`, `)})`);
    if (filters.times.length) {
      const bands = filters.times.map((t) => {
        const b = timeOfDayBands[t];
        const parts: SQL[] = [];
        if (b.startFrom) parts.push(sql`sl.starts_at >= ${b.startFrom}::time`);
        if (b.startBefore) parts.push(sql`sl.starts_at < ${b.startBefore}::time`);
        if (b.endAfter) parts.push(sql`sl.ends_at > ${b.endAfter}::time`);
        if (b.endBy) parts.push(sql`sl.ends_at <= ${b.endBy}::time`);
        return sql`(${sql.join(parts, sql` and `)})`;
      });
      slotConditions.push(sql`(${sql.join(bands, sql` or `)})`);
    }
    where.push(sql`exists (select 1 from session_slots sl where ${sql.join(slotConditions, sql` and `)})`);
  }
  const query = db
    .select({
      id: courseSessions.id,
      sessionCode: courseSessions.code,
      courseCode: courses.code,
      title: courses.title,
      objectives: courses.objectives,
      domainSlug: domains.slug,
      domainName: domains.name,
      schoolCode: schools.code,
      schoolName: schools.name,
      arrondissement: schools.arrondissement,
      area: schools.area,
      capacity: courseSessions.capacity,
      periodCode: registrationPeriods.code,
      periodName: registrationPeriods.name,
      applicationsOpenAt: registrationPeriods.applicationsOpenAt,
      applicationsCloseAt: registrationPeriods.applicationsCloseAt,
      rhythm: courses.rhythm,
      firstMeeting: courseSessions.firstMeeting,
      lastMeeting: courseSessions.lastMeeting,
      runsInSchoolHolidays: courseSessions.runsInSchoolHolidays,
      cancelledAt: courseSessions.cancelledAt,
      sessionModeOwn: courseSessions.mode,
      sessionMode,
      // What the course sheet shows besides (SVC-8's files).
      level: courses.level,
      courseMode: courses.mode,
      hourlyVolume: courses.hourlyVolume,
      fullRateCents: courses.fullRateCents,
      halfRateCents: courses.halfRateCents,
      preparesDiploma: courses.preparesDiploma,
      hasEvaluation: courses.hasEvaluation,
      admissionTest: courses.admissionTest,
      address: schools.address,
      postalCode: schools.postalCode,
      city: schools.city,
      // The page's total rides on its rows; a window by key does not count (an API client follows `next`).
      total: window ? sql<number>`0`.mapWith(Number) : sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(domains, eq(domains.id, courses.domainId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(french(courses.title)), asc(french(schools.name)), asc(courseSessions.code))
    .$dynamic();
  if (window === 'all') return { query, where };
  return { query: query.limit(window ? window.limit : PAGE_SIZE).offset(window ? 0 : (filters.page - 1) * PAGE_SIZE), where };
}

/** The total of a search whose page is past the last one (the window count has no row to ride on). */
async function countSessions(db: Db, where: SQL[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(domains, eq(domains.id, courses.domainId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(where.length ? and(...where) : undefined);
  return row.n;
}

async function slotsOf(db: DbOrTx, sessionIds: number[]): Promise<Map<number, Slot[]>> {
  const map = new Map<number, Slot[]>();
  if (sessionIds.length === 0) return map;
  const rows = await db
    .select()
    .from(sessionSlots)
    .where(inArray(sessionSlots.sessionId, sessionIds))
    .orderBy(asc(sessionSlots.weekday), asc(sessionSlots.startsAt));
  for (const row of rows) {
    const list = map.get(row.sessionId) ?? [];
    list.push({ weekday: row.weekday, startsAt: row.startsAt.slice(0, 5), endsAt: row.endsAt.slice(0, 5) });
    map.set(row.sessionId, list);
  }
  return map;
}

export interface SheetSession {
  code: string;
  school: School;
  period: Period;
  periodState: 'upcoming' | 'open' | 'closed';
  trainerName: string | null;
  capacity: number;
  freePlaces: number;
  firstMeeting: string;
  lastMeeting: string;
  runsInSchoolHolidays: boolean;
  slots: Slot[];
  meetings: Meeting[];
  /** SVC-2: cancelled by the service (shown, never applied to). */
  cancelled: boolean;
  /** SVC-2: the session's mode when the service changed it (remote), else null. */
  mode: Mode | null;
}

/** CAT-1, CAT-5, CAT-7: a course sheet with all its sessions, their free places and meetings; null if unknown. */
export async function getCourseSheet(
  db: Db,
  clock: Clock,
  code: string,
): Promise<{ course: Course; domain: Domain; previous: Pick<Course, 'code' | 'title'> | null; equivalents: Pick<Course, 'code' | 'title'>[]; sessions: SheetSession[] } | null> {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(code)) return null;
  const [row] = await db.select().from(courses).innerJoin(domains, eq(domains.id, courses.domainId)).where(eq(courses.code, code));
  if (!row) return null;
  const course = row.courses;
  const [previous] = course.previousCourseId
    ? await db.select({ code: courses.code, title: courses.title }).from(courses).where(eq(courses.id, course.previousCourseId))
    : [];
  const sessionRows = await db
    .select()
    .from(courseSessions)
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(eq(courseSessions.courseId, course.id))
    .orderBy(asc(registrationPeriods.applicationsOpenAt), asc(schools.arrondissement), asc(schools.name));
  const sessionIds = sessionRows.map((r) => r.course_sessions.id);
  const [slots, closed, taken, equivalents] = await Promise.all([slotsOf(db, sessionIds), closedDays(db), placesHeld.ask(db, sessionIds), equivalentCourses(db, course.id)]);
  const now = clock.now();
  return {
    course,
    domain: row.domains,
    previous: previous ?? null,
    // SEL-7: the courses a full session's waiting list may be offered places in.
    equivalents,
    sessions: sessionRows.map(({ course_sessions: s, schools: school, registration_periods: period }) => {
      const sessionSlotsList = slots.get(s.id) ?? [];
      return {
        code: s.code,
        school,
        period,
        periodState: periodState(period, now),
        trainerName: s.trainerName,
        capacity: s.capacity,
        freePlaces: freePlaces(s.capacity, taken.get(s.id)),
        firstMeeting: s.firstMeeting,
        lastMeeting: s.lastMeeting,
        runsInSchoolHolidays: s.runsInSchoolHolidays,
        cancelled: s.cancelledAt !== null,
        mode: s.mode,
        slots: sessionSlotsList,
        meetings: meetingDates({ ...s, slots: sessionSlotsList, closedDays: closed }),
      };
    }),
  };
}

/** CAT-7: the meetings of a session (its weekdays between its first and last dates, less the closed days). */
export async function sessionMeetings(db: DbOrTx, sessionId: number): Promise<Meeting[]> {
  const [row] = await db.select().from(courseSessions).where(eq(courseSessions.id, sessionId));
  if (!row) return [];
  // One after the other: `db` may be a transaction (one connection).
  const slots = await slotsOf(db, [sessionId]);
  const closed = await closedDays(db);
  return meetingDates({ ...row, slots: slots.get(sessionId) ?? [], closedDays: closed });
}

/**
 * CAT-7 data check: sessions whose meetings do not add up to their course's hourly volume.
 */
export async function checkSessionHours(db: Db): Promise<{ session: string; course: string; hours: number; expected: number }[]> {
  const rows = await db
    .select({ id: courseSessions.id, code: courseSessions.code, course: courses.code, hourlyVolume: courses.hourlyVolume, s: courseSessions })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .orderBy(asc(courseSessions.code));
  const slots = await slotsOf(db, rows.map((r) => r.id));
  const closed = await closedDays(db);
  const problems: { session: string; course: string; hours: number; expected: number }[] = [];
  for (const row of rows) {
    const meetings = meetingDates({ ...row.s, slots: slots.get(row.id) ?? [], closedDays: closed });
    const check = checkHourlyVolume(meetings, row.hourlyVolume);
    if (!check.ok) problems.push({ session: row.code, course: row.course, hours: check.hours, expected: check.expected });
  }
  return problems;
}

export interface SessionForApplication {
  id: number;
  code: string;
  courseId: number;
  courseCode: string;
  title: string;
  schoolName: string;
  arrondissement: number | null;
  capacity: number;
  firstMeeting: string;
  lastMeeting: string;
  slots: Slot[];
  /** SEL-2: the course has an admission test or interview (the pedagogical evaluation). */
  admissionEvaluation: boolean;
  /** CERT-1: the course ends with an evaluation test. */
  hasEvaluation: boolean;
  /** CERT-4: the course prepares a diploma. */
  preparesDiploma: boolean;
  /** The course of the level before (SEL-2's "previous level"), if any. */
  previousCourseId: number | null;
  /** SVC-5: `answersUntil` and `assistedPlacesUntil` say until when the held share of places is held. */
  period: Pick<Period, 'code' | 'name' | 'priorityOpensAt' | 'applicationsOpenAt' | 'applicationsCloseAt' | 'answersFrom' | 'answersUntil' | 'assistedPlacesUntil'>;
  schoolId: number;
  /** PAY-1: a remote course's trainer validates the enrolments (SVC-2: the session's mode when the service moved it). */
  mode: Mode;
  /** SVC-2: when the service cancelled the session (null while it runs). */
  cancelledAt: Date | null;
  /** PAY-5, PAY-6: the course's rates, in integer cents. */
  fullRateCents: number;
  halfRateCents: number;
  hourlyVolume: number;
}

/** SVC-2: a session's mode is its own when the service changed it, else its course's. */
const sessionMode = sql<Mode>`coalesce(${courseSessions.mode}, ${courses.mode})`;

/** What the applications module needs to know of sessions, by id or by code. */
export async function sessionsForApplications(db: DbOrTx, by: { ids?: number[]; codes?: string[] }): Promise<SessionForApplication[]> {
  const condition = by.ids ? (by.ids.length ? inArray(courseSessions.id, by.ids) : undefined) : by.codes?.length ? inArray(courseSessions.code, by.codes) : undefined;
  if (!condition) return [];
  const rows = await db
    .select({
      id: courseSessions.id,
      code: courseSessions.code,
      courseId: courses.id,
      courseCode: courses.code,
      title: courses.title,
      schoolName: schools.name,
      arrondissement: schools.arrondissement,
      capacity: courseSessions.capacity,
      firstMeeting: courseSessions.firstMeeting,
      lastMeeting: courseSessions.lastMeeting,
      admissionEvaluation: sql<boolean>`${courses.admissionTest} <> 'none'`,
      hasEvaluation: courses.hasEvaluation,
      preparesDiploma: courses.preparesDiploma,
      previousCourseId: courses.previousCourseId,
      schoolId: courseSessions.schoolId,
      mode: sessionMode,
      cancelledAt: courseSessions.cancelledAt,
      fullRateCents: courses.fullRateCents,
      halfRateCents: courses.halfRateCents,
      hourlyVolume: courses.hourlyVolume,
      periodCode: registrationPeriods.code,
      periodName: registrationPeriods.name,
      priorityOpensAt: registrationPeriods.priorityOpensAt,
      applicationsOpenAt: registrationPeriods.applicationsOpenAt,
      applicationsCloseAt: registrationPeriods.applicationsCloseAt,
      answersFrom: registrationPeriods.answersFrom,
      answersUntil: registrationPeriods.answersUntil,
      assistedPlacesUntil: registrationPeriods.assistedPlacesUntil,
    })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(condition);
  const slots = await slotsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    courseId: r.courseId,
    courseCode: r.courseCode,
    title: r.title,
    schoolName: r.schoolName,
    arrondissement: r.arrondissement,
    capacity: r.capacity,
    firstMeeting: r.firstMeeting,
    lastMeeting: r.lastMeeting,
    slots: slots.get(r.id) ?? [],
    admissionEvaluation: r.admissionEvaluation,
    hasEvaluation: r.hasEvaluation,
    preparesDiploma: r.preparesDiploma,
    previousCourseId: r.previousCourseId,
    schoolId: r.schoolId,
    mode: r.mode,
    cancelledAt: r.cancelledAt,
    fullRateCents: r.fullRateCents,
    halfRateCents: r.halfRateCents,
    hourlyVolume: r.hourlyVolume,
    period: { code: r.periodCode, name: r.periodName, priorityOpensAt: r.priorityOpensAt, applicationsOpenAt: r.applicationsOpenAt, applicationsCloseAt: r.applicationsCloseAt, answersFrom: r.answersFrom, answersUntil: r.answersUntil, assistedPlacesUntil: r.assistedPlacesUntil },
  }));
}

/** ATT-4, CERT-2: the sessions whose last meeting's day is in [from, to] (YYYY-MM-DD): the courses the end-of-course job looks at. */
export async function sessionIdsEnded(db: DbOrTx, range: { from: string; to: string }): Promise<number[]> {
  const rows = await db
    .select({ id: courseSessions.id })
    .from(courseSessions)
    .where(and(sql`${courseSessions.lastMeeting} >= ${range.from}`, sql`${courseSessions.lastMeeting} <= ${range.to}`))
    .orderBy(courseSessions.id);
  return rows.map((r) => r.id);
}

export interface ScopedSession {
  id: number;
  code: string;
  /**
   * SEL-2: the course has an admission test or interview (CAT-1 `admission_test` ≠ none), the
   * pedagogical evaluation that prevails; the end-of-course evaluation (`has_evaluation`) is not one.
   */
  admissionEvaluation: boolean;
  /** CERT-1: the course ends with an evaluation test (its staff page). */
  hasEvaluation: boolean;
  applicationsCloseAt: Date;
  courseCode: string;
  title: string;
  schoolName: string;
  arrondissement: number | null;
  periodName: string;
  capacity: number;
  slots: Slot[];
}

/**
 * Sessions inside a staff member's scope; the scope is part of the query's WHERE, so a route that
 * forgot its check would still list nothing outside it.
 */
export async function sessionsInScope(
  db: DbOrTx,
  scope: Scope,
  options: { period?: string; q?: string; code?: string; codes?: string[]; openToApplicationsAt?: Date } = {},
): Promise<ScopedSession[]> {
  const conditions: SQL[] = [];
  const inScope = scopeCondition(scope);
  if (inScope) conditions.push(inScope);
  // A session open to a new application at that time: not cancelled (SVC-2), its period's applications not closed.
  if (options.openToApplicationsAt) conditions.push(isNull(courseSessions.cancelledAt), gt(registrationPeriods.applicationsCloseAt, options.openToApplicationsAt));
  if (options.period) conditions.push(eq(registrationPeriods.code, options.period));
  if (options.code) conditions.push(eq(courseSessions.code, options.code));
  if (options.codes) conditions.push(options.codes.length ? inArray(courseSessions.code, options.codes) : sql`false`);
  for (const term of keywordTerms(options.q ?? '')) conditions.push(sql`${courses.titleFolded} like ${likePattern(term)}`);
  const rows = await db
    .select({
      id: courseSessions.id,
      code: courseSessions.code,
      courseCode: courses.code,
      title: courses.title,
      schoolName: schools.name,
      arrondissement: schools.arrondissement,
      periodName: registrationPeriods.name,
      capacity: courseSessions.capacity,
      admissionEvaluation: sql<boolean>`${courses.admissionTest} <> 'none'`,
      hasEvaluation: courses.hasEvaluation,
      applicationsCloseAt: registrationPeriods.applicationsCloseAt,
    })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(french(courses.title)), asc(french(schools.name)), asc(courseSessions.code));
  const slots = await slotsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, slots: slots.get(r.id) ?? [] }));
}

/** Codes of schools, domains and sessions by their ids (staff scopes, in words). */
export async function catalogueCodes(db: DbOrTx, ids: { schools: number[]; domains: number[]; sessions: number[] }) {
  const pick = async (rows: Promise<{ id: number; code: string }[]>) => new Map((await rows).map((r) => [r.id, r.code]));
  return {
    schools: ids.schools.length ? await pick(db.select({ id: schools.id, code: schools.code }).from(schools).where(inArray(schools.id, ids.schools))) : new Map<number, string>(),
    domains: ids.domains.length ? await pick(db.select({ id: domains.id, code: domains.slug }).from(domains).where(inArray(domains.id, ids.domains))) : new Map<number, string>(),
    sessions: ids.sessions.length
      ? await pick(db.select({ id: courseSessions.id, code: courseSessions.code }).from(courseSessions).where(inArray(courseSessions.id, ids.sessions)))
      : new Map<number, string>(),
  };
}

/** Ids of schools, domains, sessions and courses by their codes (for staff assignments; ACC-9's import matches courses). */
export async function catalogueIds(db: DbOrTx, codes: { schools?: string[]; domains?: string[]; sessions?: string[]; courses?: string[] }) {
  const pick = async (rows: Promise<{ id: number; code: string }[]>) => new Map((await rows).map((r) => [r.code, r.id]));
  return {
    schools: codes.schools?.length ? await pick(db.select({ id: schools.id, code: schools.code }).from(schools).where(inArray(schools.code, codes.schools))) : new Map<string, number>(),
    domains: codes.domains?.length ? await pick(db.select({ id: domains.id, code: domains.slug }).from(domains).where(inArray(domains.slug, codes.domains))) : new Map<string, number>(),
    sessions: codes.sessions?.length
      ? await pick(db.select({ id: courseSessions.id, code: courseSessions.code }).from(courseSessions).where(inArray(courseSessions.code, codes.sessions)))
      : new Map<string, number>(),
    courses: codes.courses?.length ? await pick(db.select({ id: courses.id, code: courses.code }).from(courses).where(inArray(courses.code, codes.courses))) : new Map<string, number>(),
  };
}

/**
 * Locks a session's row for the rest of the transaction: what gives or takes its places
 * (decisions, offers, moves) runs one at a time per session (SEL-6). Lock order, everywhere:
 * a session's row, then a learner's row.
 */
export async function lockSession(tx: Tx, sessionId: number): Promise<void> {
  // `no key update`, not `update`: a foreign key's check (a document, a payment, an offer naming
  // the session, written under a learner's lock) takes `key share` on this row, which `update`
  // would block — a deadlock with a path holding the session and waiting for that learner (SVC-2's
  // cancellation racing a payment). Those who lock the session still wait for one another.
  await tx.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.id, sessionId)).for('no key update');
}

/**
 * `lockSession` without waiting (SKIP LOCKED): false when another transaction holds the session.
 * For a caller already holding a learner (after the lock order's session → learner), which may
 * take a second session only if it is free (SEL-13's responder inside a refill).
 */
export async function tryLockSession(tx: Tx, sessionId: number): Promise<boolean> {
  const rows = await tx.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.id, sessionId)).for('no key update', { skipLocked: true });
  return rows.length > 0;
}

/**
 * SVC-2: marks a session cancelled by the service (in the caller's transaction, which holds the
 * session's lock): search and sheets show it, nobody applies to it, no place is offered in it.
 * Returns false when it was cancelled already.
 */
export async function markSessionCancelled(tx: Tx, sessionId: number, at: Date): Promise<boolean> {
  const done = await tx
    .update(courseSessions)
    .set({ cancelledAt: at })
    .where(and(eq(courseSessions.id, sessionId), isNull(courseSessions.cancelledAt)))
    .returning({ id: courseSessions.id });
  return done.length > 0;
}

/** SVC-2: the service moves a session to another mode (remote); its course's other sessions keep theirs. */
export async function setSessionMode(tx: Tx, sessionId: number, mode: Mode): Promise<void> {
  await tx.update(courseSessions).set({ mode }).where(eq(courseSessions.id, sessionId));
}

/** The sessions of a course (SEL-7: equivalent sessions). */
/** Courses' titles, by id (SEL-1's reason names the previous level). */
export async function courseTitles(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  return new Map((await db.select({ id: courses.id, title: courses.title }).from(courses).where(inArray(courses.id, ids))).map((r) => [r.id, r.title]));
}

/**
 * CERT-6: the sessions of the courses whose previous level is one of these, in periods whose
 * application window has not closed, by the period's opening then the code.
 */
export async function nextLevelSessionIds(db: DbOrTx, previousCourseIds: number[], now: Date): Promise<number[]> {
  if (previousCourseIds.length === 0) return [];
  const rows = await db
    .select({ id: courseSessions.id })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(and(inArray(courses.previousCourseId, previousCourseIds), gt(registrationPeriods.applicationsCloseAt, now)))
    .orderBy(asc(registrationPeriods.applicationsOpenAt), asc(courseSessions.code));
  return rows.map((r) => r.id);
}

export async function sessionIdsOfCourse(db: DbOrTx, courseId: number): Promise<number[]> {
  return (await db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.courseId, courseId))).map((r) => r.id);
}

/**
 * The sessions a learner may be moved to: for a change of day (SEL-10), the course's other
 * sessions; for a level (SEL-5), the sessions of the same period in the course's family
 * (courses linked by "previous course", both ways), other courses only. Never a session the
 * service cancelled (SVC-2).
 */
export async function familySessionIds(db: DbOrTx, from: { courseId: number; sessionId: number }, kind: 'day' | 'level'): Promise<number[]> {
  const rows =
    kind === 'day'
      ? await db.execute<{ id: number }>(sql`select id from ${courseSessions} where course_id = ${from.courseId} and id <> ${from.sessionId} and cancelled_at is null`)
      : await db.execute<{ id: number }>(sql`
          with recursive family(id) as (
            select ${from.courseId}::int
            union
            select c.id from family f
              join ${courses} fc on fc.id = f.id
              join ${courses} c on c.previous_course_id = f.id or c.id = fc.previous_course_id
          )
          select s.id from ${courseSessions} s
          where s.course_id in (select id from family) and s.course_id <> ${from.courseId} and s.cancelled_at is null
            and s.period_id = (select period_id from ${courseSessions} where id = ${from.sessionId})`);
  return rows.rows.map((r) => r.id);
}

/** Does a session with this code exist (whatever one's scope)? */
export async function sessionExists(db: DbOrTx, code: string): Promise<boolean> {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(code)) return false;
  return (await db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, code))).length > 0;
}

/** SVC-8: a course as the public API describes it (CAT-1's sheet, without its sessions). */
export interface PublicCourse {
  code: string;
  title: string;
  domainSlug: string;
  domainName: string;
  objectives: string;
  audience: string;
  prerequisites: string;
  programme: string;
  level: string | null;
  previousCourseCode: string | null;
  rhythm: Rhythm;
  mode: Mode;
  hourlyVolume: number;
  fullRateCents: number;
  halfRateCents: number;
  preparesDiploma: boolean;
  hasEvaluation: boolean;
  admissionTest: Course['admissionTest'];
}

/**
 * SVC-8: courses in code order, at most `limit` after the code `after`, with the keywords (CAT-3,
 * the search's terms and index) and a domain; or the one course `code`. `next` is the code after
 * which the next window starts (null on the last).
 */
export async function publicCourses(
  db: DbOrTx,
  options: { q?: string; domain?: string; code?: string; after?: string; limit: number },
): Promise<{ courses: PublicCourse[]; next: string | null }> {
  const where: SQL[] = [];
  for (const term of keywordTerms(options.q ?? '')) where.push(sql`${courses.titleFolded} like ${likePattern(term)}`);
  if (options.domain) where.push(eq(domains.slug, options.domain));
  if (options.code) where.push(eq(courses.code, options.code));
  if (options.after) where.push(sql`${courses.code} collate "C" > ${options.after}`);
  const rows = await db
    .select({
      code: courses.code,
      title: courses.title,
      domainSlug: domains.slug,
      domainName: domains.name,
      objectives: courses.objectives,
      audience: courses.audience,
      prerequisites: courses.prerequisites,
      programme: courses.programme,
      level: courses.level,
      previousCourseCode: sql<string | null>`(select p.code from ${courses} p where p.id = ${courses.previousCourseId})`,
      rhythm: courses.rhythm,
      mode: courses.mode,
      hourlyVolume: courses.hourlyVolume,
      fullRateCents: courses.fullRateCents,
      halfRateCents: courses.halfRateCents,
      preparesDiploma: courses.preparesDiploma,
      hasEvaluation: courses.hasEvaluation,
      admissionTest: courses.admissionTest,
    })
    .from(courses)
    .innerJoin(domains, eq(domains.id, courses.domainId))
    .where(where.length ? and(...where) : undefined)
    // Codes in byte order ("C" collation): the order the key comparison `code > after` follows.
    .orderBy(sql`${courses.code} collate "C"`)
    .limit(options.limit + 1);
  const more = rows.length > options.limit;
  const kept = more ? rows.slice(0, options.limit) : rows;
  return { courses: kept, next: more ? kept.at(-1)!.code : null };
}
