import { z } from 'zod';
import { staffRoles } from '../../domain/vocabulary';

const codes = z
  .string()
  .max(2000)
  .optional()
  .transform((v) => [...new Set((v ?? '').split(/[\s,;]+/).filter(Boolean))])
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9-]{1,60}$/, 'admin.badCodes')).max(200));

/** The administrator's "new staff account" form. */
export const newStaffSchema = z.object({
  email: z.string({ error: 'field.required' }).trim().max(254, 'email.invalid').pipe(z.email({ error: 'email.invalid' })),
  displayName: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(100, 'field.tooLong'),
  role: z.enum(staffRoles, { error: 'field.invalidChoice' }),
  schools: codes,
  domains: codes,
  sessions: codes,
});

/** The administrator's "edit a staff account" form. */
export const editStaffSchema = newStaffSchema.omit({ email: true }).extend({
  active: z.enum(['yes', 'no'], { error: 'field.invalidChoice' }).transform((v) => v === 'yes'),
});

/** SEL-7: the "declare two courses equivalent" form: two course codes (the import's `equivalences.csv` columns). */
const courseCode = z.string({ error: 'field.required' }).trim().min(1, 'field.required').regex(/^[A-Za-z0-9-]{1,60}$/, 'cat.err.code');
export const equivalenceSchema = z.object({ course: courseCode, equivalent_course: courseCode });
