import { z } from 'zod';
import { fundingSources, priceBases } from '../../domain/vocabulary';
import { MAX_PRICE_CENTS } from './funding.rules';
import { parseEuros } from './staff.schema';

/**
 * CRED-2, CRED-5: the enrolment's form (the session and the funding source) and the price
 * list's form. Messages are message keys, shown next to the field; control characters are
 * refused by `parseForm` for every form.
 */

const sessionCode = z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(40, 'error.notFound.message');
/** An unknown source says which ones exist, next to the field. */
const source = z.enum(fundingSources, { error: 'cred.enrol.error.source' });

export const enrolSchema = z.object({ session: sessionCode, financement: source });
/** The confirmation page: the source may still be to choose (the sheet's form without it). */
export const previewSchema = z.object({ session: sessionCode, financement: source.optional() });

export const priceSchema = z.object({
  source,
  basis: z.enum(priceBases, { error: 'cred.prices.error.basis' }),
  amount: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .max(40, 'cred.prices.error.amount')
    .transform((v, ctx) => {
      const cents = parseEuros(v);
      if (cents === null) ctx.addIssue({ code: 'custom', message: 'cred.prices.error.amount' });
      else if (cents > MAX_PRICE_CENTS) ctx.addIssue({ code: 'custom', message: 'cred.prices.error.tooLarge' });
      else return cents;
      return z.NEVER;
    }),
});
