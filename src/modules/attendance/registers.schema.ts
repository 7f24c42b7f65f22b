import { z } from 'zod';
import { attendanceMarks, catalogueCode, type AttendanceMark } from '../../domain/vocabulary';
import { isUuid } from '../../platform/input';
import type { FieldError, FormState } from '../../ui/context';
import { invalidCharacters, multiline, typedValues } from '../../ui/forms';

/**
 * The register's forms (ATT-1). A register has one group of fields per learner, named by the
 * application's id: the mark (`mark_<id>`) and the minutes missed (`missed_<id>`); the hidden
 * `learners` field lists the learners the page showed, so that one left unmarked is told so; the
 * hidden `seen_<id>` holds the id of the entry the page showed for the learner (0: none), so that
 * a mark someone else saved meanwhile is not overwritten.
 */

/** A meeting's id in a path: a positive integer that fits PostgreSQL's integer (else the 404 page). */
export const meetingId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, 'too large');
export const sessionParams = z.object({ code: z.string().regex(catalogueCode) });
export const meetingParams = z.object({ code: z.string().regex(catalogueCode), meeting: meetingId });
/** The staff's redirects: `?message=saved`; the "everyone present" button: `?tous=presents`. */
export const registerQuery = z.object({ message: z.literal('saved').optional(), tous: z.literal('presents').optional() });
export const meetingsQuery = z.object({ message: z.literal('cancelled').optional() });

export const markField = (applicationId: string) => `mark_${applicationId}`;
export const missedField = (applicationId: string) => `missed_${applicationId}`;
export const seenField = (applicationId: string) => `seen_${applicationId}`;
/** The marks that take the minutes missed. */
export const takesMinutes = (mark: AttendanceMark) => mark === 'late' || mark === 'left_early';

export interface MarkInput {
  applicationId: string;
  mark: AttendanceMark;
  /** For a late arrival or an early leaving: the minutes missed (0 for the other marks). */
  minutesMissed: number;
  /** The id of the learner's entry the form showed (0 or absent: none): see the service's conflicts. */
  seenEntryId?: number;
}
export interface RegisterForm {
  /** The form's submission token (made when the page was drawn): a register is saved once per token. */
  token: string;
  marks: MarkInput[];
}

const MAX_LEARNERS = 1000;
const markSchema = z.enum(attendanceMarks);
const minutesSchema = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/)
  .transform(Number);

/**
 * Reads a register's form: the token, then for each learner listed (and any other mark sent) the
 * mark and, for a late arrival or an early leaving, the minutes missed as a whole number. The
 * range of the minutes (0 to the meeting's length) is the service's check. On failure, the
 * form again with what was typed and each message next to its field.
 */
export function parseRegisterForm(body: unknown): { ok: true; data: RegisterForm } | { ok: false; form: FormState } {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const errors: Record<string, FieldError> = {};
  const invalid = invalidCharacters(fields);
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  const token = text('token');
  const listed = (text('learners') ?? '').split(/\s+/).filter(Boolean);
  const sent = Object.keys(fields).flatMap((k) => (k.startsWith('mark_') ? [k.slice(5)] : []));
  const ids = [...new Set([...listed, ...sent])];
  if (!token || !isUuid(token) || invalid.token || invalid.learners || ids.length > MAX_LEARNERS || ids.some((id) => !isUuid(id))) errors._form = { message: 'att.register.error.token' };
  const seen = new Map<string, number>();
  if (!errors._form)
    for (const applicationId of ids) {
      const value = fields[seenField(applicationId)];
      if (value === undefined) continue;
      if (typeof value === 'string' && /^\d{1,15}$/.test(value)) seen.set(applicationId, Number(value));
      else errors._form = { message: 'att.register.error.token' };
    }
  const seenOf = (applicationId: string) => (seen.has(applicationId) ? { seenEntryId: seen.get(applicationId)! } : {});
  const marks: MarkInput[] = [];
  if (!errors._form) {
    for (const applicationId of ids) {
      const markName = markField(applicationId);
      const missedName = missedField(applicationId);
      if (invalid[markName] || invalid[missedName]) {
        if (invalid[markName]) errors[markName] = invalid[markName];
        if (invalid[missedName]) errors[missedName] = invalid[missedName];
        continue;
      }
      const mark = markSchema.safeParse(fields[markName]);
      if (!mark.success) {
        errors[markName] = { message: 'att.register.error.mark' };
        continue;
      }
      if (!takesMinutes(mark.data)) {
        marks.push({ applicationId, mark: mark.data, minutesMissed: 0, ...seenOf(applicationId) });
        continue;
      }
      const typed = text(missedName)?.trim() ?? '';
      if (typed === '') {
        errors[missedName] = { message: 'att.register.error.missedRequired' };
        continue;
      }
      const minutes = minutesSchema.safeParse(typed);
      if (!minutes.success) errors[missedName] = { message: 'att.register.error.missedNumber' };
      else marks.push({ applicationId, mark: mark.data, minutesMissed: minutes.data, ...seenOf(applicationId) });
    }
  }
  if (Object.keys(errors).length) return { ok: false, form: { values: typedValues(fields), errors } };
  return { ok: true, data: { token: token!, marks } };
}

/** The service cancels a meeting, with its reason. */
export const cancelSchema = z.object({
  meeting: z
    .string({ error: 'field.invalidChoice' })
    .regex(/^[1-9]\d{0,9}$/, 'field.invalidChoice')
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, 'field.invalidChoice'),
  reason: multiline(z.string({ error: 'att.meetings.error.reason' }).trim().min(1, 'att.meetings.error.reason').max(500, 'field.tooLong')),
});
