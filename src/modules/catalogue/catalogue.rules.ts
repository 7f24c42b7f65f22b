import { modes, rhythms, timesOfDay, type Mode, type Rhythm, type Slot, type TimeOfDay } from '../../domain/vocabulary';

/**
 * Pure catalogue rules (SPEC CAT): meeting dates, time-of-day slots, search filters. No I/O.
 */

export interface ClosedDays {
  kind: 'public' | 'school';
  startsOn: string; // inclusive ISO dates
  endsOn: string;
}

export interface Meeting {
  date: string;
  startsAt: string;
  endsAt: string;
}

const DAY_MS = 86_400_000;
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (date: Date) => date.toISOString().slice(0, 10);
const isoWeekday = (date: Date) => ((date.getUTCDay() + 6) % 7) + 1;
const hhmm = (time: string) => time.slice(0, 5);
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * CAT-7: the meetings of a session, from its weekdays and first and last dates, without public
 * holidays (Whit Monday included: it is in the public-holiday data) and, unless the session runs
 * during them, without school holidays.
 */
export function meetingDates(session: {
  firstMeeting: string;
  lastMeeting: string;
  slots: readonly Slot[];
  closedDays: readonly ClosedDays[];
  runsInSchoolHolidays: boolean;
}): Meeting[] {
  const closed = session.closedDays.filter((c) => c.kind === 'public' || !session.runsInSchoolHolidays);
  const isClosed = (iso: string) => closed.some((c) => iso >= c.startsOn && iso <= c.endsOn);
  const slots = [...session.slots].sort((a, b) => a.weekday - b.weekday || a.startsAt.localeCompare(b.startsAt));
  const meetings: Meeting[] = [];
  const last = toDate(session.lastMeeting).getTime();
  for (let t = toDate(session.firstMeeting).getTime(); t <= last; t += DAY_MS) {
    const day = new Date(t);
    const iso = toIso(day);
    const todays = slots.filter((s) => s.weekday === isoWeekday(day));
    if (todays.length === 0 || isClosed(iso)) continue;
    for (const slot of todays) meetings.push({ date: iso, startsAt: hhmm(slot.startsAt), endsAt: hhmm(slot.endsAt) });
  }
  return meetings;
}

/** Hours taught by a list of meetings. */
export function meetingHours(meetings: readonly Meeting[]): number {
  return meetings.reduce((total, m) => total + (minutes(m.endsAt) - minutes(m.startsAt)), 0) / 60;
}

/**
 * CAT-7: a session's meetings must add up to its course's hourly volume; a session off by more
 * than the tolerance (default: one meeting's worth, at most 10 %) is reported by the data check.
 */
export function checkHourlyVolume(
  meetings: readonly Meeting[],
  hourlyVolume: number,
): { ok: true; hours: number } | { ok: false; code: 'CAT-7'; hours: number; expected: number } {
  const hours = meetingHours(meetings);
  const tolerance = Math.max(hourlyVolume * 0.1, meetings.length ? meetingHours(meetings.slice(0, 1)) : 0);
  return Math.abs(hours - hourlyVolume) <= tolerance ? { ok: true, hours } : { ok: false, code: 'CAT-7', hours, expected: hourlyVolume };
}

// ---------------------------------------------------------------------------------------------
// Capacity (CAT-2)

/**
 * CAT-2 and the FAQ ("Les cours d'informatique comprennent 15 auditeurs, 1 par poste
 * informatique"): the computer courses, those of these domains (by address slug), are taught in
 * rooms of 15 workstations, one learner each.
 */
export const COMPUTER_ROOM_DOMAINS: readonly string[] = ['bureautique-et-internet', 'metiers-de-l-informatique'];
export const COMPUTER_ROOM_WORKSTATIONS = 15;

/**
 * CAT-2: a session of a computer course has no more places than the room has workstations (15).
 * "Usually 20–25" for other courses is how sessions are usually sized, not a limit: any capacity
 * the import accepts (1 to 500) stays allowed for them.
 */
export function checkCapacity(capacity: number, course: { domainSlug: string }): { ok: true } | { ok: false; code: 'CAT-2'; max: number } {
  if (COMPUTER_ROOM_DOMAINS.includes(course.domainSlug) && capacity > COMPUTER_ROOM_WORKSTATIONS) return { ok: false, code: 'CAT-2', max: COMPUTER_ROOM_WORKSTATIONS };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Time of day (CAT-4): "journée, matin, après-midi, soirée"

/** The time-of-day bands, as [start from, start before, end after, end by] in HH:MM (null: any). */
export const timeOfDayBands: Record<TimeOfDay, { startFrom?: string; startBefore?: string; endAfter?: string; endBy?: string }> = {
  /** A full day: starts in the morning and goes on into the afternoon. */
  day: { startBefore: '12:00', endAfter: '14:00' },
  morning: { startBefore: '12:00', endBy: '14:00' },
  afternoon: { startFrom: '12:00', startBefore: '18:00' },
  evening: { startFrom: '18:00' },
};

export function timeOfDay(slot: Pick<Slot, 'startsAt' | 'endsAt'>): TimeOfDay {
  const start = hhmm(slot.startsAt);
  const end = hhmm(slot.endsAt);
  for (const band of timesOfDay) {
    const b = timeOfDayBands[band];
    if (b.startFrom && start < b.startFrom) continue;
    if (b.startBefore && start >= b.startBefore) continue;
    if (b.endAfter && end <= b.endAfter) continue;
    if (b.endBy && end > b.endBy) continue;
    return band;
  }
  return 'afternoon';
}

// ---------------------------------------------------------------------------------------------
// Search (CAT-3, CAT-4)

/** Same folding as the database's `cursus_fold` (lower case, no accents), for keywords. */
export function foldText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

/** CAT-4's slot keys (`session_search.slot_keys`) a day and time filter accepts: any of them on one slot. */
export function slotKeysOf(weekdays: readonly number[], times: readonly TimeOfDay[]): number[] {
  const bands = times.map((t) => timesOfDay.indexOf(t) + 1);
  if (weekdays.length && bands.length) return weekdays.flatMap((w) => bands.map((b) => w * 10 + b));
  if (weekdays.length) return weekdays.map((w) => w * 10);
  return bands.map((b) => 100 + b);
}

export const MAX_KEYWORDS_LENGTH = 200;
const MAX_TERMS = 8;

/** Keywords → folded terms, each matched as part of a title; at most 8 terms of the first 200 characters. */
export function keywordTerms(q: string): string[] {
  return foldText(q.slice(0, MAX_KEYWORDS_LENGTH))
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_TERMS);
}

/** A term as a LIKE pattern matching it anywhere, with LIKE's own characters escaped. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const PAGE_SIZE = 20;
export const MAX_PAGE = 500;

export interface SearchFilters {
  q: string;
  onlyOpen: boolean;
  domain?: string;
  period?: string;
  rhythm?: Rhythm;
  mode?: Mode;
  weekdays: number[];
  times: TimeOfDay[];
  arrondissement?: number;
  school?: string;
  /** SVC-8's API only: one course's sessions, one session (the search page has no such filter). */
  course?: string;
  session?: string;
  page: number;
}

const first = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
const all = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const code = (value: unknown) => {
  const v = first(value)?.trim();
  return v && /^[a-z0-9-]{1,60}$/i.test(v) ? v : undefined;
};

/**
 * CAT-4: the filters from a query string as anyone may type it. Unknown or malformed values are
 * dropped (the page shows results without them), never an error; the page is clamped.
 */
export function parseFilters(query: Record<string, unknown>): SearchFilters {
  const rhythm = first(query.rythme);
  const mode = first(query.mode);
  const arrondissement = Number(first(query.arrondissement));
  const page = Number(first(query.page));
  const weekdays = [...new Set(all(query.jour).map(Number))].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7).sort();
  const times = [...new Set(all(query.horaire))].filter((t): t is TimeOfDay => (timesOfDay as readonly string[]).includes(t));
  const arr = Number.isInteger(arrondissement) && arrondissement >= 1 && arrondissement <= 20 ? arrondissement : undefined;
  return {
    q: (first(query.q) ?? '').slice(0, MAX_KEYWORDS_LENGTH).trim(),
    onlyOpen: first(query.ouvertes) === '1',
    domain: code(query.domaine),
    period: code(query.periode),
    rhythm: (rhythms as readonly string[]).includes(rhythm ?? '') ? (rhythm as Rhythm) : undefined,
    mode: (modes as readonly string[]).includes(mode ?? '') ? (mode as Mode) : undefined,
    weekdays,
    times,
    arrondissement: arr,
    // CAT-4: the school list follows the arrondissement; a school needs one.
    school: arr ? code(query.etablissement) : undefined,
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** The query string of a set of filters (for links: pagination, bookmarks), in a stable order. */
export function filtersQuery(filters: SearchFilters, overrides: Partial<SearchFilters> = {}): string {
  const f = { ...filters, ...overrides };
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.onlyOpen) params.set('ouvertes', '1');
  if (f.domain) params.set('domaine', f.domain);
  if (f.period) params.set('periode', f.period);
  if (f.rhythm) params.set('rythme', f.rhythm);
  if (f.mode) params.set('mode', f.mode);
  for (const d of f.weekdays) params.append('jour', String(d));
  for (const t of f.times) params.append('horaire', t);
  if (f.arrondissement) params.set('arrondissement', String(f.arrondissement));
  if (f.school) params.set('etablissement', f.school);
  if (f.page > 1) params.set('page', String(f.page));
  return params.toString();
}

/** CAT-3, CAT-6: a period is open for applications between its window's bounds. */
export function periodState(period: { applicationsOpenAt: Date; applicationsCloseAt: Date }, now: Date): 'upcoming' | 'open' | 'closed' {
  if (now < period.applicationsOpenAt) return 'upcoming';
  return now < period.applicationsCloseAt ? 'open' : 'closed';
}

/** SEL-6: free places: the capacity less the places held (never below zero). The one formula. */
export function freePlaces(capacity: number, held: number | undefined): number {
  return Math.max(0, capacity - (held ?? 0));
}

/**
 * SEL-7: may these two courses be declared equivalent? Never a course with itself; and, when
 * both record a level (CAT-1's free-text `level`), the same level (case and spaces aside). A
 * course without a level says nothing against it: whoever declares the pair vouches for it.
 */
export function checkEquivalence(
  a: { id: number; level: string | null },
  b: { id: number; level: string | null },
): { ok: true } | { ok: false; code: 'SEL-7'; message: 'cat.err.equivalentSelf' | 'cat.err.equivalentLevel' } {
  if (a.id === b.id) return { ok: false, code: 'SEL-7', message: 'cat.err.equivalentSelf' };
  const level = (l: string | null) => l?.trim().toLowerCase() || null;
  if (level(a.level) && level(b.level) && level(a.level) !== level(b.level)) return { ok: false, code: 'SEL-7', message: 'cat.err.equivalentLevel' };
  return { ok: true };
}

/** SEL-7: a pair as stored (the smaller id first), whichever order it was declared in. */
export const equivalencePair = (a: number, b: number): [number, number] => (a < b ? [a, b] : [b, a]);
