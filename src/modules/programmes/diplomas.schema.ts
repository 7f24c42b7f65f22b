import { z } from 'zod';
import { multiline } from '../../ui/forms';
import { duplicateReasons } from './programmes.table';

/** CRED-4: the forms of the diploma requests; messages are message keys, shown next to the field. */

/** The learner's duplicate request: why (lost, destroyed, stolen); the proof file comes beside (platform/uploads). */
export const duplicateSchema = z.object({
  reason: z.enum(duplicateReasons, { error: 'dipl.err.reasonChoice' }),
});

/** The file field of the duplicate form. */
export const DIPLOMA_PROOF_FIELD = 'file';

export const diplomaDecisions = ['grant', 'refuse'] as const;

/** The administrator's decision, with the reason (required to refuse). */
export const diplomaDecisionSchema = z
  .object({
    decision: z.enum(diplomaDecisions, { error: 'field.invalidChoice' }),
    reason: multiline(z.string().trim().max(500, 'field.tooLong').optional().default('')),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && v.reason.length === 0) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'dipl.err.reasonRequired' });
  });
