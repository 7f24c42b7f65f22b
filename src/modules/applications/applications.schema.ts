import { z } from 'zod';
import { allowances, objectives, situations } from '../../domain/vocabulary';
import { multiline } from '../../ui/forms';

export const MOTIVATIONS_MAX = 5_000;

/** One schema per step of the application form (APP-4); messages are message keys. */
/** PAY-6: a welfare recipient says which allowance they receive, or none of those that give the half rate. */
export const allowanceAnswers = ['none', ...allowances] as const;
export const situationSchema = z
  .object({
    situation: z.enum(situations, { error: 'field.invalidChoice' }),
    allowance: z.enum(allowanceAnswers, { error: 'field.invalidChoice' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.situation === 'welfare_recipient' && !v.allowance) ctx.addIssue({ code: 'custom', path: ['allowance'], message: 'apps.allowance.required' });
    // RSA, ASS and AAH are welfare allowances: an answer that contradicts the situation is asked again, not dropped.
    if (v.situation !== 'welfare_recipient' && v.allowance && v.allowance !== 'none') ctx.addIssue({ code: 'custom', path: ['allowance'], message: 'apps.allowance.onlyWelfare' });
  })
  .transform((v) => ({ situation: v.situation, allowance: v.situation === 'welfare_recipient' && v.allowance && v.allowance !== 'none' ? v.allowance : null }));
export const objectiveSchema = z.object({ objective: z.enum(objectives, { error: 'field.invalidChoice' }) });
export const motivationsSchema = z.object({
  motivations: multiline(z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(MOTIVATIONS_MAX, 'field.tooLongMotivations')),
});
export const rulesSchema = z.object({ rules: z.literal('on', { error: 'apps.rulesRequired' }) });
export const sessionChoiceSchema = z.object({ session: z.string().trim().regex(/^[A-Za-z0-9-]{1,60}$/) });
