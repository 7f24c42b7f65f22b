import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../test/db';
import type { Database } from './database';
import { readTogether } from './statements';

describe('readTogether: reads at once on the pool, one after the other in a transaction', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  const backend = (db: Parameters<typeof readTogether>[0]) => async () => (await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid, pg_sleep(0.05)`)).rows[0].pid;

  it('on the pool, the reads run at once, each on its own connection, their answers in order', async () => {
    const [a, b, c] = await readTogether(database.db, [backend(database.db), backend(database.db), async () => 'third']);
    assert.notEqual(a, b, 'two connections');
    assert.equal(c, 'third');
  });

  it('in a transaction, on its one connection, one after the other: never a query given to pg while another runs', async () => {
    /** The most queries the transaction's connection was given at once while `run` ran. */
    const most = (run: (tx: Parameters<typeof readTogether>[0]) => Promise<unknown>) =>
      database.db.transaction(async (tx) => {
        const client = (tx as unknown as { session: { client: { query: (...args: unknown[]) => Promise<unknown> } } }).session.client;
        const query = client.query;
        let running = 0;
        let top = 0;
        client.query = function (this: unknown, ...args: unknown[]) {
          running++;
          top = Math.max(top, running);
          return Promise.resolve(query.apply(this, args)).finally(() => running--);
        };
        try {
          await run(tx);
        } finally {
          client.query = query;
        }
        return top;
      });
    assert.equal(await most((tx) => readTogether(tx, [backend(tx), backend(tx), backend(tx)])), 1);
    // What the count would show of reads at once (pg queues them, with its deprecation warning; pg 9 refuses them).
    assert.equal(await most((tx) => Promise.all([backend(tx)(), backend(tx)()])), 2);
  });
});
