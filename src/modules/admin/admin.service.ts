import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { defaultPolicies, getPolicies, policySchema, setPolicy, type Policies, type PolicyKey } from '../../platform/policies';
import type { FieldError } from '../../ui/context';
import { createStaffAccount, findUserByEmail, requestPasswordReset, type AccountDeps, type CreatedStaff } from '../accounts/accounts.service';
import type { Role } from '../accounts/accounts.table';
import { catalogueIds } from '../catalogue/catalogue.service';
import { assignScope } from '../staff/staff.service';

export const policyKeys = Object.keys(policySchema.shape) as PolicyKey[];

/** The bounds of a policy, from its schema, for the form's message. */
export function policyBounds(key: PolicyKey): { min: number; max: number } {
  const field = policySchema.shape[key].unwrap();
  return { min: field.minValue ?? 0, max: field.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/**
 * The administrator's settings form: every value is checked against the policy's own schema;
 * nothing is saved unless all are right. Each change is written with its audit row.
 */
export async function updatePolicies(
  deps: { db: Db; clock: Clock },
  input: { adminId: string; values: Record<string, unknown> },
): Promise<{ ok: true; changed: PolicyKey[] } | { ok: false; errors: Record<string, FieldError> }> {
  const errors: Record<string, FieldError> = {};
  const parsed: Partial<Policies> = {};
  for (const key of policyKeys) {
    const raw = input.values[key];
    const text = typeof raw === 'string' ? raw.trim().replace(/\s/g, '') : '';
    const value = /^-?\d{1,15}$/.test(text) ? Number(text) : NaN;
    const result = policySchema.shape[key].safeParse(value);
    if (!result.success) errors[key] = { message: 'policy.error', params: policyBounds(key) };
    else (parsed as Record<string, number>)[key] = result.data;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const current = await getPolicies(deps.db);
  const changed = policyKeys.filter((key) => parsed[key] !== current[key]);
  await deps.db.transaction(async (tx) => {
    for (const key of changed) {
      await setPolicy(tx, key, parsed[key]!, input.adminId);
      await audit(tx, deps.clock, { action: 'admin.policy', actorId: input.adminId, data: { key, from: current[key], to: parsed[key], default: defaultPolicies[key] } });
    }
  });
  return { ok: true, changed };
}

export interface NewStaff {
  email: string;
  displayName: string;
  role: Exclude<Role, 'learner'>;
  schools: string[];
  domains: string[];
  sessions: string[];
}

/**
 * An administrator creates a staff account: a random password nobody sees (the person chooses
 * theirs from the emailed link), the TOTP secret shown once to the administrator to hand over,
 * and the scope. Unknown codes or a taken address are refused, and nothing is created.
 */
export async function createStaffByAdmin(
  deps: AccountDeps,
  input: { adminId: string; staff: NewStaff },
): Promise<{ ok: true; created: CreatedStaff } | { ok: false; field: keyof NewStaff; error: FieldError }> {
  const { db } = deps;
  if (await findUserByEmail(db, input.staff.email)) return { ok: false, field: 'email', error: { message: 'admin.staffEmailTaken' } };
  const ids = await catalogueIds(db, input.staff);
  for (const field of ['schools', 'domains', 'sessions'] as const) {
    const unknown = input.staff[field].filter((c) => !ids[field].has(c));
    if (unknown.length) return { ok: false, field, error: { message: 'admin.unknownCodes', params: { codes: unknown.join(', ') } } };
  }
  const created = await createStaffAccount(deps, { email: input.staff.email, role: input.staff.role, displayName: input.staff.displayName });
  await assignScope(db, { userId: created.userId, schools: input.staff.schools, domains: input.staff.domains, sessions: input.staff.sessions });
  await audit(db, deps.clock, { action: 'admin.staffCreated', actorId: input.adminId, subjectId: created.userId, data: { ...input.staff } });
  await requestPasswordReset(deps, created.email);
  return { ok: true, created };
}

/** Every staff account with its scope in words (codes), for the administrator's list. */
export async function listStaff(db: Db) {
  const rows = await db.execute<{ id: string; email: string; display_name: string | null; role: Role; schools: string[] | null; domains: string[] | null; sessions: string[] | null }>(sql`
    select u.id, u.email, u.display_name, u.role,
      array_remove(array_agg(distinct sc.code), null) as schools,
      array_remove(array_agg(distinct d.slug), null) as domains,
      array_remove(array_agg(distinct s.code), null) as sessions
    from users u
    left join staff_scopes x on x.user_id = u.id
    left join schools sc on sc.id = x.school_id
    left join domains d on d.id = x.domain_id
    left join course_sessions s on s.id = x.session_id
    where u.role <> 'learner'
    group by u.id order by u.role, u.email`);
  return rows.rows;
}
