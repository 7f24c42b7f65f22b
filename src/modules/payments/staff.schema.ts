import { z } from 'zod';
import { paymentMethods } from '../../domain/vocabulary';
import type { MessageKey } from '../../platform/i18n';
import { multiline } from '../../ui/forms';
import { parseDateInput } from '../accounts';

/**
 * The staff forms of enrolment and payment (PAY-1, PAY-2, PAY-3). Messages are message keys,
 * shown next to the field; NUL and control characters are refused by `parseForm` for every form.
 */

/** PayFiP's ceiling, and the payments table's: 100 000 €. */
export const MAX_AMOUNT_CENTS = 10_000_000;

/**
 * PAY-3: an amount in euros as a person types it at a cash desk — `150`, `150,50`, `150.5`,
 * `1 500 €` — in integer cents; null for anything else (`1e9`, `-5`, `12,505`, `1.500,00`,
 * `0x10`). Never a float: the euros and the cents are read as two integers. A huge number of
 * euros stays a number (past 2^53 an approximate one), for the caller to refuse as too large.
 */
export function parseEuros(input: string): number | null {
  const plain = input.replace(/[\s\u00a0\u202f]/g, '').replace(/(€|EUR)$/i, '');
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(plain);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

const required = (max: number) => z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(max, 'field.tooLong');

/** PAY-7: who pays: the learner, a relative, a social worker, a works council, an association. */
const payer = required(200);

/** PAY-3: a cheque payable to the service's cash office: its number, its bank, who signed it. */
export const chequeSchema = z.object({
  chequeNumber: z
    .string({ error: 'field.required' })
    .transform((v) => v.replace(/[\s\u00a0\u202f]/g, ''))
    .pipe(z.string().min(1, 'field.required').regex(/^\d{1,20}$/, 'pay.staff.error.chequeNumber')),
  bank: required(100),
  chequePayer: payer,
});

/** PAY-3: cash handed over (the service checks the limit and the exact change). */
export const cashSchema = z.object({
  tendered: z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'field.required')
    .max(40, 'pay.staff.error.amount')
    .transform((v, ctx) => {
      const cents = parseEuros(v);
      if (cents === null) ctx.addIssue({ code: 'custom', message: 'pay.staff.error.amount' });
      else if (cents > MAX_AMOUNT_CENTS) ctx.addIssue({ code: 'custom', message: 'pay.staff.error.amountTooLarge' });
      else if (cents === 0) ctx.addIssue({ code: 'custom', message: 'pay.staff.error.amount' });
      else return cents;
      return z.NEVER;
    }),
  cashPayer: payer,
});

/** PAY-2: why a flagged attempt needs nothing more (refunded by hand, checked with the treasury…). */
export const clearFlagSchema = z.object({
  note: multiline(required(1000)),
});

/**
 * The staff reports' filters (GET forms: the payments report here, the figures of SVC-6), written
 * once. A day as a person types it (15/09/2026), as an ISO day; empty: no bound.
 */
export const filterDay = (message: MessageKey) =>
  z
    .string({ error: message })
    .trim()
    .max(40, message)
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const date = parseDateInput(value);
      if (date) return date;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });

/** A school's or a domain's id, as a list's choice; empty: every one. */
export const filterId = z
  .string({ error: 'field.invalidChoice' })
  .trim()
  .max(12, 'field.invalidChoice')
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    if (/^\d{1,9}$/.test(value)) return Number(value);
    ctx.addIssue({ code: 'custom', message: 'field.invalidChoice' });
    return z.NEVER;
  });

/** The days `du` and `au` in order (the same day is fine); the message goes next to `au`. */
export const daysInOrder = (message: MessageKey): [(v: { du?: string; au?: string }) => boolean, { message: MessageKey; path: string[] }] => [
  (v) => !v.du || !v.au || v.du <= v.au,
  { message, path: ['au'] },
];

/** The payments report's filters (a GET form): the period's days, a school, a method. */
export const reportSchema = z
  .object({
    du: filterDay('pay.staff.error.date'),
    au: filterDay('pay.staff.error.date'),
    ecole: filterId,
    mode: z.union([z.literal(''), z.enum(paymentMethods)], { error: 'field.invalidChoice' }).optional(),
  })
  .refine(...daysInOrder('pay.staff.error.dateOrder'));

export type ReportFilters = { from: string; to: string; schoolId?: number; method?: (typeof paymentMethods)[number] };
