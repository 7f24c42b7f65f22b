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
