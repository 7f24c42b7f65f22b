import { z } from 'zod';
import { catalogueCode, refundMethods } from '../../domain/vocabulary';
import { multiline } from '../../ui/forms';
import { sessionChangeKinds, sessionChangeReasons } from './cancellations.table';

/** SVC-2's page: a session's code in the path (else the 404 page); the redirect's `?fait=`. */
export const sessionParams = z.object({ code: z.string().regex(catalogueCode) });
export const changeQuery = z.object({ fait: z.enum(sessionChangeKinds).optional() });

/**
 * The change's form: what, why, the message (as the learners read it), how fees are refunded;
 * `confirm=yes` sends it (the check step's button), `edit=yes` goes back to the form.
 */
export const changeSchema = z.object({
  kind: z.enum(sessionChangeKinds, { error: 'field.invalidChoice' }),
  reason: z.enum(sessionChangeReasons, { error: 'field.invalidChoice' }),
  message: multiline(z.string({ error: 'cancel.error.message' }).trim().min(1, 'cancel.error.message').max(2000, 'cancel.error.message')),
  method: z.enum(refundMethods, { error: 'field.invalidChoice' }).default('transfer'),
  confirm: z.literal('yes').optional(),
  edit: z.literal('yes').optional(),
});
export type ChangeForm = z.output<typeof changeSchema>;
