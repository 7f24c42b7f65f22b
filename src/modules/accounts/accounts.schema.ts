import { z } from 'zod';
import { multiline } from '../../ui/forms';
import { countryCodes } from '../../platform/i18n/countries';
import {
  checkAtLeastOnePhone,
  checkBirthDate,
  checkFrenchPostalCode,
  checkPassword,
  normalisePhone,
  parseDateInput,
  PASSWORD_MAX_LENGTH,
  type PhoneKind,
} from './accounts.rules';
import { civilities, heardFromOptions } from '../../domain/vocabulary';
import { cleanTakeoverCode, looksLikeIdentifier } from './takeover.rules';

/**
 * One zod schema per form. Messages are message keys (translated when shown); the field names
 * here are the form's field names. NUL and control characters are refused for every form, before
 * these schemas, by `parseForm`; `multiline` marks a text area (line breaks allowed).
 */
const text = (max: number) => z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(max, 'field.tooLong');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'field.tooLong')
    .optional()
    .transform((v) => (v ? v : null));
const email = z
  .string({ error: 'field.required' })
  .trim()
  .min(1, 'field.required')
  .max(254, 'email.invalid')
  .pipe(z.email('email.invalid'));
const password = z
  .string({ error: 'field.required' })
  .min(1, 'field.required')
  .max(PASSWORD_MAX_LENGTH * 4, 'password.tooLong')
  .superRefine((value, ctx) => {
    const result = checkPassword(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  });
const anyPassword = z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'login.invalid');
const checkbox = z.literal('on').optional().transform(Boolean);
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: 'field.invalidChoice' });
const country = z.enum(countryCodes, { error: 'field.invalidChoice' });

function phone(kind: PhoneKind) {
  return z
    .string()
    .trim()
    .max(40, 'phone.invalid')
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const result = normalisePhone(value, kind);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    });
}

/**
 * Cross-field checks run even when a field already failed, so a person sees every problem of
 * the form at once rather than one round at a time.
 */
const always = { when: () => true };

/** Both typed passwords must match; when the first is invalid its own message says so. */
const samePasswords = (a: string, b: string) => (value: unknown) => {
  const v = value as Record<string, unknown>;
  return typeof v[a] !== 'string' || typeof v[b] !== 'string' || v[b] === '' || v[a] === v[b];
};

const botcheck = {
  altcha: z.string().max(4000).optional(),
  botcheckAnswer: z.string().max(20).optional(),
  botcheckToken: z.string().max(500).optional(),
};

export const signUpSchema = z
  .object({
    email,
    password,
    passwordConfirm: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong'),
    mobilePhone: phone('mobile'),
    terms: z.literal('on', { error: 'terms.required' }),
    news: checkbox,
    ...botcheck,
  })
  .refine(samePasswords('password', 'passwordConfirm'), { path: ['passwordConfirm'], message: 'password.mismatch', ...always });

/** SVC-5, decision 015: the login takes an email address or, for an account made with a mobile number only, that number. */
const identifier = z
  .string({ error: 'field.required' })
  .trim()
  .min(1, 'field.required')
  .max(254, 'login.identifierInvalid')
  .refine(looksLikeIdentifier, 'login.identifierInvalid');
export const loginSchema = z.object({ email: identifier, password: anyPassword });
/** SVC-5: the takeover of an account made at a help desk: the email or mobile, the code received by SMS, a new password. */
export const takeoverSchema = z
  .object({
    identifier,
    code: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(40, 'takeover.codeShape').refine((v) => cleanTakeoverCode(v) !== null, 'takeover.codeShape'),
    password,
    passwordConfirm: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong'),
  })
  .refine(samePasswords('password', 'passwordConfirm'), { path: ['passwordConfirm'], message: 'password.mismatch', ...always });
/** ACC-3: the password chosen at sign-up, typed again on the activation link's page. */
export const activationSchema = z.object({ password: anyPassword });
export const totpSchema = z.object({ code: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(20, 'totp.invalid') });
export const emailOnlySchema = z.object({ email });

export const resetPasswordSchema = z
  .object({ password, passwordConfirm: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong') })
  .refine(samePasswords('password', 'passwordConfirm'), { path: ['passwordConfirm'], message: 'password.mismatch', ...always });

export const changePasswordSchema = z
  .object({
    currentPassword: anyPassword,
    newPassword: password,
    newPasswordConfirm: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong'),
  })
  .refine(samePasswords('newPassword', 'newPasswordConfirm'), { path: ['newPasswordConfirm'], message: 'password.mismatch', ...always });

export const emailChangeSchema = z.object({ newEmail: email, currentPassword: anyPassword });

const contactFields = {
  address: text(200),
  addressComplement1: optionalText(200),
  addressComplement2: optionalText(200),
  postalCode: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(20, 'postalCode.invalid'),
  city: text(100),
  country: country.default('FR'),
  mobilePhone: phone('mobile'),
  landlinePhone: phone('landline'),
};

type ContactShape = { postalCode: string; country: string; mobilePhone: string | null; landlinePhone: string | null };

/** Postal code for French addresses, and at least one phone; fields with their own error are left to it. */
function checkContact(value: ContactShape, ctx: z.RefinementCtx) {
  const v = value as Partial<Record<keyof ContactShape, unknown>>;
  const failed = new Set(ctx.issues.map((issue) => String(issue.path?.[0])));
  if ((v.country ?? 'FR') === 'FR' && typeof v.postalCode === 'string' && v.postalCode.trim() && !failed.has('postalCode')) {
    const postal = checkFrenchPostalCode(v.postalCode);
    if (!postal.ok) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: postal.message });
  }
  if (failed.has('mobilePhone') || failed.has('landlinePhone')) return;
  const phones = checkAtLeastOnePhone((v.mobilePhone as string | null) ?? null, (v.landlinePhone as string | null) ?? null);
  if (!phones.ok) ctx.addIssue({ code: 'custom', path: ['mobilePhone'], message: phones.message });
}

const stripSpaces = <T extends { postalCode: string }>(value: T): T => ({ ...value, postalCode: value.postalCode.replace(/\s/g, '') });

export const contactSchema = z.object(contactFields).superRefine(checkContact, always).transform(stripSpaces);

/** ACC-6: the learner record; the birth date is checked against today and the minimum age. */
export function learnerRecordSchema(options: { today: string; minimumAge: number }) {
  return z
    .object({
      civility: choice(civilities),
      lastName: text(100),
      birthName: optionalText(100),
      firstName: text(100),
      birthDate: z
        .string({ error: 'field.required' })
        .trim()
        .min(1, 'field.required')
        .max(30, 'date.invalid')
        .transform((value, ctx) => {
          const iso = parseDateInput(value);
          if (!iso) {
            ctx.addIssue({ code: 'custom', message: 'date.invalid' });
            return z.NEVER;
          }
          const rule = checkBirthDate(iso, options.today, options.minimumAge);
          if (!rule.ok) {
            ctx.addIssue({ code: 'custom', message: rule.message, params: rule.params });
            return z.NEVER;
          }
          return iso;
        }),
      birthCountry: country,
      ...contactFields,
      heardFrom: choice(heardFromOptions),
    })
    .superRefine((value, ctx) => checkContact(value, ctx), always)
    .transform(stripSpaces);
}

export const nameChangeSchema = z.object({
  lastName: text(100),
  firstName: text(100),
  birthName: optionalText(100),
  reason: multiline(text(1000)),
});

/** ACC-13: after a first sign-in with a provider: the password of the account to link; a new account (the terms); another address. */
export const oidcPasswordSchema = z.object({ password: anyPassword });
export const oidcCreateSchema = z.object({ terms: z.literal('on', { error: 'terms.required' }), news: checkbox });
export const oidcEmailSchema = z.object({ email: email.optional(), terms: z.literal('on', { error: 'terms.required' }).optional() });
