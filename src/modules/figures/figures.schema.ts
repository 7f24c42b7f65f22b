import { z } from 'zod';
import { catalogueCode } from '../../domain/vocabulary';
import { daysInOrder, filterDay, filterId } from '../payments';

/**
 * SVC-6: the figures' filters, a GET form: a registration period (its code; empty for every
 * period), days from and to (as a person types them: 15/09/2026), a school, a domain (their ids)
 * and a session (its code). Messages are message keys, shown next to the field.
 */

// The days and ids are read as the payments report reads them (one schema for the staff reports).
const day = filterDay('fig.error.date');

const code = z
  .string({ error: 'field.invalidChoice' })
  .trim()
  .max(60, 'field.invalidChoice')
  .optional()
  .transform((value, ctx) => {
    if (!value) return value === '' ? '' : undefined;
    if (catalogueCode.test(value)) return value;
    ctx.addIssue({ code: 'custom', message: 'field.invalidChoice' });
    return z.NEVER;
  });

export const figuresSchema = z
  .object({ periode: code, du: day, au: day, ecole: filterId, domaine: filterId, session: code })
  .refine(...daysInOrder('fig.error.dateOrder'));

/**
 * The filters as the service takes them. `periodCode` undefined: the current period (the latest
 * whose applications have opened); '' : every period.
 */
export interface FigureFilters {
  periodCode?: string;
  from?: string;
  to?: string;
  schoolId?: number;
  domainId?: number;
  sessionCode?: string;
}

export const filtersOf = (data: z.output<typeof figuresSchema>): FigureFilters => ({
  periodCode: data.periode,
  from: data.du,
  to: data.au,
  schoolId: data.ecole,
  domainId: data.domaine,
  sessionCode: data.session || undefined,
});

/** The query string of these filters, for the export links and the form shown again. */
export function filtersQuery(f: FigureFilters): string {
  const query = new URLSearchParams();
  query.set('periode', f.periodCode ?? '');
  if (f.from) query.set('du', f.from);
  if (f.to) query.set('au', f.to);
  if (f.schoolId !== undefined) query.set('ecole', String(f.schoolId));
  if (f.domainId !== undefined) query.set('domaine', String(f.domainId));
  if (f.sessionCode) query.set('session', f.sessionCode);
  return query.toString();
}
