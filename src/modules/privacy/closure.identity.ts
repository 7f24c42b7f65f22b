import type { DbOrTx } from '../../db/database';
import { getUser } from '../accounts';

/**
 * What the closure asks of the accounts' identity links (ACC-11, ACC-13). The oidc part writes
 * them in the accounts facade (its branch: `accounts/identity.service.ts`, same names and
 * signatures); until it is merged these stand-ins answer for a service without providers. At
 * the merge, this file becomes `export { hasLocalPassword, linkedProviders, reauthenticatedSince } from '../accounts';`.
 */

/** False for an account that signs in only through a provider (its hash is not one the app makes, argon2id: the oidc part's `!none`). */
export async function hasLocalPassword(db: DbOrTx, userId: string): Promise<boolean> {
  const user = await getUser(db, userId);
  return Boolean(user?.passwordHash.startsWith('$argon2'));
}

/** The providers (their names in OIDC_PROVIDERS) the account is linked to, most recently used first. */
export async function linkedProviders(_db: DbOrTx, _userId: string): Promise<string[]> {
  return [];
}

/**
 * Did this session's person prove it again with their provider since `since`? The closure page
 * starts it with a POST to `/connexion/oidc/<provider>` (`reauth=1`, `retour=/compte/fermer`);
 * back from the provider, the session is marked and the browser comes back to the page.
 */
export async function reauthenticatedSince(_db: DbOrTx, _input: { sessionId: string; since: Date }): Promise<boolean> {
  return false;
}
