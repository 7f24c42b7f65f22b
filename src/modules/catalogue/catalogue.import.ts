import { parse } from 'csv-parse/sync';
import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { admissionTests, frenchWeekdays, modes, rhythms, type Slot } from '../../domain/vocabulary';
import { courseSessions, courses, domains, registrationPeriods, schools, sessionSlots } from './catalogue.table';
import { checkCapacity, checkEquivalence, COMPUTER_ROOM_DOMAINS } from './catalogue.rules';
import { checkUnitCredits } from './credits.rules';
import { insertEquivalences } from './equivalences.service';
import { parisInstant, systemClock, type Clock } from '../../platform/clock';
import { createHook } from '../../platform/hooks';
import { translator } from '../../platform/i18n';
import { parseDateInput } from '../accounts';
import type { FieldError } from '../../ui/context';
import { issueError } from '../../ui/forms';

/**
 * Catalogue import from the spreadsheets the service keeps (format: docs/catalogue-import.md,
 * examples in docs/examples/). Four CSV files, each optional: periods, schools, courses,
 * sessions; and equivalences (SEL-7: pairs of equivalent courses, added, never removed). Rows
 * are matched by `code` (updated if known, created if not). A file with any bad
 * line is refused with every bad line reported, and nothing at all is written. The demo seed
 * writes its catalogue through `applyCatalogue` too.
 */

export type CatalogueFile = 'periods' | 'schools' | 'courses' | 'sessions';
/** SEL-7: besides the four files of records, `equivalences.csv` declares pairs of equivalent courses. */
export type ImportFile = CatalogueFile | 'equivalences';
export type ImportError = { file: ImportFile; line: number; message: string };

/** The import tool speaks English to the administrator's terminal; the web forms speak the page's language. */
const english = translator('en');
const inEnglish = (e: FieldError) => english(e.message, e.params);

const code = z.string({ error: 'cat.err.required' }).trim().regex(/^[A-Za-z0-9-]{1,60}$/, 'cat.err.code');
const text = (max: number) => z.string({ error: 'cat.err.required' }).trim().min(1, 'cat.err.required').max(max, 'cat.err.maxChars');
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'cat.err.maxChars')
    .optional()
    .transform((v) => v || null);
const isoDate = z.iso.date({ error: 'cat.err.date' });
/** An optional whole number (empty: null). */
const optionalNumber = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    if (/^\d{1,4}$/.test(v)) return Number(v);
    ctx.addIssue({ code: 'custom', message: 'cat.err.wholeNumber' });
    return z.NEVER;
  });
const yesNo = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((v, ctx) => {
    if (!v || ['non', 'no', '0', 'false'].includes(v)) return false;
    if (['oui', 'yes', '1', 'true'].includes(v)) return true;
    ctx.addIssue({ code: 'custom', message: 'cat.err.yesNo' });
    return z.NEVER;
  });
const euros = z
  .string({ error: 'cat.err.required' })
  .trim()
  .transform((v, ctx) => {
    const cleaned = v.replace(/\s|€/g, '').replace(',', '.');
    if (!/^\d{1,6}(\.\d{1,2})?$/.test(cleaned)) {
      ctx.addIssue({ code: 'custom', message: 'cat.err.euros' });
      return z.NEVER;
    }
    return Math.round(Number(cleaned) * 100);
  });
const wholeNumber = (min: number, max: number) =>
  z
    .string({ error: 'cat.err.required' })
    .trim()
    .regex(/^\d+$/, 'cat.err.wholeNumber')
    .transform(Number)
    .pipe(z.number().min(min, 'cat.err.atLeast').max(max, 'cat.err.atMost'));

/**
 * A date and time: ISO with its offset (2026-08-25T09:00:00+02:00), or as people write it,
 * on Paris's clocks (25/08/2026 09:00, 25/08/2026 9h). Becomes an ISO instant.
 */
const dateTime = z
  .string({ error: 'cat.err.required' })
  .trim()
  .transform((v, ctx) => {
    if (z.iso.datetime({ offset: true }).safeParse(v).success) return new Date(v).toISOString();
    const m = /^(.+?)\s+(\d{1,2})[:hH](\d{2})?$/.exec(v);
    const day = m ? parseDateInput(m[1]) : null;
    if (m && day && Number(m[2]) < 24 && Number(m[3] ?? 0) < 60) return parisInstant(day, `${m[2].padStart(2, '0')}:${m[3] ?? '00'}`).toISOString();
    ctx.addIssue({ code: 'custom', message: 'cat.err.datetime' });
    return z.NEVER;
  });

const periodRow = z
  .object({
    code,
    name: text(200),
    /** CERT-6: optional, before applications_open_at. */
    priority_opens_at: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), dateTime.optional()),
    applications_open_at: dateTime,
    applications_close_at: dateTime,
    answers_from: isoDate,
    answers_until: isoDate,
    /** SVC-5: optional, after applications_close_at (places are given after the close): until then the held share of places waits for assisted applications. */
    assisted_places_until: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), dateTime.optional()),
  })
  .refine((r) => new Date(r.applications_close_at) > new Date(r.applications_open_at), { message: 'cat.err.closeAfterOpen', path: ['applications_close_at'] })
  .refine((r) => !r.priority_opens_at || new Date(r.priority_opens_at) < new Date(r.applications_open_at), { message: 'cat.err.priorityBeforeOpen', path: ['priority_opens_at'] })
  .refine((r) => r.answers_until >= r.answers_from, { message: 'cat.err.answersOrder', path: ['answers_until'] })
  .refine((r) => !r.assisted_places_until || new Date(r.assisted_places_until) > new Date(r.applications_close_at), { message: 'cat.err.assistedAfterClose', path: ['assisted_places_until'] });

const schoolRow = z.object({
  code,
  name: text(200),
  arrondissement: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (Number.isInteger(n) && n >= 1 && n <= 20) return n;
      ctx.addIssue({ code: 'custom', message: 'cat.err.arrondissement' });
      return z.NEVER;
    }),
  area: optional(100),
  address: text(200),
  postal_code: z.string({ error: 'cat.err.required' }).trim().regex(/^\d{5}$/, 'cat.err.postalCode'),
  city: text(100),
});

const courseRow = z
  .object({
    code,
    title: text(200),
    domain: text(100),
    objectives: text(4000),
    audience: text(2000),
    prerequisites: text(2000),
    programme: text(8000),
    level: optional(50),
    previous_course: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null),
    rhythm: z.enum(rhythms, { error: 'cat.err.oneOf' }),
    mode: z.enum(modes, { error: 'cat.err.oneOf' }),
    hourly_volume: wholeNumber(1, 2000),
    full_rate: euros,
    half_rate: euros,
    prepares_diploma: yesNo,
    has_evaluation: yesNo,
    admission_test: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || 'none')
      .pipe(z.enum(admissionTests, { error: 'cat.err.oneOf' })),
    /** CRED-1: optional; a teaching unit's ECTS credits (4, 6, 8 or 12), checked against hourly_volume. */
    ects_credits: optionalNumber,
    /** CRED-2: with ects_credits, the unit's semester (1 or 2). */
    semester: optionalNumber,
  })
  .refine((r) => r.half_rate <= r.full_rate, { message: 'cat.err.halfRate', path: ['half_rate'] })
  .superRefine((r, ctx) => {
    // CRED-1: a unit has its credits, about 10 hours a credit, and its semester; a course without credits has no semester.
    if (r.ects_credits !== null) {
      const check = checkUnitCredits(r.ects_credits, r.hourly_volume);
      if (!check.ok) ctx.addIssue({ code: 'custom', path: [check.message === 'cred.err.creditsValue' ? 'ects_credits' : 'hourly_volume'], message: check.message, params: check.params });
      if (r.semester !== 1 && r.semester !== 2) ctx.addIssue({ code: 'custom', path: ['semester'], message: 'cred.err.semester' });
    } else if (r.semester !== null) ctx.addIssue({ code: 'custom', path: ['semester'], message: 'cred.err.semesterWithoutCredits' });
  });

const WEEKDAYS: Record<string, number> = Object.fromEntries(frenchWeekdays.map((day, i) => [day, i + 1]));

/** "lundi 18:30-20:30; jeudi 18:30-20:30" → slots. */
export function parseSlots(value: string): Slot[] | null {
  const parts = value.split(/[;\n]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0 || parts.length > 7) return null;
  const slots: Slot[] = [];
  for (const part of parts) {
    const m = /^(\S+)\s+(\d{1,2})[:h](\d{2})\s*[-–]\s*(\d{1,2})[:h](\d{2})$/i.exec(part);
    if (!m) return null;
    const weekday = WEEKDAYS[m[1].toLowerCase()] ?? (/^[1-7]$/.test(m[1]) ? Number(m[1]) : undefined);
    const startsAt = `${m[2].padStart(2, '0')}:${m[3]}`;
    const endsAt = `${m[4].padStart(2, '0')}:${m[5]}`;
    if (!weekday || startsAt >= endsAt || startsAt > '23:59' || endsAt > '23:59') return null;
    slots.push({ weekday, startsAt, endsAt });
  }
  return slots;
}

const sessionRow = z
  .object({
    code,
    course: code,
    school: code,
    period: code,
    trainer: optional(100),
    capacity: wholeNumber(1, 500),
    first_meeting: isoDate,
    last_meeting: isoDate,
    slots: z
      .string()
      .trim()
      .transform((v, ctx) => {
        const slots = parseSlots(v);
        if (slots) return slots;
        ctx.addIssue({ code: 'custom', message: 'cat.err.slots' });
        return z.NEVER;
      }),
    runs_in_school_holidays: yesNo,
  })
  .refine((r) => r.last_meeting >= r.first_meeting, { message: 'cat.err.lastMeeting', path: ['last_meeting'] });

/** SEL-7: two courses (codes) of the same level declared equivalent; the order does not matter. */
const equivalenceRow = z
  .object({ course: code, equivalent_course: code })
  .refine((r) => r.course !== r.equivalent_course, { message: 'cat.err.equivalentSelf', path: ['equivalent_course'] });

export type PeriodRow = z.output<typeof periodRow>;
export type SchoolRow = z.output<typeof schoolRow>;
/** CRED-1: a row written without the units' columns (the municipal seed, older callers) is a course, not a unit. */
export type CourseRow = Omit<z.output<typeof courseRow>, 'ects_credits' | 'semester'> & { ects_credits?: number | null; semester?: number | null };
export type SessionRow = z.output<typeof sessionRow>;
export type EquivalenceRow = z.output<typeof equivalenceRow>;
export interface CatalogueRows {
  periods: PeriodRow[];
  schools: SchoolRow[];
  courses: CourseRow[];
  sessions: SessionRow[];
  /** SEL-7: pairs added (a pair already declared is kept; the import never removes one). */
  equivalences?: EquivalenceRow[];
}

export const rowSchemas = { periods: periodRow, schools: schoolRow, courses: courseRow, sessions: sessionRow, equivalences: equivalenceRow };
const schemas = rowSchemas;

/** What makes two rows of a file the same row: its code; for a pair of courses, the pair in either order. */
const rowKey = (row: { code: string } | EquivalenceRow) => ('code' in row ? row.code : [row.course, row.equivalent_course].sort().join(' and '));

function parseFile<K extends ImportFile>(file: K, csv: string | undefined, errors: ImportError[]): z.output<(typeof schemas)[K]>[] {
  if (!csv) return [];
  let records: Record<string, string>[];
  try {
    // Spreadsheets in French save CSV with semicolons: the header line tells which.
    const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
    const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, delimiter });
  } catch (error) {
    errors.push({ file, line: 0, message: error instanceof Error ? error.message : String(error) });
    return [];
  }
  const rows: z.output<(typeof schemas)[K]>[] = [];
  const seen = new Set<string>();
  records.forEach((record, i) => {
    const line = i + 2; // the header is line 1
    const parsed = schemas[file].safeParse(record);
    if (!parsed.success) {
      errors.push({ file, line, message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${inEnglish(issueError(issue))}`).join('; ') });
      return;
    }
    const key = rowKey(parsed.data as { code: string } | EquivalenceRow);
    if (seen.has(key)) errors.push({ file, line, message: file === 'equivalences' ? `the pair ${key} appears twice in the file` : `code ${key} appears twice in the file` });
    seen.add(key);
    rows.push(parsed.data as z.output<(typeof schemas)[K]>);
  });
  return rows;
}

/** A reference to a code that exists neither in the files nor in the database. */
export type ReferenceError = { file: ImportFile; index: number; field: string; error: FieldError };

/**
 * Checks that every code a row refers to exists, in the files or in the database, and the rules
 * that need the row referred to: CAT-2, a computer course's sessions have no more places than
 * workstations (a session is checked against its course's domain; a course that becomes a
 * computer course, against its sessions already stored).
 */
export async function checkReferences(db: DbOrTx, rows: CatalogueRows): Promise<ReferenceError[]> {
  const errors: ReferenceError[] = [];
  const known = async (table: typeof courses | typeof schools | typeof registrationPeriods, codes: string[]) => {
    if (codes.length === 0) return new Set<string>();
    const found = await db.select({ code: table.code }).from(table).where(inArray(table.code, [...new Set(codes)]));
    return new Set(found.map((r) => r.code));
  };
  const equivalences = rows.equivalences ?? [];
  const courseCodes = new Set([
    ...rows.courses.map((c) => c.code),
    ...(await known(courses, [...rows.sessions.map((s) => s.course), ...rows.courses.flatMap((c) => (c.previous_course ? [c.previous_course] : [])), ...equivalences.flatMap((e) => [e.course, e.equivalent_course])])),
  ]);
  const schoolCodes = new Set([...rows.schools.map((s) => s.code), ...(await known(schools, rows.sessions.map((s) => s.school)))]);
  const periodCodes = new Set([...rows.periods.map((p) => p.code), ...(await known(registrationPeriods, rows.sessions.map((s) => s.period)))]);
  rows.courses.forEach((c, index) => {
    if (c.previous_course && !courseCodes.has(c.previous_course))
      errors.push({ file: 'courses', index, field: 'previous_course', error: { message: 'cat.err.unknownCourse', params: { code: c.previous_course } } });
  });
  rows.sessions.forEach((s, index) => {
    if (!courseCodes.has(s.course)) errors.push({ file: 'sessions', index, field: 'course', error: { message: 'cat.err.unknownCourse', params: { code: s.course } } });
    if (!schoolCodes.has(s.school)) errors.push({ file: 'sessions', index, field: 'school', error: { message: 'cat.err.unknownSchool', params: { code: s.school } } });
    if (!periodCodes.has(s.period)) errors.push({ file: 'sessions', index, field: 'period', error: { message: 'cat.err.unknownPeriod', params: { code: s.period } } });
  });

  // SEL-7: both courses known, and of the same level (the files' levels prevail over the database's).
  if (equivalences.length) {
    const levelOf = new Map<string, string | null>();
    const stored = equivalences.flatMap((e) => [e.course, e.equivalent_course]).filter((c) => courseCodes.has(c));
    if (stored.length) for (const r of await db.select({ code: courses.code, level: courses.level }).from(courses).where(inArray(courses.code, [...new Set(stored)]))) levelOf.set(r.code, r.level);
    for (const c of rows.courses) levelOf.set(c.code, c.level);
    equivalences.forEach((e, index) => {
      let known = true;
      for (const field of ['course', 'equivalent_course'] as const)
        if (!courseCodes.has(e[field])) {
          errors.push({ file: 'equivalences', index, field, error: { message: 'cat.err.unknownCourse', params: { code: e[field] } } });
          known = false;
        }
      if (!known) return;
      // The ids do not matter here (the codes differ: the row's schema says so).
      const check = checkEquivalence({ id: 1, level: levelOf.get(e.course) ?? null }, { id: 2, level: levelOf.get(e.equivalent_course) ?? null });
      if (!check.ok) errors.push({ file: 'equivalences', index, field: 'equivalent_course', error: { message: check.message } });
    });
  }

  // CAT-2: places and workstations.
  const domainOf = new Map(rows.courses.map((c) => [c.code, slugOf(c.domain)]));
  const storedCourses = [...new Set(rows.sessions.map((s) => s.course))].filter((c) => !domainOf.has(c));
  if (storedCourses.length)
    for (const r of await db.select({ code: courses.code, slug: domains.slug }).from(courses).innerJoin(domains, eq(domains.id, courses.domainId)).where(inArray(courses.code, storedCourses)))
      domainOf.set(r.code, r.slug);
  rows.sessions.forEach((s, index) => {
    const domainSlug = domainOf.get(s.course);
    if (domainSlug === undefined) return; // an unknown course, reported above
    const capacity = checkCapacity(s.capacity, { domainSlug });
    if (!capacity.ok) errors.push({ file: 'sessions', index, field: 'capacity', error: { message: 'cat.err.workstations', params: { max: capacity.max } } });
  });
  const becomingComputer = rows.courses.filter((c) => COMPUTER_ROOM_DOMAINS.includes(slugOf(c.domain)));
  if (becomingComputer.length) {
    const inFiles = new Set(rows.sessions.map((s) => s.code));
    const stored = await db
      .select({ course: courses.code, session: courseSessions.code, capacity: courseSessions.capacity })
      .from(courseSessions)
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .where(inArray(courses.code, becomingComputer.map((c) => c.code)))
      .orderBy(courseSessions.code);
    rows.courses.forEach((c, index) => {
      for (const s of stored) {
        if (s.course !== c.code || inFiles.has(s.session)) continue;
        const capacity = checkCapacity(s.capacity, { domainSlug: slugOf(c.domain) });
        if (capacity.ok) continue;
        errors.push({ file: 'courses', index, field: 'domain', error: { message: 'cat.err.workstationsSession', params: { session: s.session, capacity: s.capacity, max: capacity.max } } });
        break;
      }
    });
  }
  return errors;
}

/**
 * SVC-8: the catalogue changed by an import (one event per import, with its codes) or an
 * administrator's form (`periods.updated`…); heard in the transaction that writes it (the
 * webhooks module subscribes). The demo seed announces nothing.
 */
export const catalogueChanged = createHook<{ change: string; courseCodes: string[]; sessionCodes: string[]; at: Date }, Tx>();

/** What a write of these rows announces (`catalogueChanged`). */
export const changeOf = (change: string, rows: CatalogueRows, at: Date) => ({ change, courseCodes: rows.courses.map((c) => c.code), sessionCodes: rows.sessions.map((s) => s.code), at });

/**
 * Parses and checks the four files; when all is well, writes them in one transaction.
 * Returns the number of rows of each kind, or every error found.
 */
export async function importCatalogue(
  db: Db,
  files: Partial<Record<ImportFile, string>>,
  clock: Clock = systemClock,
): Promise<{ ok: true; counts: Record<CatalogueFile, number> & { equivalences?: number } } | { ok: false; errors: ImportError[] }> {
  const errors: ImportError[] = [];
  const rows: CatalogueRows = {
    periods: parseFile('periods', files.periods, errors),
    schools: parseFile('schools', files.schools, errors),
    courses: parseFile('courses', files.courses, errors),
    sessions: parseFile('sessions', files.sessions, errors),
    equivalences: parseFile('equivalences', files.equivalences, errors),
  };
  if (errors.length === 0) {
    const byLine = new Map<string, ImportError>();
    for (const r of await checkReferences(db, rows)) {
      const key = `${r.file}:${r.index}`;
      const text = `${r.field}: ${inEnglish(r.error)}`;
      const found = byLine.get(key);
      if (found) found.message += `; ${text}`;
      else byLine.set(key, { file: r.file, line: r.index + 2, message: text });
    }
    errors.push(...byLine.values());
  }
  if (errors.length) return { ok: false, errors };
  await db.transaction(async (tx) => {
    await applyCatalogue(tx, rows);
    await catalogueChanged.emit(tx, changeOf('import', rows, clock.now()));
  });
  return { ok: true, counts: { periods: rows.periods.length, schools: rows.schools.length, courses: rows.courses.length, sessions: rows.sessions.length, ...(files.equivalences !== undefined ? { equivalences: rows.equivalences?.length ?? 0 } : {}) } };
}

/** The address form of a domain name: "Langue française" → langue-francaise. */
export const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const chunks = <T,>(list: T[], size = 500) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** The `set` of an upsert that takes these columns from the row being inserted (`excluded.…`). */
function fromInserted<T extends PgTable>(table: T, keys: (keyof T['_']['columns'] & string)[]) {
  const columns = getTableColumns(table);
  return Object.fromEntries(keys.map((key) => [key, sql.raw(`excluded."${columns[key].name}"`)]));
}

/** Writes checked catalogue rows (upsert by code). Call it inside a transaction. */
export async function applyCatalogue(tx: Tx, rows: CatalogueRows): Promise<void> {
  for (const part of chunks(rows.periods))
    await tx
      .insert(registrationPeriods)
      .values(
        part.map((p) => ({
          code: p.code,
          name: p.name,
          priorityOpensAt: p.priority_opens_at ? new Date(p.priority_opens_at) : null,
          applicationsOpenAt: new Date(p.applications_open_at),
          applicationsCloseAt: new Date(p.applications_close_at),
          answersFrom: p.answers_from,
          answersUntil: p.answers_until,
          assistedPlacesUntil: p.assisted_places_until ? new Date(p.assisted_places_until) : null,
        })),
      )
      .onConflictDoUpdate({
        target: registrationPeriods.code,
        set: fromInserted(registrationPeriods, ['name', 'priorityOpensAt', 'applicationsOpenAt', 'applicationsCloseAt', 'answersFrom', 'answersUntil', 'assistedPlacesUntil']),
      });
  for (const part of chunks(rows.schools))
    await tx
      .insert(schools)
      .values(part.map((s) => ({ code: s.code, name: s.name, arrondissement: s.arrondissement, area: s.area, address: s.address, postalCode: s.postal_code, city: s.city })))
      .onConflictDoUpdate({
        target: schools.code,
        set: fromInserted(schools, ['name', 'arrondissement', 'area', 'address', 'postalCode', 'city']),
      });

  const domainNames = [...new Set(rows.courses.map((c) => c.domain))];
  if (domainNames.length)
    await tx
      .insert(domains)
      .values(domainNames.map((name) => ({ slug: slugOf(name), name })))
      .onConflictDoNothing({ target: domains.slug });
  const domainIds = new Map((await tx.select().from(domains)).map((d) => [d.slug, d.id]));
  for (const part of chunks(rows.courses))
    await tx
      .insert(courses)
      .values(
        part.map((c) => ({
          code: c.code,
          title: c.title,
          domainId: domainIds.get(slugOf(c.domain))!,
          objectives: c.objectives,
          audience: c.audience,
          prerequisites: c.prerequisites,
          programme: c.programme,
          level: c.level,
          rhythm: c.rhythm,
          mode: c.mode,
          hourlyVolume: c.hourly_volume,
          fullRateCents: c.full_rate,
          halfRateCents: c.half_rate,
          preparesDiploma: c.prepares_diploma,
          hasEvaluation: c.has_evaluation,
          admissionTest: c.admission_test,
          ectsCredits: c.ects_credits ?? null,
          semester: c.semester ?? null,
        })),
      )
      .onConflictDoUpdate({
        target: courses.code,
        set: fromInserted(courses, [
          'title',
          'domainId',
          'objectives',
          'audience',
          'prerequisites',
          'programme',
          'level',
          'rhythm',
          'mode',
          'hourlyVolume',
          'fullRateCents',
          'halfRateCents',
          'preparesDiploma',
          'hasEvaluation',
          'admissionTest',
          'ectsCredits',
          'semester',
        ]),
      });
  const withPrevious = rows.courses.filter((c) => c.previous_course);
  for (const c of withPrevious)
    await tx.execute(sql`update courses set previous_course_id = (select id from courses p where p.code = ${c.previous_course}) where code = ${c.code}`);

  const equivalences = rows.equivalences ?? [];
  if (equivalences.length) {
    const codes = [...new Set(equivalences.flatMap((e) => [e.course, e.equivalent_course]))];
    const idOf = new Map((await tx.select({ id: courses.id, code: courses.code }).from(courses).where(inArray(courses.code, codes))).map((r) => [r.code, r.id]));
    await insertEquivalences(tx, equivalences.map((e): [number, number] => [idOf.get(e.course)!, idOf.get(e.equivalent_course)!]), { declaredBy: null });
  }

  if (rows.sessions.length === 0) return;
  const ids = async (table: typeof courses | typeof schools | typeof registrationPeriods, codes: string[]) =>
    new Map((await tx.select({ id: table.id, code: table.code }).from(table).where(inArray(table.code, [...new Set(codes)]))).map((r) => [r.code, r.id]));
  const courseIds = await ids(courses, rows.sessions.map((s) => s.course));
  const schoolIds = await ids(schools, rows.sessions.map((s) => s.school));
  const periodIds = await ids(registrationPeriods, rows.sessions.map((s) => s.period));
  for (const part of chunks(rows.sessions, 1000)) {
    const saved = await tx
      .insert(courseSessions)
      .values(
        part.map((s) => ({
          code: s.code,
          courseId: courseIds.get(s.course)!,
          schoolId: schoolIds.get(s.school)!,
          periodId: periodIds.get(s.period)!,
          trainerName: s.trainer,
          capacity: s.capacity,
          firstMeeting: s.first_meeting,
          lastMeeting: s.last_meeting,
          runsInSchoolHolidays: s.runs_in_school_holidays,
        })),
      )
      .onConflictDoUpdate({
        target: courseSessions.code,
        set: fromInserted(courseSessions, ['courseId', 'schoolId', 'periodId', 'trainerName', 'capacity', 'firstMeeting', 'lastMeeting', 'runsInSchoolHolidays']),
      })
      .returning({ id: courseSessions.id, code: courseSessions.code });
    const idOf = new Map(saved.map((r) => [r.code, r.id]));
    await tx.delete(sessionSlots).where(inArray(sessionSlots.sessionId, saved.map((r) => r.id)));
    await tx.insert(sessionSlots).values(part.flatMap((s) => s.slots.map((slot) => ({ sessionId: idOf.get(s.code)!, ...slot }))));
  }
}
