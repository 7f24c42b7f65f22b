import { sql } from 'drizzle-orm';
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
