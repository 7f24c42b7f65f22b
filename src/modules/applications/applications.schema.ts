import { z } from 'zod';
import { objectives, situations } from '../../domain/vocabulary';
import { multiline } from '../../ui/forms';

export const MOTIVATIONS_MAX = 5_000;

/** One schema per step of the application form (APP-4); messages are message keys. */
export const situationSchema = z.object({ situation: z.enum(situations, { error: 'field.invalidChoice' }) });
export const objectiveSchema = z.object({ objective: z.enum(objectives, { error: 'field.invalidChoice' }) });
export const motivationsSchema = z.object({
  motivations: multiline(z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(MOTIVATIONS_MAX, 'field.tooLongMotivations')),
});
export const rulesSchema = z.object({ rules: z.literal('on', { error: 'apps.rulesRequired' }) });
export const sessionChoiceSchema = z.object({ session: z.string().trim().regex(/^[A-Za-z0-9-]{1,60}$/) });
