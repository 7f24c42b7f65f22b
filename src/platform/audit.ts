import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database';
import type { Clock } from './clock';
import { auditLog } from './platform.table';

export interface AuditEntry {
  action: string;
  actorId?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  data?: Record<string, unknown>;
}

/** Writes one audit row; call it inside the transaction of the change it records. */
export async function audit(db: DbOrTx, clock: Clock, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: clock.now(),
    action: entry.action,
    actorId: entry.actorId ?? null,
    subjectId: entry.subjectId ?? null,
    ip: entry.ip ?? null,
    data: entry.data ?? {},
  });
}

// ---- personal data (ACC-11, ACC-14) ----------------------------------------------------------

/**
 * ACC-14: the connection traces of the log — sign-ins and their failures, sessions ended, the
 * staff's views of a file, the public forms' attempts — kept `connectionLogMonths`, then deleted.
 * Every other row records a change (by the person, the staff or the service) and is the evidence
 * of the processing: it stays as long as the account, loses its IP address after the same period,
 * and is anonymised at the closure (no IP, no data; its ids point at a tombstone).
 */
export const connectionActions = sql`(action like 'login.%' or action like 'session.%' or action in ('learner.file_viewed', 'password.reset_requested', 'account.activation_resent', 'account.sign_up_existing', 'account.sign_up_replaced_pending'))`;

export type AuditRow = typeof auditLog.$inferSelect;

/** The rows of one action about one subject, oldest first (the accounts' former addresses, from their changes). */
export async function auditRowsOf(db: DbOrTx, input: { subjectId: string; action: string }): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectId, input.subjectId), eq(auditLog.action, input.action)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

/** The rows about this person or by them, oldest first (an address: also the throttled sign-ins that name it, without a subject). */
export async function auditOf(db: DbOrTx, input: { userId: string; email?: string | null }): Promise<AuditRow[]> {
  const byEmail = input.email ? sql` or (${auditLog.action} = 'login.throttled' and (${auditLog.data}->>'email') = ${input.email})` : sql``;
  return db
    .select()
    .from(auditLog)
    .where(sql`(${auditLog.subjectId} = ${input.userId} or ${auditLog.actorId} = ${input.userId}${byEmail})`)
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

/** ACC-11: the closure: the person's rows lose their IP and their data (idempotent); returns how many changed. */
export async function anonymiseAuditOf(db: DbOrTx, input: { userId: string; email?: string | null }): Promise<number> {
  const byEmail = input.email ? sql` or (${auditLog.action} = 'login.throttled' and (${auditLog.data}->>'email') = ${input.email})` : sql``;
  const rows = await db
    .update(auditLog)
    .set({ ip: null, data: {} })
    .where(
      sql`(${auditLog.subjectId} = ${input.userId} or ${auditLog.actorId} = ${input.userId}${byEmail}) and (${auditLog.ip} is not null or ${auditLog.data} <> '{}'::jsonb)`,
    )
    .returning({ id: auditLog.id });
  return rows.length;
}

/**
 * ACC-14: at most `limit` rows past the connection log's period: connection traces deleted, the
 * others' IP addresses cleared. Returns how many rows changed.
 */
export async function pruneAudit(db: DbOrTx, input: { before: Date; limit: number }): Promise<number> {
  const deleted = await db.execute(sql`
    delete from audit_log where id in (select id from audit_log where at <= ${input.before} and ${connectionActions} order by id limit ${input.limit})`);
  const left = input.limit - (deleted.rowCount ?? 0);
  if (left <= 0) return input.limit;
  const cleared = await db.execute(sql`
    update audit_log set ip = null where id in (select id from audit_log where at <= ${input.before} and ip is not null order by id limit ${left})`);
  return (deleted.rowCount ?? 0) + (cleared.rowCount ?? 0);
}

/** The audit action of a staff member opening one learner's file (ACC-11: "who on the staff saw my file"). */
export const FILE_VIEWED = 'learner.file_viewed';
/** At most one trace per staff member, learner and this long: the log says who looked, not every page view. */
export const FILE_VIEW_WINDOW_MS = 3_600_000;

/**
 * ACC-11: a staff member opened a page of one learner's file (their record, an application
 * sheet, a proof, a refund request…): one audit row, actor the staff member, subject the
 * learner, unless the same staff member's trace of the same learner is less than an hour old.
 * One statement; two views at the very same moment may both write (harmless).
 */
export async function traceFileViewed(db: DbOrTx, clock: Clock, input: { staffId: string; learnerId: string; page: string }): Promise<void> {
  const now = clock.now();
  const since = new Date(now.getTime() - FILE_VIEW_WINDOW_MS);
  await db.execute(sql`
    insert into audit_log (at, actor_id, action, subject_id, data)
    select ${now}, ${input.staffId}, ${FILE_VIEWED}, ${input.learnerId}, ${JSON.stringify({ page: input.page })}::jsonb
    where not exists (
      select 1 from audit_log
      where subject_id = ${input.learnerId} and action = ${FILE_VIEWED} and actor_id = ${input.staffId} and at > ${since}
    )`);
}
