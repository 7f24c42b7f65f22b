import type { onRequestAsyncHookHandler } from 'fastify';
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
  /** ACC-1: a learner who has not accepted the terms' current version yet (termsGate). */
  interface Authenticated {
    termsToAccept?: boolean;
  }
}

/** What a learner asked to accept new terms may still do: read and accept them, sign out, download their data, close the account. */
const openWhileTermsPending = ['/compte/conditions', '/conditions', '/compte/fermer', '/compte/donnees', '/connexion', '/deconnexion', '/langue/', '/dev/'];

/**
 * ACC-1: a learner whose accepted terms are not the current version goes to the page that asks
 * them (with its changes, "accept", and the closure for whoever refuses) before anything else;
 * they come back where they were going. An onRequest hook, after the session lookup.
 */
export const termsGate: onRequestAsyncHookHandler = async (request, reply) => {
  if (!request.auth?.termsToAccept) return;
  const path = request.url.split('?', 1)[0];
  if (openWhileTermsPending.some((open) => path === open || path.startsWith(open.endsWith('/') ? open : `${open}/`))) return;
  const back = request.method === 'GET' ? `?retour=${encodeURIComponent(request.url)}` : '';
  return reply.redirect(`/compte/conditions${back}`, 303);
};

export function sessionLookup(deps: { db: Db; clock: Clock; policies: () => Promise<Policies> }): SessionLookup {
  return async (token) => resumeSession({ db: deps.db, clock: deps.clock }, token, await deps.policies());
}

/** Ended and idle sessions, second-factor steps past their time, failed logins past the hour: deleted by the background worker. */
export const accountsPruneTasks: PruneTask[] = [pruneExpiredSessions, pruneExpiredPendingLogins, pruneLoginFailures, pruneExpiredOidcLogins];
