import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database';
import { frenchWeekdays } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { parisDateTime, type Clock } from '../../platform/clock';
import type { FieldError } from '../../ui/context';
import { fieldErrors } from '../../ui/forms';
import { applyCatalogue, catalogueChanged, changeOf, checkReferences, rowSchemas, type CatalogueFile, type CatalogueRows } from './catalogue.import';
import { courseSessions, courses, domains, registrationPeriods, schools, sessionSlots } from './catalogue.table';

/**
 * The catalogue's records one at a time, for the administrator's forms (issue 6): one period, school, course or session at a
 * time, with the very columns, checks and writing path of the CSV import
 * (docs/catalogue-import.md), so a form and a file can never disagree.
 */

const yesNo = (v: boolean) => (v ? 'oui' : 'non');
const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

/** One row of the catalogue as the import's columns (strings), to fill its form; null if unknown. */
export async function catalogueRecord(db: Db, file: CatalogueFile, code: string): Promise<Record<string, string> | null> {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(code)) return null;
  if (file === 'periods') {
    const [p] = await db.select().from(registrationPeriods).where(eq(registrationPeriods.code, code));
    return p
      ? { code: p.code, name: p.name, priority_opens_at: p.priorityOpensAt ? parisDateTime(p.priorityOpensAt) : '', applications_open_at: parisDateTime(p.applicationsOpenAt), applications_close_at: parisDateTime(p.applicationsCloseAt), answers_from: p.answersFrom, answers_until: p.answersUntil, assisted_places_until: p.assistedPlacesUntil ? parisDateTime(p.assistedPlacesUntil) : '' }
      : null;
  }
  if (file === 'schools') {
    const [s] = await db.select().from(schools).where(eq(schools.code, code));
    return s ? { code: s.code, name: s.name, arrondissement: s.arrondissement ? String(s.arrondissement) : '', area: s.area ?? '', address: s.address, postal_code: s.postalCode, city: s.city } : null;
  }
  if (file === 'courses') {
    const [row] = await db.select().from(courses).innerJoin(domains, eq(domains.id, courses.domainId)).where(eq(courses.code, code));
    if (!row) return null;
    const c = row.courses;
    const [previous] = c.previousCourseId ? await db.select({ code: courses.code }).from(courses).where(eq(courses.id, c.previousCourseId)) : [];
    return {
      code: c.code,
      title: c.title,
      domain: row.domains.name,
      objectives: c.objectives,
      audience: c.audience,
      prerequisites: c.prerequisites,
      programme: c.programme,
      level: c.level ?? '',
      previous_course: previous?.code ?? '',
      rhythm: c.rhythm,
      mode: c.mode,
      hourly_volume: String(c.hourlyVolume),
      full_rate: euros(c.fullRateCents),
      half_rate: euros(c.halfRateCents),
      prepares_diploma: yesNo(c.preparesDiploma),
      has_evaluation: yesNo(c.hasEvaluation),
      admission_test: c.admissionTest,
      ects_credits: c.ectsCredits === null ? '' : String(c.ectsCredits),
      semester: c.semester === null ? '' : String(c.semester),
    };
  }
  const [row] = await db
    .select({ s: courseSessions, course: courses.code, school: schools.code, period: registrationPeriods.code })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(eq(courseSessions.code, code));
  if (!row) return null;
  const slots = await db.select().from(sessionSlots).where(eq(sessionSlots.sessionId, row.s.id));
  return {
    code: row.s.code,
    course: row.course,
    school: row.school,
    period: row.period,
    trainer: row.s.trainerName ?? '',
    capacity: String(row.s.capacity),
    first_meeting: row.s.firstMeeting,
    last_meeting: row.s.lastMeeting,
    slots: slots
      .sort((a, b) => a.weekday - b.weekday || a.startsAt.localeCompare(b.startsAt))
      .map((x) => `${frenchWeekdays[x.weekday - 1]} ${x.startsAt.slice(0, 5)}-${x.endsAt.slice(0, 5)}`)
      .join('; '),
    runs_in_school_holidays: yesNo(row.s.runsInSchoolHolidays),
  };
}

/**
 * Saves one row from its form: the import's schema, then its reference checks, then its
 * upsert, in one transaction, with an audit row. `creating` refuses a code already taken.
 */
export async function saveCatalogueRecord(
  deps: { db: Db; clock: Clock },
  input: { adminId: string; file: CatalogueFile; record: Record<string, string>; creating: boolean },
): Promise<{ ok: true; code: string } | { ok: false; errors: Record<string, FieldError> }> {
  const parsed = rowSchemas[input.file].safeParse(input.record);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const row = parsed.data as { code: string };
  if (input.creating && (await catalogueRecord(deps.db, input.file, row.code))) return { ok: false, errors: { code: { message: 'admin.codeTaken' } } };
  const rows: CatalogueRows = { periods: [], schools: [], courses: [], sessions: [] };
  (rows[input.file] as unknown[]).push(parsed.data);
  const references = await checkReferences(deps.db, rows);
  if (references.length) return { ok: false, errors: Object.fromEntries(references.map((r) => [r.field, r.error])) };
  await deps.db.transaction(async (tx) => {
    await applyCatalogue(tx, rows);
    await audit(tx, deps.clock, { action: input.creating ? 'admin.catalogueCreated' : 'admin.catalogueUpdated', actorId: input.adminId, data: { file: input.file, record: input.record } });
    await catalogueChanged.emit(tx, changeOf(`${input.file}.${input.creating ? 'created' : 'updated'}`, rows, deps.clock.now()));
  });
  return { ok: true, code: row.code };
}

/** The codes and names of a kind, for the catalogue page's lists (periods and schools) and lookups. */
export async function catalogueList(db: Db, file: 'periods' | 'schools') {
  return file === 'periods'
    ? db.select({ code: registrationPeriods.code, name: registrationPeriods.name }).from(registrationPeriods).orderBy(registrationPeriods.applicationsOpenAt)
    : db.select({ code: schools.code, name: schools.name }).from(schools).orderBy(schools.code);
}
