import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { audit } from '../../platform/audit';
import { personalDataSets } from './owners';

/**
 * PLACEHOLDER of the retention branch: the export+closure part writes the real `closeAccount`
 * (ACC-11: the tombstone, `account_closures`, the email); keep theirs at the merge. This one has
 * the interface of DESIGN14 and its core only — every set's `blocksClosure`, then every set's
 * `forget` in one transaction, in `personalDataSets` order — so the retention job can call it.
 */
export async function closeAccount(
  deps: { db: Db; clock: Clock; baseUrl: string },
  input: { userId: string; reason: 'learner' | 'retention'; actorId?: string },
): Promise<{ ok: true } | { ok: false; reasons: string[] }> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const reasons: string[] = [];
    for (const set of personalDataSets) reasons.push(...((await set.blocksClosure?.(tx, input.userId)) ?? []));
    if (reasons.length) return { ok: false as const, reasons };
    for (const set of personalDataSets) await set.forget(tx, input.userId, clock);
    await audit(tx, clock, { action: 'account.closed', actorId: input.actorId ?? null, subjectId: input.userId, data: { reason: input.reason } });
    return { ok: true as const };
  });
}
