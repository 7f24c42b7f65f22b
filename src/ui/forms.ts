import type { z } from 'zod';
import { isMessageKey } from '../platform/i18n';
import type { FieldError, FormState } from './context';

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; form: FormState };

/** Keeps what a person typed, as strings, to show it again; passwords are never sent back. */
export function typedValues(body: unknown, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (omit.includes(key) || key === '_csrf') continue;
      if (typeof value === 'string') values[key] = value;
      else if (Array.isArray(value) && typeof value[0] === 'string') values[key] = value[0];
    }
  }
  return values;
}

/** One zod issue as a message key with its placeholders (limits, the values allowed). */
export function issueError(issue: z.core.$ZodIssue): FieldError {
  if (issue.code === 'too_big' && !isMessageKey(issue.message)) return { message: 'field.tooLong', params: { max: Number(issue.maximum) } };
  if (!isMessageKey(issue.message)) return { message: issue.code === 'invalid_type' ? 'field.required' : 'field.invalidChoice' };
  const params =
    issue.code === 'too_big'
      ? { max: Number(issue.maximum) }
      : issue.code === 'too_small'
        ? { min: Number(issue.minimum) }
        : issue.code === 'invalid_value'
          ? { values: issue.values.map(String).join(', ') }
          : issue.code === 'custom'
            ? (issue.params as FieldError['params'])
            : undefined;
  return { message: issue.message, params };
}

/** Turns zod issues into one message per field (the first one), as message keys. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '_form');
    if (!errors[field]) errors[field] = issueError(issue);
  }
  return errors;
}

/** Parses a form body with its schema; on failure returns the form to show again. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  options: { omit?: readonly string[] } = {},
): ParsedForm<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, form: { values: typedValues(body, options.omit), errors: fieldErrors(result.error.issues) } };
}

/** Adds an error found after parsing (by a rule or the service) to a form to show again. */
export function withError(form: FormState, field: string, error: FieldError): FormState {
  return { values: form.values, errors: { ...form.errors, [field]: error } };
}
