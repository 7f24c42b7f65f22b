import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';
import type { SessionLookup } from '../../platform/http';
import type { PruneTask } from '../../platform/worker';
import type { Policies } from '../../platform/policies';
import { pruneExpiredPendingLogins } from './credentials.service';
import { pruneExpiredOidcLogins } from './identity.service';
import { pruneLoginFailures } from './login-guard';
import { pruneExpiredSessions, resumeSession } from './sessions.service';
import type { User } from './users.service';

/**
 * What the accounts module gives the platform, wired by the composition root: the session
 * lookup behind the session cookie, and its periodic clean-up.
 */

declare module '../../platform/http' {
  /** The accounts module's own fields of the person logged in (the sign-up phone prefills the learner record). */
  interface CurrentUser {
    mobilePhone: User['mobilePhone'];
  }
}

export function sessionLookup(deps: { db: Db; clock: Clock; policies: () => Promise<Policies> }): SessionLookup {
  return async (token) => resumeSession({ db: deps.db, clock: deps.clock }, token, await deps.policies());
}

/** Ended and idle sessions, second-factor steps past their time, failed logins past the hour: deleted by the background worker. */
export const accountsPruneTasks: PruneTask[] = [pruneExpiredSessions, pruneExpiredPendingLogins, pruneLoginFailures, pruneExpiredOidcLogins];
