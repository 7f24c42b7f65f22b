import { z } from 'zod';
import { allowances, objectives, situations } from '../../domain/vocabulary';
import { locales } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { multiline } from '../../ui/forms';

/**
 * The help desk's forms (SVC-5). Every form that changes something has the box "the person is
 * here and agrees" (`consent`, required). The learner record's own fields are the accounts'
 * schema (`learnerRecordSchema`), parsed from the same body.
 */
const consent = z.literal('on', { error: 'desk.consent.required' });

/** The account: an email address, or none (the mobile of the record is then the identifier), and the account's language. */
export const assistedAccountSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'email.invalid')
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email('email.invalid').nullable()),
  accountLocale: z.enum(locales, { error: 'field.invalidChoice' }),
  consent,
});

/** The takeover's code or link sent again (the learner's page has two forms: this box has its own name). */
export const consentSchema = z.object({ consentSend: consent });

export const sessionChoiceSchema = z.object({
  session: z.string({ error: 'desk.session.required' }).trim().min(1, 'desk.session.required').max(60, 'field.invalidChoice').regex(/^[A-Za-z0-9-]+$/, 'field.invalidChoice'),
  consent,
});

export const MOTIVATIONS_MAX = 5_000;
const allowanceAnswers = ['none', ...allowances] as const;

/** APP-4's answers, filled with the learner: situation (and allowance, PAY-6), objective, motivations. */
export const assistedAnswersSchema = z
  .object({
    situation: z.enum(situations, { error: 'field.invalidChoice' }),
    allowance: z.enum(allowanceAnswers, { error: 'field.invalidChoice' }).optional(),
    objective: z.enum(objectives, { error: 'field.invalidChoice' }),
    motivations: multiline(z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(MOTIVATIONS_MAX, 'field.tooLongMotivations')),
    consent,
  })
  .superRefine((v, ctx) => {
    if (v.situation === 'welfare_recipient' && !v.allowance) ctx.addIssue({ code: 'custom', path: ['allowance'], message: 'apps.allowance.required' });
    if (v.situation !== 'welfare_recipient' && v.allowance && v.allowance !== 'none') ctx.addIssue({ code: 'custom', path: ['allowance'], message: 'apps.allowance.onlyWelfare' });
  })
  .transform((v) => ({
    situation: v.situation,
    allowance: v.situation === 'welfare_recipient' && v.allowance && v.allowance !== 'none' ? v.allowance : null,
    objective: v.objective,
    motivations: v.motivations,
  }));

export const deskSearchSchema = z.object({ q: z.string().trim().max(100, 'field.tooLong').optional() });

/** A list typed in one field: words separated by spaces, commas or semicolons, each once. */
const list = (max: number) =>
  z
    .string()
    .max(2000, 'field.tooLong')
    .optional()
    .transform((v) => [...new Set((v ?? '').split(/[\s,;]+/).filter(Boolean))])
    .pipe(z.array(z.string()).max(max, 'field.tooLong'));

/** SVC-5: the administrator's help desk form: name, address, hours, and what it serves (schools by code, arrondissements 1 to 20). */
export const helpDeskSchema = z.object({
  name: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(120, 'field.tooLong'),
  address: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(300, 'field.tooLong'),
  hours: z.string().trim().max(200, 'field.tooLong').optional().transform((v) => v ?? ''),
  schools: list(200).pipe(z.array(z.string().regex(/^[A-Za-z0-9-]{1,60}$/, 'hdesk.err.badCodes'))),
  arrondissements: list(20).pipe(
    z.array(
      z
        .string()
        .regex(/^(?:[1-9]|1\d|20)(?:e|er|ème)?$/i, 'hdesk.err.arrondissements')
        .transform((v) => Number.parseInt(v, 10)),
    ),
  ).transform((v) => [...new Set(v)]),
});

/** A counsellor chosen or removed on a desk's page (a staff account's id). */
export const counsellorChoiceSchema = z.object({
  counsellor: z.string({ error: 'hdesk.err.chooseCounsellor' }).trim().refine(isUuid, 'hdesk.err.chooseCounsellor'),
});

/** Close a desk, or open it again. */
export const deskClosingSchema = z.object({ closed: z.enum(['yes', 'no'], { error: 'field.invalidChoice' }).transform((v) => v === 'yes') });
