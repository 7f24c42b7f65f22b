import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';

/** What the applications module's services need (and the modules above it pass on). */
export interface ApplicationDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}
