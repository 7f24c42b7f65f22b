import { z } from 'zod';
import { programmeKinds } from './programmes.table';

/**
 * CRED-1: the administrator's programme form: its code, title, kind, credits required, the
 * mandatory units, and up to CHOICE_LISTS lists of « N units among these ». The field names are
 * the form's and the errors' (field by field).
 */
export const CHOICE_LISTS = 3;
export const choiceNumbers = Array.from({ length: CHOICE_LISTS }, (_, i) => i + 1);

const unitCodes = z
  .string()
  .trim()
  .max(2000, 'field.tooLong')
  .optional()
  .transform((v, ctx) => {
    const codes = (v ?? '').split(/[\s,;]+/).filter(Boolean);
    if (codes.some((c) => !/^[A-Za-z0-9-]{1,60}$/.test(c))) {
      ctx.addIssue({ code: 'custom', message: 'prog.err.codes' });
      return z.NEVER;
    }
    return [...new Set(codes.map((c) => c.toUpperCase()))];
  });

const optionalCount = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    if (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 20) return Number(v);
    ctx.addIssue({ code: 'custom', message: 'prog.err.choose' });
    return z.NEVER;
  });

const choiceFields = Object.fromEntries(choiceNumbers.flatMap((n) => [[`choose_${n}`, optionalCount], [`units_${n}`, unitCodes]])) as Record<`choose_${number}` | `units_${number}`, typeof optionalCount | typeof unitCodes>;

export const programmeSchema = z
  .object({
    code: z.string({ error: 'field.required' }).trim().toUpperCase().regex(/^[A-Z0-9-]{1,30}$/, 'prog.err.code'),
    title: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(200, 'field.tooLong'),
    kind: z.enum(programmeKinds, { error: 'field.invalidChoice' }),
    required_credits: z.string({ error: 'field.required' }).trim().regex(/^\d{1,3}$/, 'prog.err.credits').transform(Number).pipe(z.number().min(1, 'prog.err.credits').max(600, 'prog.err.credits')),
    mandatory: unitCodes,
    ...choiceFields,
  })
  .superRefine((form, ctx) => {
    const f = form as Record<string, unknown>;
    for (const n of choiceNumbers) {
      const choose = f[`choose_${n}`] as number | null;
      const units = f[`units_${n}`] as string[];
      if (units.length && choose === null) ctx.addIssue({ code: 'custom', path: [`choose_${n}`], message: 'prog.err.chooseMissing' });
      if (!units.length && choose !== null) ctx.addIssue({ code: 'custom', path: [`units_${n}`], message: 'prog.err.codes' });
    }
  });

export type ProgrammeForm = z.output<typeof programmeSchema>;
/** The form's text fields, in order (the view and the error summary read it). */
export const programmeFields = ['code', 'title', 'kind', 'required_credits', 'mandatory', ...choiceNumbers.flatMap((n) => [`choose_${n}`, `units_${n}`])] as const;
