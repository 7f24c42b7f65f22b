import { z } from 'zod';
import { nonRefundableReasons, refundMethods, refundReasons } from '../../domain/vocabulary';
import { multiline } from '../../ui/forms';
import { parseDateInput } from '../accounts';
import { isRefundReason, refundNeedsProof } from './payments.rules';

/**
 * The refund forms (PAY-9); messages are message keys, shown next to the field. A text's maximum
 * has its own message: without one, the string's `error` answers every check ("required" for a
 * text too long).
 */

/** A day typed as 14/10/2026 or 2026-10-14, as an ISO day; a date that does not exist is refused. */
const day = (message: 'refund.error.date') =>
  z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .max(40, message)
    .transform((v, ctx) => parseDateInput(v) ?? (ctx.addIssue({ code: 'custom', message }), z.NEVER));

/** The file field of the learner's request (the proof, platform/uploads). */
export const REFUND_PROOF_FIELD = 'proofFile';

/**
 * The learner's request. Every reason the FAQ speaks of is a choice; those that give no refund
 * (late entry, early leaving, a cancelled meeting…) are refused here at once, with the FAQ's answer.
 * The three personal reasons come with a proof: a file sent with the form (`withFile`, checked by
 * its content in the service), or the box ticked to hand it in on paper.
 */
export const refundRequestSchema = (withFile: boolean) =>
  z
    .object({
      reason: z.enum([...refundReasons, ...nonRefundableReasons], { error: 'refund.error.reason' }).superRefine((reason, ctx) => {
        if (!isRefundReason(reason)) ctx.addIssue({ code: 'custom', message: `refund.nonRefundable.${reason}` });
      }),
      eventOn: day('refund.error.date'),
      explanation: multiline(z.string({ error: 'field.required' }).trim().min(1, 'refund.error.explanation').max(2000, 'field.tooLong')),
      proof: z.literal('on', { error: 'field.invalidChoice' }).optional(),
    })
    .refine((v) => withFile || !isRefundReason(v.reason) || !refundNeedsProof(v.reason) || v.proof === 'on', {
      message: 'refund.error.proof',
      path: ['proof'],
      // Said with the other fields' errors, once the reason itself is a valid choice.
      when: (payload) => {
        const reason = (payload.value as { reason?: unknown } | undefined)?.reason;
        return typeof reason === 'string' && (refundReasons as readonly string[]).includes(reason);
      },
    });

/** An amount in euros as staff write it: 150, 150,00, 75.5, 1 234,50 €; integer cents out. Too many digits is more than any payment. */
const euros = z
  .string({ error: 'field.required' })
  .transform((v) => v.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, ''))
  .pipe(
    z
      .string()
      .min(1, 'field.required')
      .regex(/^\d+(?:[.,]\d{1,2})?$/, 'refund.error.amount')
      .transform((v) => {
        const [whole, fraction = ''] = v.split(/[.,]/);
        if (whole.replace(/^0+/, '').length > 9) return Number.MAX_SAFE_INTEGER;
        return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
      }),
  );

/** What the cash office did: when, how, with which reference (cash needs none). */
const refundMade = {
  refundedOn: day('refund.error.date'),
  method: z.enum(refundMethods, { error: 'refund.error.method' }),
  reference: z.string({ error: 'field.required' }).trim().max(100, 'field.tooLong').optional().default(''),
};
const referenceUnlessCash = [
  (v: { method: string; reference: string }) => v.method === 'cash' || v.reference.length > 0,
  {
    message: 'refund.error.reference',
    path: ['reference'],
    when: (payload: { value: unknown }) => (refundMethods as readonly unknown[]).includes((payload.value as { method?: unknown } | undefined)?.method),
  },
] as const;

/** Staff grant a refund: how much, when, how, with which reference (a record: PayFiP has no refund call). */
export const grantSchema = z.object({ amount: euros, ...refundMade }).refine(referenceUnlessCash[0], { ...referenceUnlessCash[1], path: ['reference'] });

/** SVC-2: staff record the refund the cash office made of a refund granted earlier. */
export const refundPaidSchema = z.object(refundMade).refine(referenceUnlessCash[0], { ...referenceUnlessCash[1], path: ['reference'] });

/** Staff refuse a request, with the reason the learner is sent. */
export const refuseSchema = z.object({
  note: multiline(z.string({ error: 'field.required' }).trim().min(1, 'refund.error.note').max(1000, 'field.tooLong')),
});
