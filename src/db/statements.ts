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
