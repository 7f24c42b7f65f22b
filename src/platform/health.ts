import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsFolder, type Db } from '../db/database';
import { SHED_CODE } from './admission';
import { isShuttingDown } from './lifecycle';

/**
 * Issue 19: liveness and readiness (docs/decisions/025). `/healthz` says the process answers
 * (nothing else: a database down must not get the process restarted); `/readyz` says it should
 * be sent requests: the database answers within `timeoutMs`, every migration of this build is
 * applied, and the process is not shutting down.
 */
export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  migrations: 'ok' | 'pending' | 'unknown';
  shuttingDown: boolean;
}

let lastMigration: number | undefined;
/** The `when` of this build's last migration (drizzle's journal), as drizzle records it in `created_at`. */
function lastMigrationOfBuild(): number {
  if (lastMigration === undefined) {
    const journal = JSON.parse(readFileSync(resolve(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] };
    lastMigration = Math.max(0, ...journal.entries.map((e) => e.when));
  }
  return lastMigration;
}

export async function readiness(db: Db, options: { timeoutMs?: number } = {}): Promise<Readiness> {
  const shuttingDown = isShuttingDown();
  let timer: NodeJS.Timeout | undefined;
  try {
    // drizzle's own table (not a module's): the newest migration applied.
    const query = db.execute<{ last: string | null }>(sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`);
    const result = await Promise.race([query, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('database timeout')), options.timeoutMs ?? 2_000)))]);
    const applied = Number(result.rows[0]?.last ?? 0);
    const migrations = applied >= lastMigrationOfBuild() ? 'ok' : 'pending';
    return { ready: migrations === 'ok' && !shuttingDown, database: 'ok', migrations, shuttingDown };
  } catch (error) {
    // Answered, but without drizzle's table: nothing was migrated.
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return { ready: false, database: 'ok', migrations: 'pending', shuttingDown };
    return { ready: false, database: 'unreachable', migrations: 'unknown', shuttingDown };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Issue 19 point 9: the request was shed, the process too busy to serve it now (its admission
 * refused it, platform/admission, or under-pressure did, src/app.ts): answered 503 with the
 * Retry-After already set, the page or the API's problem, never the 500. The route's own work is
 * not done.
 */
export function isShed(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'FST_UNDER_PRESSURE' || code === SHED_CODE;
}
