import { z } from 'zod';
import { admissionTests, catalogueCode, modes, rhythms, timesOfDay } from '../../domain/vocabulary';
import { MAX_KEYWORDS_LENGTH } from '../catalogue';

/**
 * SVC-8: the public API's zod schemas. They validate what the API reads (query strings, path
 * parameters) and describe what it answers, and the OpenAPI document is generated from them
 * (`api.openapi.ts`): one source. Response schemas never `.transform()` (a transform has no JSON
 * Schema); query schemas may, since the document shows what a client sends (their input).
 */

/** The components of the OpenAPI document: every response schema registered here under its name. */
export const apiComponents = z.registry<{ id: string }>();

// ---- What a client sends ------------------------------------------------------------------------

const CONTROL = /[\u0000-\u001f\u007f]/;

/** What each parameter expects, in words (the problem's detail says it, in the client's language). */
export type Expected = 'code' | 'text' | 'choice' | 'weekdays' | 'times' | 'arrondissement' | 'boolean' | 'limit' | 'cursor';

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
const MAX_CURSOR_LENGTH = 1_000;

const code = (description: string) => z.string().regex(catalogueCode).describe(`${description} Letters, digits and hyphens, 1 to 60 characters.`);
const list = <T extends string>(values: readonly T[]) => new RegExp(`^(?:${values.join('|')})(?:,(?:${values.join('|')}))*$`);

/** A parameter: its schema (optional: every filter may be left out) and what it expects. */
const param = <S extends z.ZodType>(schema: S, expected: Expected, choices?: readonly string[]) => ({ schema: schema.optional(), expected, choices });

/** The catalogue's filters (CAT-3, CAT-4), as the search page offers them. */
const filterParams = {
  q: param(
    z
      .string()
      .max(MAX_KEYWORDS_LENGTH)
      .refine((v) => !CONTROL.test(v), 'control characters')
      .describe(`Keywords: every word must appear in the course title (accents and case ignored). At most ${MAX_KEYWORDS_LENGTH} characters.`),
    'text',
  ),
  domain: param(code('A domain, by its slug (see /domains).'), 'code'),
  period: param(code('A registration period, by its code (see /periods).'), 'code'),
  rhythm: param(z.enum(rhythms).describe('The course rhythm.'), 'choice', rhythms),
  mode: param(z.enum(modes).describe('How the session is taught (its own mode when the service changed it).'), 'choice', modes),
  weekdays: param(
    z
      .string()
      .regex(/^[1-7](?:,[1-7]){0,6}$/)
      .transform((v) => [...new Set(v.split(',').map(Number))].sort())
      .describe('ISO weekdays separated by commas (1 = Monday … 7 = Sunday): sessions meeting on at least one of them.'),
    'weekdays',
  ),
  times: param(
    z
      .string()
      .regex(list(timesOfDay))
      .transform((v) => [...new Set(v.split(','))] as (typeof timesOfDay)[number][])
      .describe(`Times of day separated by commas (${timesOfDay.join(', ')}): sessions with a weekly slot in at least one of them.`),
    'times',
    timesOfDay,
  ),
  arrondissement: param(
    z
      .string()
      .regex(/^(?:[1-9]|1\d|20)$/)
      .transform(Number)
      .describe('A Paris arrondissement, 1 to 20.'),
    'arrondissement',
  ),
  school: param(code('A school, by its code (see /schools).'), 'code'),
  course: param(code('One course’s sessions, by the course code.'), 'code'),
  open: param(
    z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .describe('`true`: only sessions whose period takes applications now.'),
    'boolean',
    ['true', 'false'],
  ),
};

const windowParams = {
  limit: param(
    z
      .string()
      .regex(/^\d{1,3}$/)
      .transform(Number)
      .pipe(z.int().min(1).max(MAX_LIMIT))
      .describe(`How many items in one page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}). A larger number is refused (400), not clamped.`),
    'limit',
  ),
  cursor: param(
    z
      .string()
      .max(MAX_CURSOR_LENGTH)
      .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
      .describe('Opaque: the `next` of the previous page. Valid only with the same filters; a cursor changed by hand is refused (400).'),
    'cursor',
  ),
};

/** The parameters of each list, by name: the routes parse with them, the document lists them. */
export const sessionsParams = { ...filterParams, ...windowParams };
export const coursesParams = { q: filterParams.q, domain: filterParams.domain, ...windowParams };
export const noParams = {};
export type Params = Record<string, ReturnType<typeof param>>;

/** A code in a path (`/sessions/{code}`): anything else is a 404. */
export const pathCode = z.string().regex(catalogueCode);

// ---- What the API answers ----------------------------------------------------------------------

const isoDate = z.iso.date().describe('A day, YYYY-MM-DD (Paris).');
const instant = z.iso.datetime().describe('An instant, ISO 8601 in UTC.');
const hhmm = z.string().regex(/^\d{2}:\d{2}$/);

export const domainSchema = z
  .object({ slug: z.string().describe('The filter `domain` takes it.'), name: z.string() })
  .describe('A domain of courses.')
  .register(apiComponents, { id: 'Domain' });

export const periodStates = ['upcoming', 'open', 'closed'] as const;

export const periodSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    state: z.enum(periodStates).describe('Whether the period takes applications now (CAT-6).'),
    priorityOpensAt: instant.nullable().describe('When a priority window opens before the public one (learners who passed the level below), if any.'),
    applicationsOpenAt: instant,
    applicationsCloseAt: instant,
    answersFrom: isoDate,
    answersUntil: isoDate,
  })
  .describe('A registration period: its application window and its answer window.')
  .register(apiComponents, { id: 'Period' });

export const schoolSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    arrondissement: z.int().min(1).max(20).nullable().describe('Paris arrondissement; null outside Paris (then `area`).'),
    area: z.string().nullable(),
    address: z.string(),
    postalCode: z.string(),
    city: z.string(),
  })
  .describe('A school where sessions take place.')
  .register(apiComponents, { id: 'School' });

export const slotSchema = z
  .object({
    weekday: z.int().min(1).max(7).describe('ISO weekday, 1 = Monday.'),
    startsAt: hhmm,
    endsAt: hhmm,
    timeOfDay: z.enum(timesOfDay),
  })
  .describe('A weekly slot.')
  .register(apiComponents, { id: 'Slot' });

export const meetingSchema = z.object({ date: isoDate, startsAt: hhmm, endsAt: hhmm }).describe('One meeting (CAT-7: the weekly slots between the first and last dates, less public holidays and, unless the session runs in them, school holidays).').register(apiComponents, { id: 'Meeting' });

export const sessionSchema = z
  .object({
    code: z.string(),
    course: z.object({ code: z.string(), title: z.string(), objectives: z.string(), href: z.string().describe('The course in this API.') }),
    domain: domainSchema,
    school: z.object({ code: z.string(), name: z.string(), arrondissement: z.int().min(1).max(20).nullable(), area: z.string().nullable() }),
    period: z.object({ code: z.string(), name: z.string(), state: z.enum(periodStates), applicationsOpenAt: instant, applicationsCloseAt: instant }),
    rhythm: z.enum(rhythms),
    mode: z.enum(modes),
    capacity: z.int().min(1),
    freePlaces: z.int().min(0).describe('Places neither held by an accepted or enrolled learner nor offered from a waiting list (SEL-6): the figure the course sheet shows.'),
    cancelled: z.boolean().describe('Cancelled by the service (SVC-2): shown, no longer open to applications.'),
    firstMeeting: isoDate,
    lastMeeting: isoDate,
    runsInSchoolHolidays: z.boolean(),
    slots: z.array(slotSchema),
    meetings: z.array(meetingSchema),
    href: z.string().describe('This session in this API.'),
    page: z.string().describe('The course sheet on the site.'),
  })
  .describe('A session of a course: where, when, and its free places.')
  .register(apiComponents, { id: 'Session' });

export const courseSchema = z
  .object({
    code: z.string(),
    title: z.string(),
    domain: domainSchema,
    objectives: z.string(),
    audience: z.string(),
    prerequisites: z.string(),
    programme: z.string(),
    level: z.string().nullable(),
    previousCourse: z.string().nullable().describe('The code of the course of the level before, if any.'),
    rhythm: z.enum(rhythms),
    mode: z.enum(modes),
    hourlyVolume: z.int().min(1).describe('Hours of teaching.'),
    fullRateCents: z.int().min(0).describe('Full rate, in euro cents.'),
    halfRateCents: z.int().min(0).describe('Half rate, in euro cents.'),
    preparesDiploma: z.boolean(),
    hasEvaluation: z.boolean().describe('The course ends with an evaluation test.'),
    admissionTest: z.enum(admissionTests),
    href: z.string(),
    sessions: z.string().describe('Its sessions in this API.'),
    page: z.string().describe('The course sheet on the site.'),
  })
  .describe('A course (the catalogue sheet).')
  .register(apiComponents, { id: 'Course' });

const links = z.object({ self: z.string(), next: z.string().nullable().describe('The next page, or null on the last one.') });
const pageOf = <S extends z.ZodType>(item: S, id: string, what: string) =>
  z
    .object({ data: z.array(item), next: z.string().nullable().describe('The cursor of the next page, or null on the last one.'), links })
    .describe(`One page of ${what}.`)
    .register(apiComponents, { id });
const listOf = <S extends z.ZodType>(item: S, id: string, what: string) => z.object({ data: z.array(item) }).describe(`Every ${what}.`).register(apiComponents, { id });

export const sessionPageSchema = pageOf(sessionSchema, 'SessionPage', 'sessions');
export const coursePageSchema = pageOf(courseSchema, 'CoursePage', 'courses');
export const domainListSchema = listOf(domainSchema, 'DomainList', 'domain');
export const periodListSchema = listOf(periodSchema, 'PeriodList', 'registration period');
export const schoolListSchema = listOf(schoolSchema, 'SchoolList', 'school');

export const problemTypes = ['invalid-parameter', 'unknown-parameter', 'repeated-parameter', 'invalid-cursor', 'not-found', 'method-not-allowed', 'bad-request', 'rate-limited', 'unavailable', 'server-error'] as const;
export type ProblemType = (typeof problemTypes)[number];

export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem (one of the reference page’s sections).'),
    title: z.string(),
    status: z.int(),
    detail: z.string().describe('What to change, in the language asked for (Accept-Language: fr or en).'),
    instance: z.string().describe('The request’s id, to quote when asking for help.'),
    parameter: z.string().optional().describe('The query parameter at fault.'),
  })
  .describe('An error (RFC 9457 problem details), sent as application/problem+json.')
  .register(apiComponents, { id: 'Problem' });

export type ApiSession = z.output<typeof sessionSchema>;
export type ApiCourse = z.output<typeof courseSchema>;
export type ApiPeriod = z.output<typeof periodSchema>;
export type ApiSchool = z.output<typeof schoolSchema>;
export type ApiDomain = z.output<typeof domainSchema>;
export type Problem = z.output<typeof problemSchema>;
