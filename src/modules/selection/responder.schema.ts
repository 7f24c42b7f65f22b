import { z } from 'zod';
import { isUuid } from '../../platform/input';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';

/** SEL-13: the version the page was made from (a number the app wrote; anything else is the stale page's answer). */
const version = z.coerce.number().int().min(0).max(2_000_000_000);

/** The preference form's fixed fields; each application's rank is a `rang-<id>` field, read below. */
export const preferencesSchema = z.object({ version, repondeur: z.enum(['on']).optional() });
/** The up/down form: which application, which way. */
export const moveSchema = z.object({ version, deplacer: z.string().regex(/^[0-9a-f-]{36}:(up|down)$/i, 'field.invalidChoice') });

const rank = /^(|[1-9][0-9]?)$/;
const MAX_RANKS = 100;

/**
 * The whole preference form: the fixed fields, then every `rang-<uuid>` field (empty: not in the
 * list; else 1 to 99). A rank that is not one, an id that is not a UUID or too many fields: the
 * form again (400), what was typed kept, the message next to the field.
 */
export function parsePreferences(body: unknown): { ok: true; data: { version: number; on: boolean; positions: Map<string, number | null> } } | { ok: false; form: FormState } {
  const parsed = parseForm(preferencesSchema, body);
  const values = typedValues(body);
  const errors: FormState['errors'] = parsed.ok ? {} : { ...parsed.form.errors };
  const positions = new Map<string, number | null>();
  const fields = Object.entries(values).filter(([name]) => name.startsWith('rang-'));
  if (fields.length > MAX_RANKS) errors.positions = { message: 'sel.responder.error.too_many' };
  for (const [name, value] of fields.slice(0, MAX_RANKS)) {
    const id = name.slice('rang-'.length);
    if (!isUuid(id)) {
      errors.positions = { message: 'sel.responder.error.unknown_application' };
      continue;
    }
    if (!rank.test(value)) {
      errors[name] = { message: 'sel.responder.error.position' };
      continue;
    }
    positions.set(id.toLowerCase(), value === '' ? null : Number(value));
  }
  if (!parsed.ok || Object.keys(errors).length) return { ok: false, form: { values, errors } };
  return { ok: true, data: { version: parsed.data.version, on: parsed.data.repondeur === 'on', positions } };
}
