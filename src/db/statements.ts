import { createHash } from 'node:crypto';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './database';

/** What drizzle's `.prepare(name)` gives: a statement run with its placeholders' values. */
interface Prepared {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

/** The pg client (pool, or a transaction's connection) behind a drizzle handle; undefined if drizzle's shape is not the one known. */
function clientOf(db: DbOrTx): object | undefined {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  return typeof client === 'object' && client !== null ? client : undefined;
}

/**
 * A named statement that drizzle builds once (its text, its parameters, how its rows are read)
 * and that runs on whichever handle it is given, the pool or a transaction's connection.
 * Building a query costs the app's process more than PostgreSQL spends running a short one
 * (bench/README.md, the rush's profile): the statements every validation of a rush sends are
 * built here once per process. `build` must take its values from placeholders only
 * (`sql.placeholder`): the first handle's query is kept for every later one, with the same
 * name, so that each connection plans it once.
 */
export function statement<P extends Prepared>(name: string, build: (db: DbOrTx) => { prepare(name: string): P }): (db: DbOrTx) => P {
  let built: { prepared: P; client: object } | undefined;
  return (db) => {
    const client = clientOf(db);
    // Not drizzle's node-postgres handle as known (another driver, a later drizzle): built each time.
    if (!client) return build(db).prepare(name);
    if (!built) {
      const prepared = build(db).prepare(name);
      // The prepared query keeps the client it was built on (drizzle's NodePgPreparedQuery).
      if ((prepared as unknown as { client?: unknown }).client !== client) return prepared;
      built = { prepared, client };
    }
    if (built.client === client) return built.prepared;
    // The same statement on another client: everything shared but the client.
    return Object.create(built.prepared, { client: { value: client } }) as P;
  };
}

/**
 * An array parameter of a named statement (`= any(…)`), hidden from the planner's estimate so
 * that the statement is planned once per connection. PostgreSQL plans a named statement with its
 * values for its first five runs, then keeps one generic plan only if that plan is estimated no
 * dearer: with the array's values known, it counts their elements (3), without them it guesses
 * 10, so the generic plan always looked dearer and every run was planned again (three quarters
 * of the sessions' statement's time in the rush, bench/README.md). Given as a sub-select, the
 * array is a value computed at run time in both plans: the same estimate, the generic plan kept.
 * `type` is the array's SQL type (`'int[]'`, `'uuid[]'`).
 */
export function planOnce(value: SQLWrapper, type: 'int[]' | 'uuid[]' | 'text[]'): SQL {
  return sql`(select ${value}::${sql.raw(type)})::${sql.raw(type)}`;
}

/**
 * Writes whose rows nobody reads back, sent to PostgreSQL as one statement (one round trip):
 * each but the last a data-modifying `with` of the last. PostgreSQL runs every one of them to
 * completion, all on the statement's one snapshot, so none may need another's change (an
 * application's update, its event and its email do not). The statement is named by its text, so
 * that each connection plans each shape once (a shape: which writes, which columns).
 */
export async function writeTogether(db: DbOrTx, writes: SQLWrapper[]): Promise<void> {
  if (writes.length === 0) return;
  const last = writes.length - 1;
  const statement = writes.length === 1 ? writes[0].getSQL() : sql.join([sql`with `, sql.join(writes.slice(0, last).map((w, i) => sql`${sql.raw(`w${i}`)} as (${w.getSQL()})`), sql`, `), sql` `, writes[last].getSQL()]);
  const client = clientOf(db) as { query?: (config: { name: string; text: string; values: unknown[] }) => Promise<unknown> } | undefined;
  const dialect = (db as unknown as { dialect?: { sqlToQuery(sql: SQL): { sql: string; params: unknown[] } } }).dialect;
  if (!client?.query || !dialect) {
    await db.execute(statement);
    return;
  }
  const query = dialect.sqlToQuery(statement);
  await client.query({ name: `w_${createHash('sha1').update(query.sql).digest('base64url').slice(0, 20)}`, text: query.sql, values: query.params });
}

/**
 * Reads that need not wait for each other: at once on the pool (each on its own connection), one
 * after the other on a transaction's connection, which runs one query at a time (given several at
 * once, pg queues them with a deprecation warning; pg 9 will refuse them). The answers in the
 * order of the reads.
 */
export async function readTogether<T extends unknown[]>(db: DbOrTx, reads: [...{ [K in keyof T]: () => Promise<T[K]> }]): Promise<T> {
  const client = clientOf(db) as { release?: unknown } | undefined;
  // The pool has no `release`; a checked-out connection (a transaction's) has.
  if (client && typeof client.release !== 'function') return (await Promise.all(reads.map((read) => read()))) as T;
  const answers: unknown[] = [];
  for (const read of reads) answers.push(await read());
  return answers as T;
}
