import { z } from 'zod';
import { multiline } from '../../ui/forms';
import { parseDateInput } from '../accounts';
import { centreReasons, requestKinds } from './exams.table';

/** CRED-3: the exams module's forms; messages are message keys, shown next to the field. */

const code = (message: 'exams.err.unit' | 'exams.err.centre') => z.string({ error: message }).trim().min(1, message).max(30, message).regex(/^[A-Za-z0-9-]+$/, message);

/** A staff member creates an exam session: the unit's code, session 1 or 2, the day, the centre. */
export const sessionSchema = z.object({
  unit: code('exams.err.unit'),
  number: z.enum(['1', '2'], { error: 'exams.err.number' }).transform((v) => Number(v) as 1 | 2),
  held_on: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .max(40, 'date.invalid')
    .transform((v, ctx) => parseDateInput(v) ?? (ctx.addIssue({ code: 'custom', message: 'date.invalid' }), z.NEVER)),
  centre: code('exams.err.centre'),
});

/** The learner's request (the file comes beside it, platform/uploads). */
export const requestSchema = z.object({
  kind: z.enum(requestKinds, { error: 'exams.err.kind' }),
  reason: z.enum(centreReasons, { error: 'exams.err.reason' }).optional().or(z.literal('').transform(() => undefined)),
  centre: z.string().trim().max(30, 'exams.err.centre').optional().default(''),
  details: multiline(z.string().trim().max(2000, 'field.tooLong').optional().default('')),
});

/** The file field of the request form. */
export const REQUEST_FILE_FIELD = 'file';

/** The staff's decision on a request. */
export const decisionSchema = z.object({
  decision: z.enum(['approve', 'refuse'], { error: 'field.invalidChoice' }),
  reason: multiline(z.string().trim().max(500, 'field.tooLong').optional().default('')),
});

/** « Je déménage »: the new centre (the address fields are the account's, `contactSchema`). */
export const centreSchema = z.object({ centre: code('exams.err.centre') });
