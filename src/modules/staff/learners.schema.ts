import { z } from 'zod';
import { multiline } from '../../ui/forms';
import { parseDateInput } from '../accounts';

/**
 * Forms of the staff's learner pages (ACC-8). Messages are message keys. NUL and control
 * characters are refused by `parseForm`, for every form.
 */

/** The learner search (a GET form): words of a name or part of an email, and a birth date. */
export const learnerSearchSchema = z.object({
  q: z.string({ error: 'field.invalidChoice' }).trim().max(200, 'field.tooLong').optional(),
  naissance: z
    .string({ error: 'date.invalid' })
    .trim()
    .max(40, 'date.invalid')
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const date = parseDateInput(value);
      if (date) return date;
      ctx.addIssue({ code: 'custom', message: 'date.invalid' });
      return z.NEVER;
    }),
});

/** Applying a name change: which request (the page's, so a stale page cannot apply a newer one). */
export const applyNameChangeSchema = z.object({
  demande: z.string({ error: 'field.required' }).max(40, 'field.tooLong'),
});

/** Declining one: the request, and what to tell the learner (optional). */
export const declineNameChangeSchema = applyNameChangeSchema.extend({
  motif: multiline(
    z
      .string()
      .trim()
      .max(1000, 'field.tooLong')
      .optional()
      .transform((v) => (v ? v : null)),
  ),
});
