import { z } from 'zod';
import { multiline } from '../../ui/forms';

/**
 * The certification forms' inputs (CERT-1, CERT-4, CERT-5): one zod schema per form, its field
 * names the form's, its messages keys. The results form's rows are checked by the rules
 * (`checkResult`), one pair of fields per learner.
 */

const text = (max: number, required = true) => {
  const base = z.string({ error: 'field.required' }).trim().max(max, 'field.tooLong');
  return required ? base.min(1, 'field.required') : base;
};

/** An ISO day that exists. */
const day = z
  .string({ error: 'field.required' })
  .trim()
  .min(1, 'field.required')
  .refine((v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'cert.test.dayInvalid');

/** CERT-1: the test's date and time, in Paris. */
export const testDateSchema = z.object({
  day,
  time: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'cert.test.timeInvalid'),
});

/** CERT-4: the higher diploma the learner holds. */
export const diplomaSchema = z.object({ diplome: text(200) });

/** CERT-4: the staff's decision, with its reason. */
export const exemptionDecisionSchema = z.object({
  decision: z.enum(['grant', 'refuse'], { error: 'cert.exemption.decisionRequired' }),
  motif: multiline(text(500)),
});

/** CERT-5: the learner's request: a message is optional. */
export const marksRequestSchema = z.object({ message: multiline(text(2000, false)).optional().default('') });

/** CERT-5: the staff's answer. */
export const marksAnswerSchema = z.object({ reponse: multiline(text(2000)) });
