import { z } from 'zod';
import { allowances } from '../../domain/vocabulary';
import { multiline } from '../../ui/forms';
import { parseDateInput } from '../accounts';

/** PAY-6: the forms of the half-rate proof; messages are message keys, shown next to the field. */

/** The learner's proof: the allowance it shows and the date written on it (the file comes beside, platform/uploads). */
export const proofSchema = z.object({
  allowance: z.enum(allowances, { error: 'proof.allowance.required' }),
  proofDate: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .max(40, 'date.invalid')
    .transform((v, ctx) => parseDateInput(v) ?? (ctx.addIssue({ code: 'custom', message: 'date.invalid' }), z.NEVER)),
});

/** The file field of the learner's proof form. */
export const PROOF_FILE_FIELD = 'file';

export const proofDecisions = ['accept', 'refuse'] as const;

/** The school's decision on the proof the page showed (`proof`), with the reason of a refusal. */
export const proofDecisionSchema = z
  .object({
    proof: z.string().max(40).default(''),
    decision: z.enum(proofDecisions, { error: 'field.invalidChoice' }),
    reason: multiline(z.string().trim().max(500, 'field.tooLong').optional().default('')),
  })
  .refine((v) => v.decision === 'accept' || v.reason.length > 0, { message: 'proof.decide.reasonRequired', path: ['reason'] });
