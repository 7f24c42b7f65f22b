import { createHash } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { planOnce, statement } from '../../db/statements';
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
  slotKeysOf,
  timeOfDayBands,
  type ClosedDays,
  type Meeting,
  type SearchFilters,
} from './catalogue.rules';
import { catalogueVersions, courseSessions, courses, domains, holidays, registrationPeriods, schools, sessionSlots } from './catalogue.table';
import { equivalentCourses } from './equivalences.service';
import { scopeCondition, type Scope } from './scope';
import { SearchIndex, SearchIndexes, type IndexedDocument, type IndexedFields, type Walk } from './search-index';

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
 * SEL-6, decision 032: the same count as `placesHeld`, as an SQL scalar expression of the
 * session whose id is the expression given (the selection module answers, from its tables and the
 * applications' fragment). The search reads it in its own statement: a page's rows and their
 * free places in one round trip and one snapshot. Its text is constant (the statements stay named).
 */
export const placesHeldSql = createPort((_sessionId: string): string => {
  throw new Error('No module answers placesHeldSql: load the selection module (its index.ts) before the catalogue shows free places.');
});

/** Decision 024: past this many results a search says "more than" rather than counting them all. */
export const COUNT_BOUND = 1_000;

/**
 * CAT-3, CAT-4, CAT-5: sessions matching the keywords (every term somewhere in the course
 * title, accents and case ignored, by the trigram index of the search document) and the
 * filters, one page at a time, in title then school order, with their free places. The total is
 * exact up to `COUNT_BOUND` (or a little beyond the page asked), then `totalAtLeast` says it is a
 * lower bound (decision 024: counting every match of a broad search was the page's main cost).
 */
export async function searchSessions(
  db: Db,
  clock: Clock,
  filters: SearchFilters,
): Promise<{ total: number; totalAtLeast: boolean; page: number; pages: number; results: SearchResult[]; version: number }> {
  const now = clock.now();
  const page = filters.page;
  // Enough to know the pages around the one shown (its links go two further).
  const bound = Math.max(COUNT_BOUND, (page + 2) * PAGE_SIZE);
  const window = { page, countUpTo: bound + 1 };
  const { rows, total, version } = (await searchInMemory(db, now, filters, window)) ?? (await runSearch(db, searchQuery(now, filters, window)));
  const totalAtLeast = total > bound;
  const shown = totalAtLeast ? bound : total;
  return { total: shown, totalAtLeast, page, pages: Math.max(1, Math.ceil(shown / PAGE_SIZE)), results: await searchResults(db, now, rows, version), version };
}

/**
 * SVC-8: the same search (the same query, the same free places) a window at a time, by key
 * rather than by page number: what the public API lists. `next` is the key after which the
 * following window starts, null on the last one. With `meetings`, each result has its
 * meetings (CAT-7). `version` is the catalogue's (decision 024), read in the same statement.
 */
export async function searchSessionsAfter(
  db: Db,
  clock: Clock,
  filters: SearchFilters,
  window: SearchWindow,
  options: { meetings?: boolean } = {},
): Promise<{ results: SearchResult[]; next: SearchKey | null; version: number }> {
  const now = clock.now();
  // One more than asked: whether there is a next window, without counting.
  const asked = { after: window.after, limit: window.limit + 1 };
  const { rows, version } = (await searchInMemory(db, now, filters, asked)) ?? (await runSearch(db, searchQuery(now, filters, asked)));
  const more = rows.length > window.limit;
  const kept = more ? rows.slice(0, window.limit) : rows;
  const results = await searchResults(db, now, kept, version, options);
  const last = kept.at(-1);
  return { results, next: more && last ? { title: last.title, school: last.schoolName, session: last.sessionCode } : null, version };
}

/** A row of the search document, as the search reads it: the result's own fields, then what it is computed from. */
type SearchRow = IndexedFields & Pick<
  SearchResult,
  | 'sessionCode' | 'courseCode' | 'title' | 'objectives' | 'domainSlug' | 'domainName' | 'schoolCode' | 'schoolName' | 'arrondissement'
  | 'area' | 'capacity' | 'periodCode' | 'periodName' | 'applicationsOpenAt' | 'applicationsCloseAt' | 'rhythm' | 'firstMeeting'
  | 'lastMeeting' | 'runsInSchoolHolidays' | 'slots'
> & {
  id: number;
  /** The places held (decision 032), read in the page's statement; absent from `'all'`. */
  held?: number;
  cancelledAt: Date | null;
  sessionModeOwn: Mode | null;
  sessionMode: Mode;
  level: string | null;
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
};

/** The public holidays and the zone's school holidays, kept per catalogue version (holidays are part of it). */
const closedDaysKept = { version: -1, days: Promise.resolve([] as ClosedDays[]) };
function closedDaysAt(db: Db, version: number): Promise<ClosedDays[]> {
  if (closedDaysKept.version !== version) {
    closedDaysKept.version = version;
    closedDaysKept.days = closedDays(db).catch((error: unknown) => {
      closedDaysKept.version = -1;
      throw error;
    });
  }
  return closedDaysKept.days;
}

/**
 * CAT-7's meetings of the sessions of one catalogue version, by their dates, weekdays and the
 * holidays flag (sessions of a period often share them): computed once, a bounded number kept.
 */
const meetingsKept = new LRUCache<string, Meeting[]>({ max: 5_000 });
function meetingsOf(r: Pick<SearchRow, 'firstMeeting' | 'lastMeeting' | 'runsInSchoolHolidays' | 'slots'>, closed: ClosedDays[], version: number): Meeting[] {
  const key = `${version}|${r.firstMeeting}|${r.lastMeeting}|${r.runsInSchoolHolidays}|${r.slots.map((s) => `${s.weekday}-${s.startsAt}-${s.endsAt}`).join(',')}`;
  let meetings = meetingsKept.get(key);
  if (!meetings) meetingsKept.set(key, (meetings = meetingDates({ firstMeeting: r.firstMeeting, lastMeeting: r.lastMeeting, runsInSchoolHolidays: r.runsInSchoolHolidays, slots: r.slots, closedDays: closed })));
  return meetings;
}

/** A search's rows with their free places (the selection module's count) and, if asked, meetings. */
async function searchResults(db: Db, now: Date, rows: SearchRow[], version: number, options: { meetings?: boolean } = {}): Promise<SearchResult[]> {
  if (rows.length === 0) return [];
  // The page's statement read the places held with the rows (decision 032).
  const taken = new Map(rows.map((r) => [r.id, Number(r.held)]));
  const closed = options.meetings ? await closedDaysAt(db, version) : undefined;
  return rows.map((r) => searchResult(r, now, taken, closed ? meetingsOf(r, closed, version) : undefined));
}

/** One row of the search as the pages and the API show it: its free places by the one formula (SEL-6), its meetings when given (CAT-7). */
function searchResult(r: SearchRow, now: Date, taken: Map<number, number>, meetings?: Meeting[]): SearchResult {
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
    slots: r.slots,
    ...(meetings ? { meetings } : {}),
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
  const { rows, version } = await runSearch(db, searchQuery(now, filters, 'all'));
  const taken = new Map<number, number>();
  for (let i = 0; i < rows.length; i += ID_CHUNK) {
    for (const [id, held] of await placesHeld.ask(db, rows.slice(i, i + ID_CHUNK).map((r) => r.id))) taken.set(id, held);
  }
  const withMeetings = options.meetings ?? true;
  const closed = rows.length && withMeetings ? await closedDaysAt(db, version) : [];
  // The event loop is let go every few hundred rows (a large catalogue takes a while).
  const result: CatalogueRow[] = [];
  for (const [index, r] of rows.entries()) {
    if (index > 0 && index % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    result.push({
      ...searchResult(r, now, taken),
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
      meetings: withMeetings ? meetingsOf(r, closed, version) : [],
    });
  }
  return result;
}

/** One search as SQL: its text (the same for every search of its shape) and its values. */
export interface SearchStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** The search document's columns, as `SearchRow` names them. */
const DOCUMENT_COLUMNS = `d.session_id as "id", d.session_code as "sessionCode", d.course_code as "courseCode", d.title, d.objectives,
  d.domain_slug as "domainSlug", d.domain_name as "domainName", d.school_code as "schoolCode", d.school_name as "schoolName",
  d.arrondissement, d.area, d.capacity, d.period_code as "periodCode", d.period_name as "periodName",
  d.applications_open_at as "applicationsOpenAt", d.applications_close_at as "applicationsCloseAt", d.rhythm,
  d.first_meeting::text as "firstMeeting", d.last_meeting::text as "lastMeeting", d.runs_in_school_holidays as "runsInSchoolHolidays",
  d.cancelled_at as "cancelledAt", d.own_mode as "sessionModeOwn", d.mode as "sessionMode", d.slots, d.level,
  d.course_mode as "courseMode", d.hourly_volume as "hourlyVolume", d.full_rate_cents as "fullRateCents",
  d.half_rate_cents as "halfRateCents", d.prepares_diploma as "preparesDiploma", d.has_evaluation as "hasEvaluation",
  d.admission_test as "admissionTest", d.address, d.postal_code as "postalCode", d.city`;
const ORDER = `d.title collate "fr-x-icu", d.school_name collate "fr-x-icu", d.session_code`;
/** The catalogue's version (decision 024), read in a search's own statement. */
const VERSION = `(select version from catalogue_versions where id = 1)`;
/** The same order on the columns as `DOCUMENT_COLUMNS` names them (a select around the page's). */
const OUTER_ORDER = `p.title collate "fr-x-icu", p."schoolName" collate "fr-x-icu", p."sessionCode"`;

/**
 * The SQL of a search on the search document (decision 024; exported so the benchmarks can
 * EXPLAIN it): by page number with the count up to a bound (the search page), a window after a
 * key (SVC-8's API, no count), or `'all'`: every row, no page (SVC-8's files). One statement:
 * the rows, the count and the catalogue's version, in one snapshot. The text depends only on
 * which filters are given, so each shape is one named statement per connection, planned once.
 */
export function searchQuery(
  now: Date,
  filters: SearchFilters,
  window: { page: number; countUpTo: number } | { after?: SearchKey; limit: number } | 'all',
): SearchStatement {
  const values: unknown[] = [];
  const $ = (value: unknown) => `$${values.push(value)}`;
  const where: string[] = [];
  const terms = keywordTerms(filters.q);
  // The matching courses first, through the courses' trigram index (3 000 titles, not 20 000
  // documents: a common term such as "anglais" reads seven times fewer index entries), then their
  // sessions by the document's course index.
  if (terms.length) where.push(`d.course_code = any(array(select c.code from courses c where ${terms.map((term) => `c.title_folded like ${$(likePattern(term))}`).join(' and ')}))`);
  if (filters.onlyOpen) {
    const at = $(now);
    where.push(`d.applications_open_at <= ${at} and d.applications_close_at > ${at}`);
  }
  if (filters.domain) where.push(`d.domain_slug = ${$(filters.domain)}`);
  if (filters.period) where.push(`d.period_code = ${$(filters.period)}`);
  if (filters.rhythm) where.push(`d.rhythm = ${$(filters.rhythm)}`);
  if (filters.mode) where.push(`d.mode = ${$(filters.mode)}`);
  if (filters.arrondissement) where.push(`d.arrondissement = ${$(filters.arrondissement)}`);
  if (filters.school) where.push(`d.school_code = ${$(filters.school)}`);
  if (filters.course) where.push(`d.course_code = ${$(filters.course)}`);
  if (filters.session) where.push(`d.session_code = ${$(filters.session)}`);
  if (filters.weekdays.length || filters.times.length) where.push(`d.slot_keys && ${$(slotKeysOf(filters.weekdays, filters.times))}::smallint[]`);
  const matching = where.length ? `where ${where.join(' and ')}` : '';
  const held = placesHeldSql.ask;
  const version = VERSION;
  let text: string;
  if (window === 'all') {
    text = `select ${version} as "version", ${DOCUMENT_COLUMNS} from session_search d ${matching} order by ${ORDER}`;
  } else if ('page' in window) {
    // The count (up to its bound) and the page in one statement; a page past the last still has the count.
    const countUpTo = $(window.countUpTo);
    const offset = $((window.page - 1) * PAGE_SIZE);
    text = `with found as (select count(*)::int as n from (select 1 from session_search d ${matching} limit ${countUpTo}) m)
      select found.n as "total", ${version} as "version", p.*, ${held('p."id"')} as "held" from found
      left join lateral (select ${DOCUMENT_COLUMNS} from session_search d ${matching} order by ${ORDER} limit ${PAGE_SIZE} offset ${offset}) p on true
      order by ${OUTER_ORDER}`;
  } else {
    const after = window.after;
    // The order's own columns, compared as the order compares them (its collation): the index walks from the key.
    const keyed = after
      ? `${matching ? `${matching} and` : 'where'} (d.title collate "fr-x-icu", d.school_name collate "fr-x-icu", d.session_code) > (${$(after.title)} collate "fr-x-icu", ${$(after.school)} collate "fr-x-icu", ${$(after.session)})`
      : matching;
    // The places held of the window's rows only (at most limit + 1), after the limit: the outer select (decision 032).
    text = `select p.*, ${held('p."id"')} as "held" from (select ${version} as "version", ${DOCUMENT_COLUMNS} from session_search d ${keyed} order by ${ORDER} limit ${$(window.limit)}) p
      order by ${OUTER_ORDER}`;
  }
  return { name: `catalogue-search-${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`, text, values };
}

/** The pool under drizzle (`connect` makes the database with one): drizzle sends unnamed statements only. */
function poolOf(db: Db): Pool {
  const pool = (db as Db & { $client?: Pool }).$client;
  if (!pool) throw new Error('the catalogue search needs the database of `connect` (a pool)');
  return pool;
}

/** Runs a search statement (named: each connection plans its shape once). */
async function runSearch(db: Db, statement: SearchStatement): Promise<{ rows: SearchRow[]; total: number; version: number }> {
  const pool = poolOf(db);
  const result = await pool.query<SearchRow & { total?: number; version: string | number | null }>({ name: statement.name, text: statement.text, values: statement.values });
  const first = result.rows[0];
  // The page's statement always has its one row of count and version, with no session on it past the last page.
  const rows = result.rows.filter((r) => r.id !== null);
  return { rows, total: first?.total ?? rows.length, version: Number(first?.version ?? (await catalogueVersion(db))) };
}

/**
 * Decision 034: each process's search documents, one catalogue version at a time, loaded in one
 * snapshot (the version and the documents of a repeatable-read transaction) in the search's order.
 */
export async function loadSearchIndex(pool: Pool): Promise<SearchIndex<SearchRow>> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const version = await client.query<{ version: number }>(`select ${VERSION} as "version"`);
    const documents = await client.query<IndexedDocument<SearchRow>>(
      `select ${DOCUMENT_COLUMNS}, d.title_folded as "titleFolded", d.slot_keys as "slotKeys" from session_search d order by ${ORDER}`,
    );
    await client.query('commit');
    return new SearchIndex(Number(version.rows[0]?.version ?? 0), documents.rows);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
const searchIndexes = new SearchIndexes<Pool, SearchRow>(loadSearchIndex);

/**
 * Decision 034: the search on the process's documents, when they are the catalogue's version:
 * the walk finds the page's rows and count, then one named statement reads their places held
 * and the version. Undefined (the SQL search answers) while the documents load, when the version
 * moved since (they are loaded again), or for a key the documents do not have.
 */
async function searchInMemory(
  db: Db,
  now: Date,
  filters: SearchFilters,
  window: { page: number; countUpTo: number } | { after?: SearchKey; limit: number },
): Promise<{ rows: SearchRow[]; total: number; version: number } | undefined> {
  const pool = poolOf(db);
  const index = searchIndexes.current(pool);
  if (!index) return undefined;
  let walk: Walk;
  if ('page' in window) walk = { from: 0, skip: (window.page - 1) * PAGE_SIZE, take: PAGE_SIZE, countUpTo: window.countUpTo };
  else {
    const from = window.after ? index.startAfter(window.after) : 0;
    if (from === undefined) return undefined;
    walk = { from, skip: 0, take: window.limit, countUpTo: window.limit };
  }
  const { rows, total } = index.select(filters, now, walk);
  const text = `select ${VERSION} as "version", array(select ${placesHeldSql.ask('u.id')} from unnest($1::int[]) with ordinality as u(id, n) order by u.n) as "held"`;
  const name = `catalogue-places-${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`;
  const read = await pool.query<{ version: string | number; held: (string | number)[] }>({ name, text, values: [rows.map((r) => r.id)] });
  const [{ version, held }] = read.rows;
  if (Number(version) !== index.version) {
    searchIndexes.outdated(pool, index);
    return undefined;
  }
  return { rows: rows.map((r, i) => ({ ...r, held: Number(held[i]) })), total, version: index.version };
}

/**
 * Decision 034: this database's search documents in memory, loaded for the catalogue's version
 * now (tests and benchmarks wait for them); undefined if they cannot be loaded.
 */
export async function searchIndexOf(db: Db): Promise<SearchIndex<SearchRow> | undefined> {
  const pool = poolOf(db);
  for (let attempt = 0; attempt < 3; attempt++) {
    const index = await searchIndexes.settled(pool);
    if (!index || index.version === (await catalogueVersion(db))) return index;
    searchIndexes.outdated(pool, index);
  }
  return undefined;
}

/** Decision 024: the catalogue's version, raised by every transaction that changed it (not by places). */
export async function catalogueVersion(db: DbOrTx): Promise<number> {
  // A named statement: asked on every versioned API page, parsed and planned once per connection.
  const [row] = await db.select({ version: catalogueVersions.version }).from(catalogueVersions).where(eq(catalogueVersions.id, 1)).prepare('catalogue-version').execute();
  return row?.version ?? 0;
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

/** The facts of sessions an application needs (`sessionsForApplications`), without its condition. */
const sessionsQuery = (db: DbOrTx) =>
  db
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
      slots: sql<Slot[]>`coalesce((select json_agg(json_build_object('weekday', x.weekday, 'startsAt', to_char(x.starts_at, 'HH24:MI'), 'endsAt', to_char(x.ends_at, 'HH24:MI')) order by x.weekday, x.starts_at) from ${sessionSlots} x where x.session_id = ${courseSessions.id}), '[]'::json)`,
    })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId));
const sessionsByIds = statement('catalogue_sessions_for_applications', (db) => sessionsQuery(db).where(sql`${courseSessions.id} = any(${planOnce(sql.placeholder('ids'), 'int[]')})`));

/** What the applications module needs to know of sessions, by id or by code. */
export async function sessionsForApplications(db: DbOrTx, by: { ids?: number[]; codes?: string[] }): Promise<SessionForApplication[]> {
  if (by.ids ? by.ids.length === 0 : !by.codes?.length) return [];
  // By ids (every application path, the rush's among them): one named statement, built once, the ids
  // an array parameter, so that each connection plans it once; the slots come in the same statement.
  const rows = by.ids ? await sessionsByIds(db).execute({ ids: by.ids }) : await sessionsQuery(db).where(inArray(courseSessions.code, by.codes!));
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
    slots: r.slots,
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
  await sessionLocked(tx).execute({ id: sessionId });
}
const sessionLocked = statement('catalogue_lock_session', (db) =>
  db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.id, sql.placeholder('id'))).for('no key update'),
);

/**
 * Holds a session's row against those who lock it (`lockSession`) or change it, for the rest of
 * the transaction, without holding others who only hold it too (`for share`). For what reads the
 * session's state and must not race a change of it, but neither gives nor takes its places
 * (APP-4's validation reading SVC-2's cancellation): validations of one session run side by side,
 * a cancellation waits for those under way and those after it wait for the cancellation. The
 * lock order stays: a session's row, then a learner's. A transaction that shares a session never
 * locks it afterwards (two sharing it could then wait for each other).
 */
export async function shareSession(tx: Tx, sessionId: number): Promise<void> {
  await sessionShared(tx).execute({ id: sessionId });
}
const sessionShared = statement('catalogue_share_session', (db) => sharedSessionQuery(db, sql`${sql.placeholder('id')}`));

/**
 * `shareSession`'s query for a session the caller names by an SQL expression of its own (its
 * row's session, read in the same statement: one round trip), to build as its own named
 * statement; its row (`id`) says the session was there and is held.
 */
export const sharedSessionQuery = (db: DbOrTx, sessionId: SQL) => db.select({ id: courseSessions.id }).from(courseSessions).where(sql`${courseSessions.id} = ${sessionId}`).for('share');

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
