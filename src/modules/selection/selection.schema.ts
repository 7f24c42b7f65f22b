import { z } from 'zod';
import { parseDateInput } from '../accounts';
import { attendances, convocationKinds, moveReasons } from '../../domain/vocabulary';
import { multiline } from '../../ui/forms';
import { publicAdjustmentReasons } from './explain.rules';

/** The staff forms of selection; messages are message keys, shown next to the field. */

/** SEL-2: a mark out of 20, with one decimal at most, written 12,5 or 12.5. */
export const evaluationSchema = z.object({
  mark: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .regex(/^\d{1,2}([.,]\d)?$/, 'sel.error.mark')
    .transform((v) => Number(v.replace(',', '.')))
    .refine((v) => v >= 0 && v <= 20, 'sel.error.mark'),
});

/** SEL-2, SEL-12: an adjustment of the ranking, in points, with the reason the learner reads and staff's own (audited). */
export const adjustmentSchema = z.object({
  publicReason: z.enum(publicAdjustmentReasons, { error: 'sel.error.publicReason' }),
  points: z
    .string({ error: 'field.required' })
    .trim()
    .regex(/^[+-]?\d{1,2}$/, 'sel.error.points')
    .transform(Number)
    .refine((v) => v !== 0 && v >= -20 && v <= 20, 'sel.error.points'),
  reason: multiline(z.string({ error: 'field.required' }).trim().min(1, 'sel.error.reason').max(500, 'field.tooLong')),
});

/** SEL-3: a convocation to a test or interview, for every applicant not yet decided. */
export const convocationSchema = z.object({
  kind: z.enum(convocationKinds, { error: 'field.invalidChoice' }),
  date: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .max(40)
    .transform((v, ctx) => parseDateInput(v) ?? (ctx.addIssue({ code: 'custom', message: 'sel.error.date' }), z.NEVER)),
  time: z
    .string({ error: 'field.required' })
    .trim()
    .regex(/^([01]?\d|2[0-3])[:hH.]([0-5]\d)$/, 'sel.error.time')
    .transform((v) => {
      const [, h, m] = /^(\d{1,2})[:hH.](\d{2})$/.exec(v)!;
      return `${h.padStart(2, '0')}:${m}`;
    }),
  place: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(300, 'field.tooLong'),
  /** SVC-7: the length, for the calendar file (empty: the kind's default). */
  minutes: z
    .string({ error: 'sel.error.minutes' })
    .trim()
    .max(10, 'sel.error.minutes')
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      if (!/^\d{1,3}$/.test(v) || Number(v) < 5 || Number(v) > 600) return (ctx.addIssue({ code: 'custom', message: 'sel.error.minutes' }), z.NEVER);
      return Number(v);
    }),
});

/** SEL-4: attendance at the convocation. */
export const attendanceSchema = z.object({ attendance: z.enum(attendances, { error: 'field.invalidChoice' }) });

/** SEL-10: the learner's request, recorded by the school head. */
export const changeRequestSchema = z.object({ note: multiline(z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(1000, 'field.tooLong')) });

/** SEL-5, SEL-10: the session an application moves to. */
export const moveSchema = z.object({
  session: z.string({ error: 'sel.error.session' }).trim().regex(/^[A-Za-z0-9-]{1,60}$/, 'sel.error.session'),
  motif: z.enum(moveReasons, { error: 'field.invalidChoice' }),
});

/** SEL-1: the coordinator's finding on the course's prerequisites; "not met" needs the reason. */
export const prerequisitesSchema = z
  .object({
    met: z.enum(['yes', 'no'], { error: 'field.invalidChoice' }),
    reason: multiline(z.string().trim().max(500).optional().default('')),
  })
  .refine((v) => v.met === 'yes' || v.reason.length > 0, { message: 'sel.error.prerequisitesReason', path: ['reason'] });
