import type { Db, DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { defaultPolicies, getPolicies, policySchema, setPolicy, type Policies, type PolicyKey } from '../../platform/policies';
import type { FieldError } from '../../ui/context';
import { addStaffAccount, findUserByEmail, getStaffAccount, listStaffAccounts, updateStaffAccount, type AccountDeps, type CreatedStaff } from '../accounts';
import type { Role, StaffRole } from '../../domain/vocabulary';
import { catalogueIds } from '../catalogue';
import { assignScope, scopeCodes } from '../scopes';

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
  role: StaffRole;
  schools: string[];
  domains: string[];
  sessions: string[];
}

/** The refusal of a taken address, next to the email field. */
const emailTaken = { ok: false as const, field: 'email' as const, error: { message: 'admin.staffEmailTaken' as const } };

/** Rolls the transaction back when a step fails after the account is written. */
class Refused extends Error {
  constructor(readonly refusal: { ok: false; field: keyof NewStaff; error: FieldError }) {
    super('refused');
  }
}

/**
 * ACC-12: an administrator creates a staff account: a random password nobody sees (the person
 * chooses theirs from the emailed link), the TOTP secret shown once to the administrator to hand
 * over, and the scope. Account, scope, audit row and email are one transaction: unknown codes or
 * a taken address are refused next to their field and nothing is created, even when the same
 * form is sent twice at once (the second one is told the address is taken).
 */
export async function createStaffByAdmin(
  deps: AccountDeps,
  input: { adminId: string; staff: NewStaff },
): Promise<{ ok: true; created: CreatedStaff } | { ok: false; field: keyof NewStaff; error: FieldError }> {
  const { db, clock } = deps;
  const { staff } = input;
  if (await findUserByEmail(db, staff.email)) return emailTaken;
  const unknown = await unknownCodes(db, staff);
  if (unknown) return { ok: false, ...unknown };
  try {
    return await db.transaction(async (tx): Promise<{ ok: true; created: CreatedStaff } | typeof emailTaken> => {
      const created = await addStaffAccount(tx, deps, { email: staff.email, role: staff.role, displayName: staff.displayName, emailPasswordLink: true });
      if (!created) return emailTaken;
      const scope = await assignScope(tx, { userId: created.userId, schools: staff.schools, domains: staff.domains, sessions: staff.sessions });
      // A code removed from the catalogue since the check above: nothing is kept.
      if (!scope.ok) throw new Refused({ ok: false, field: 'sessions', error: { message: 'admin.unknownCodes', params: { codes: scope.unknown.join(', ') } }, ...(await unknownCodes(tx, staff)) });
      await audit(tx, clock, { action: 'admin.staffCreated', actorId: input.adminId, subjectId: created.userId, data: { ...staff } });
      return { ok: true as const, created };
    });
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

type Scope = Pick<NewStaff, 'schools' | 'domains' | 'sessions'>;

/** The first list of a scope form with codes the catalogue does not know, and the message. */
async function unknownCodes(db: DbOrTx, scope: Scope): Promise<{ field: keyof Scope; error: FieldError } | null> {
  const ids = await catalogueIds(db, scope);
  for (const field of ['schools', 'domains', 'sessions'] as const) {
    const unknown = scope[field].filter((c) => !ids[field].has(c));
    if (unknown.length) return { field, error: { message: 'admin.unknownCodes', params: { codes: unknown.join(', ') } } };
  }
  return null;
}

export type EditStaff = Omit<NewStaff, 'email'> & { active: boolean };

/**
 * An administrator changes a staff member's name, role, scope (replaced as a whole) or disables
 * the account (its login sessions end at their next request). An administrator cannot disable
 * or demote themselves (someone must remain able to administer). Audited.
 */
export async function updateStaffByAdmin(
  deps: { db: Db; clock: Clock },
  input: { adminId: string; userId: string; staff: EditStaff },
): Promise<{ ok: true } | { ok: false; field: keyof EditStaff; error: FieldError } | { ok: false; field: null }> {
  const { db, clock } = deps;
  const user = await getStaffAccount(db, input.userId);
  if (!user) return { ok: false, field: null };
  if (input.userId === input.adminId && (!input.staff.active || input.staff.role !== 'admin')) return { ok: false, field: 'role', error: { message: 'admin.notYourself' } };
  const unknown = await unknownCodes(db, input.staff);
  if (unknown) return { ok: false, ...unknown };
  await db.transaction(async (tx) => {
    await updateStaffAccount(tx, { userId: input.userId, displayName: input.staff.displayName, role: input.staff.role, active: input.staff.active });
    await assignScope(tx, { userId: input.userId, schools: input.staff.schools, domains: input.staff.domains, sessions: input.staff.sessions, replace: true });
    await audit(tx, clock, { action: 'admin.staffUpdated', actorId: input.adminId, subjectId: input.userId, data: { ...input.staff } });
  });
  return { ok: true };
}

/** Every staff account with its scope in words (codes), for the administrator's list. */
export async function listStaff(db: Db) {
  const accounts = await listStaffAccounts(db);
  const codes = await scopeCodes(db, accounts.map((a) => a.id));
  return accounts.map((a) => {
    const scope = codes.get(a.id);
    return { id: a.id, email: a.email, display_name: a.displayName, role: a.role, status: a.status, schools: scope?.schools ?? [], domains: scope?.domains ?? [], sessions: scope?.sessions ?? [] };
  });
}
