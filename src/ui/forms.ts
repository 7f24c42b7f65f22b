import { z } from 'zod';
import { isMessageKey } from '../platform/i18n';
import type { FieldError, FormState } from './context';

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; form: FormState };

/**
 * Characters no form field takes: the C0 controls (NUL among them), DEL and the C1 controls.
 * Nobody types them: they come from a crafted request or a bad paste, PostgreSQL refuses NUL in
 * text (a 500), and the others would end up in a name on a convocation, an email or an export.
 * A text area takes line breaks and tabs.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const multilineFields = new WeakSet<z.ZodType>();

/** Marks a form field's schema as a text area's: its text may hold line breaks and tabs. */
export function multiline<S extends z.ZodType>(schema: S): S {
  multilineFields.add(schema);
  return schema;
}

/** The fields of a form's schema (an object, maybe refined or transformed), or null if it is no object. */
function formShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, z.ZodType>;
    if (!(current instanceof z.ZodPipe)) return null;
    current = current.in instanceof z.ZodTransform ? (current.out as z.ZodType) : (current.in as z.ZodType);
  }
  return null;
}

/**
 * The fields of a form body (`only` these, when given) holding a character no form takes, each
 * with its message; `multiline` names the text areas. Every form goes through it: `parseForm`
 * calls it with its schema's fields, a form read without a schema calls it itself.
 */
export function invalidCharacters(body: unknown, multiline: Iterable<string> = [], only?: Iterable<string>): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  if (!body || typeof body !== 'object') return errors;
  const fields = body as Record<string, unknown>;
  const lines = new Set(multiline);
  const names = only ? [...only].filter((name) => Object.hasOwn(fields, name)) : Object.keys(fields);
  for (const name of names) {
    if (name === '_csrf') continue;
    const value = fields[name];
    const forbidden = lines.has(name) ? CONTROL_BUT_LINES : CONTROL;
    if ((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && forbidden.test(v))) errors[name] = { message: 'field.invalidCharacters' };
  }
  return errors;
}

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

/**
 * Parses a form body with its schema; on failure returns the form to show again. A field holding
 * a control character (`invalidCharacters`) is refused whatever its schema says, its message in
 * place of the schema's; the errors then follow the form's order.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  options: { omit?: readonly string[] } = {},
): ParsedForm<z.output<S>> {
  const shape = formShape(schema);
  const names = shape ? Object.keys(shape) : [];
  const invalid = shape ? invalidCharacters(body, names.filter((name) => multilineFields.has(shape[name])), names) : invalidCharacters(body);
  const result = schema.safeParse(body ?? {});
  const clean = Object.keys(invalid).length === 0;
  if (result.success && clean) return { ok: true, data: result.data };
  const found = result.success ? {} : fieldErrors(result.error.issues);
  let errors = found;
  if (!clean) {
    errors = {};
    for (const name of [...names, ...Object.keys(found), ...Object.keys(invalid)]) {
      const error = Object.hasOwn(invalid, name) ? invalid[name] : Object.hasOwn(found, name) ? found[name] : undefined;
      if (error && !Object.hasOwn(errors, name)) errors[name] = error;
    }
  }
  return { ok: false, form: { values: typedValues(body, options.omit), errors } };
}

/** Adds an error found after parsing (by a rule or the service) to a form to show again. */
export function withError(form: FormState, field: string, error: FieldError): FormState {
  return { values: form.values, errors: { ...form.errors, [field]: error } };
}
