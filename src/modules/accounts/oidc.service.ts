import { and, eq, gt, isNull } from 'drizzle-orm';
import { audit } from '../../platform/audit';
import { translator, type Locale } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import { acrSatisfies, mayUseProviderIdentity, normaliseEmail, passwordProvesOwner } from './accounts.rules';
import { users } from './accounts.table';
import { providerEmail } from './claims';
import { checkPassword } from './credentials.service';
import { linkIdentity, NO_LOCAL_PASSWORD } from './identity.service';
import { identityLinks, oidcLogins } from './identity.table';
import { newToken, sha256 } from './links';
import { lockedUser } from './locks';
import { client, isUnreachable, type OidcClients } from './oidc.client';
import type { AccountDeps, User } from './users.service';
import { giveConsent } from './consents.service';

/**
 * ACC-13: signing in with an OpenID provider (FranceConnect v2's rules), a first sign-in's
 * link to an account (never silent: the owner of an existing account proves it), or a new
 * account; the re-authentication of a signed-in person (ACC-11's closure).
 */

export interface OidcDeps extends AccountDeps {
  clients: OidcClients;
}

/** Ten minutes to come back from the provider; fifteen to choose what to do after it. */
const STARTED_MS = 10 * 60_000;
const RETURNED_MS = 15 * 60_000;
/** The emailed link to prove an address: thirty minutes, in the browser that signed in. */
const EMAIL_LINK_MS = 30 * 60_000;

/** A signed-in identity: who the provider says the person is. */
interface Identity {
  provider: string;
  subject: string;
  claims: Record<string, unknown>;
  idToken: string;
}

export type StartOutcome = { ok: true; url: string; token: string } | { ok: false; reason: 'unknown_provider' | 'unavailable' | 'not_linked' };

/**
 * ACC-13: the redirect to the provider: `state` and `nonce` (43 characters, more than
 * FranceConnect's 22), PKCE S256, `acr_values` (FranceConnect: eidas1), kept on the server with
 * the browser's CSRF secret; the browser's cookie gets `token`. `reauth`: a signed-in person
 * proves it again with a provider their account is linked to (`prompt=login`, `max_age=0`).
 */
export async function startOidcLogin(
  deps: OidcDeps,
  input: { provider: string; browser: string; returnTo?: string; reauthUserId?: string },
): Promise<StartOutcome> {
  const oidc = deps.clients.get(input.provider);
  if (!oidc) return { ok: false, reason: 'unknown_provider' };
  if (input.reauthUserId) {
    const [link] = await deps.db
      .select({ id: identityLinks.id })
      .from(identityLinks)
      .where(and(eq(identityLinks.userId, input.reauthUserId), eq(identityLinks.provider, input.provider)));
    if (!link) return { ok: false, reason: 'not_linked' };
  }
  let configuration: client.Configuration;
  try {
    configuration = await oidc.configuration();
  } catch {
    return { ok: false, reason: 'unavailable' };
  }
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const parameters: Record<string, string> = {
    redirect_uri: oidc.redirectUri,
    response_type: 'code',
    scope: oidc.provider.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(oidc.provider.acr ? { acr_values: oidc.provider.acr } : {}),
    // A re-authentication must be one: max_age=0 with prompt=login, and the ID token's auth_time checked on return.
    ...(input.reauthUserId ? { prompt: 'login', max_age: '0' } : {}),
  };
  const url = client.buildAuthorizationUrl(configuration, parameters);
  const token = newToken();
  const now = deps.clock.now();
  await deps.db.insert(oidcLogins).values({
    id: sha256(token),
    provider: input.provider,
    browserHash: sha256(input.browser),
    purpose: input.reauthUserId ? 'reauth' : 'login',
    userId: input.reauthUserId ?? null,
    state,
    nonce,
    codeVerifier,
    returnTo: input.returnTo ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + STARTED_MS),
  });
  return { ok: true, url: url.href, token };
}

export type FinishOutcome =
  | { outcome: 'signed_in'; user: User; idToken: string; returnTo?: string }
  | { outcome: 'reauthenticated'; userId: string; returnTo?: string }
  /** No account linked yet: the person chooses on the next page (the cookie stays the same). */
  | { outcome: 'choose' }
  /** No sign-in of this browser is waiting (expired, used already, another browser, a forged state). */
  | { outcome: 'expired' }
  /** The provider sent an error back (the person cancelled…). */
  | { outcome: 'provider_error'; error: string; description?: string }
  | { outcome: 'unavailable' }
  /** The answer failed a check (state, nonce, audience, signature, acr, a code used twice…). */
  | { outcome: 'refused'; detail: string }
  | { outcome: 'staff' }
  | { outcome: 'account_disabled' }
  | { outcome: 'reauth_mismatch' };

/**
 * ACC-13: the provider sends the browser back. The waiting sign-in is consumed first (single
 * use: a replayed callback finds nothing), then openid-client checks the answer: `state`, the
 * code exchanged with the PKCE verifier, the ID token (issuer, audience = our client id,
 * signature with the provider's keys, `nonce`), then our `acr`, then the UserInfo (a signed JWT
 * for FranceConnect, its `sub` the ID token's). An identity already linked signs in; otherwise
 * the person chooses (`choose`). Staff accounts never sign in this way (ACC-12).
 */
export async function finishOidcLogin(
  deps: OidcDeps,
  input: { provider: string; browser: string; token: string; query: Record<string, string> },
  log: (detail: string) => void = () => {},
): Promise<FinishOutcome> {
  const { db, clock } = deps;
  const oidc = deps.clients.get(input.provider);
  if (!oidc || !input.token || input.token.length > 100) return { outcome: 'expired' };
  const [started] = await db
    .delete(oidcLogins)
    .where(
      and(
        eq(oidcLogins.id, sha256(input.token)),
        eq(oidcLogins.browserHash, sha256(input.browser)),
        eq(oidcLogins.provider, input.provider),
        eq(oidcLogins.stage, 'started'),
        gt(oidcLogins.expiresAt, clock.now()),
      ),
    )
    .returning();
  if (!started) return { outcome: 'expired' };
  if (input.query.error) return { outcome: 'provider_error', error: input.query.error.slice(0, 100), description: input.query.error_description?.slice(0, 300) };
  if (input.query.state !== started.state) return { outcome: 'refused', detail: 'state mismatch' };

  let identity: Identity;
  try {
    const configuration = await oidc.configuration();
    const currentUrl = new URL(oidc.redirectUri);
    for (const [key, value] of Object.entries(input.query)) currentUrl.searchParams.set(key, value);
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: started.codeVerifier!,
      expectedState: started.state!,
      expectedNonce: started.nonce!,
      idTokenExpected: true,
      // A re-authentication: openid-client requires `auth_time` and refuses one older than now (its 30 s clock tolerance).
      ...(started.purpose === 'reauth' ? { maxAge: 0 } : {}),
    });
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) return { outcome: 'refused', detail: 'no ID token' };
    // …and the person authenticated after this re-authentication started, not in a provider session kept from before.
    if (started.purpose === 'reauth' && !authenticatedSince(idClaims.auth_time, started.createdAt))
      return { outcome: 'refused', detail: `auth_time ${String(idClaims.auth_time)} before the re-authentication started` };
    if (!acrSatisfies(oidc.provider.acr, idClaims.acr)) return { outcome: 'refused', detail: `acr ${String(idClaims.acr)} below ${oidc.provider.acr}` };
    const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    identity = { provider: input.provider, subject: idClaims.sub, claims: { ...userInfo }, idToken: tokens.id_token };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(detail);
    return isUnreachable(error) ? { outcome: 'unavailable' } : { outcome: 'refused', detail };
  }

  const [link] = await db.select().from(identityLinks).where(and(eq(identityLinks.provider, identity.provider), eq(identityLinks.subject, identity.subject)));
  if (started.purpose === 'reauth') {
    if (!link || link.userId !== started.userId) return { outcome: 'reauth_mismatch' };
    await db.update(identityLinks).set({ lastUsedAt: clock.now() }).where(eq(identityLinks.id, link.id));
    await audit(db, clock, { action: 'oidc.reauthenticated', actorId: link.userId, subjectId: link.userId, data: { provider: identity.provider } });
    return { outcome: 'reauthenticated', userId: link.userId, returnTo: started.returnTo ?? undefined };
  }
  if (link) {
    const [user] = await db.select().from(users).where(eq(users.id, link.userId));
    const refused = refusal(user);
    if (refused) return refused;
    await db.update(identityLinks).set({ lastUsedAt: clock.now() }).where(eq(identityLinks.id, link.id));
    return { outcome: 'signed_in', user, idToken: identity.idToken, returnTo: started.returnTo ?? undefined };
  }
  // No link yet: the person chooses; the row becomes the identity waiting for that choice.
  const now = clock.now();
  await db.insert(oidcLogins).values({
    id: started.id,
    provider: started.provider,
    browserHash: started.browserHash,
    stage: 'returned',
    purpose: 'login',
    returnTo: started.returnTo,
    subject: identity.subject,
    claims: identity.claims,
    idToken: identity.idToken,
    createdAt: now,
    expiresAt: new Date(now.getTime() + RETURNED_MS),
  });
  return { outcome: 'choose' };
}

/** The ID token's `auth_time` (seconds) is not before `start` (to the second: auth_time has no milliseconds). */
function authenticatedSince(authTime: unknown, start: Date): boolean {
  return typeof authTime === 'number' && authTime >= Math.floor(start.getTime() / 1000);
}

function refusal(user: User | undefined): FinishOutcome | undefined {
  if (!user) return { outcome: 'expired' };
  if (user.role !== 'learner') return { outcome: 'staff' };
  if (!mayUseProviderIdentity(user.status)) return { outcome: 'account_disabled' };
  return undefined;
}

/** The choice after a first sign-in: which page to show. */
export type PendingStep =
  /** An account has the provider's verified email: its owner proves it (its password, if it has one, or an emailed link). */
  | { step: 'link'; provider: string; email: string; withPassword: boolean }
  /** The verified email is new: create a learner account (accepting the terms). */
  | { step: 'create'; provider: string; email: string }
  /** The provider's email is missing or not verified: no automatic match; another address (proved by an emailed link), or the local sign-in. */
  | { step: 'unverified'; provider: string; email?: string }
  /** The verified email is a staff member's: staff never sign in with a provider. */
  | { step: 'staff'; provider: string }
  /** An emailed link is on its way (the page says to open it in this browser). */
  | { step: 'email_sent'; provider: string; email: string };

async function returnedRow(deps: Pick<AccountDeps, 'db' | 'clock'>, input: { token: string; browser: string }) {
  if (!input.token || input.token.length > 100) return undefined;
  const [row] = await deps.db
    .select()
    .from(oidcLogins)
    .where(
      and(
        eq(oidcLogins.id, sha256(input.token)),
        eq(oidcLogins.browserHash, sha256(input.browser)),
        eq(oidcLogins.stage, 'returned'),
        gt(oidcLogins.expiresAt, deps.clock.now()),
      ),
    );
  return row;
}

/** ACC-13: what the person who came back from the provider has to choose (undefined: nothing waits in this browser). */
export async function pendingIdentity(deps: Pick<AccountDeps, 'db' | 'clock'>, input: { token: string; browser: string }): Promise<PendingStep | undefined> {
  const row = await returnedRow(deps, input);
  if (!row) return undefined;
  if (row.emailTokenHash) return { step: 'email_sent', provider: row.provider, email: row.email ?? (await emailOf(deps, row.emailUserId)) ?? '' };
  const given = providerEmail((row.claims ?? {}) as Record<string, unknown>);
  if (!given?.verified) return { step: 'unverified', provider: row.provider, email: given?.email };
  const [account] = await deps.db.select().from(users).where(eq(users.email, given.email));
  if (!account) return { step: 'create', provider: row.provider, email: given.email };
  if (account.role !== 'learner') return { step: 'staff', provider: row.provider };
  return { step: 'link', provider: row.provider, email: given.email, withPassword: passwordProvesOwner(account.status) && account.passwordHash !== NO_LOCAL_PASSWORD };
}

async function emailOf(deps: Pick<AccountDeps, 'db'>, userId: string | null) {
  if (!userId) return undefined;
  const [row] = await deps.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email;
}

export type LinkOutcome =
  /** `provider`: the provider's name, for the session (its logout goes through it). */
  | { ok: true; user: User; provider: string; idToken: string; returnTo?: string }
  | { ok: false; reason: 'expired' | 'wrong_password' | 'exists' | 'refused' | 'other_browser' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * ACC-13: the owner of the account with the provider's verified email proves it with its
 * password (counted as a login attempt, ACC-1): the identity is linked, and the person signed in.
 */
export async function linkWithPassword(deps: OidcDeps, input: { token: string; browser: string; password: string }, ip: string | null = null): Promise<LinkOutcome> {
  const step = await pendingIdentity(deps, input);
  if (!step || step.step !== 'link' || !step.withPassword) return { ok: false, reason: 'expired' };
  const checked = await checkPassword(deps, { email: step.email, password: input.password }, ip);
  if (!checked.ok) return checked.reason === 'throttled' ? checked : { ok: false, reason: 'wrong_password' };
  if (checked.user.role !== 'learner' || !passwordProvesOwner(checked.user.status)) return { ok: false, reason: 'refused' };
  return completeLink(deps, input, checked.user.id, 'password', ip);
}

/** Consumes the waiting identity and links it to the account, in one transaction (single use). */
async function completeLink(deps: OidcDeps, input: { token: string; browser: string }, userId: string, proof: 'password' | 'email', ip: string | null): Promise<LinkOutcome> {
  const { clock } = deps;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(oidcLogins)
      .where(and(eq(oidcLogins.id, sha256(input.token)), eq(oidcLogins.browserHash, sha256(input.browser)), eq(oidcLogins.stage, 'returned'), gt(oidcLogins.expiresAt, clock.now())))
      .returning();
    if (!row?.subject || !row.idToken) return { ok: false as const, reason: 'expired' as const };
    const user = await lockedUser(tx, { id: userId });
    if (!user || user.role !== 'learner' || !mayUseProviderIdentity(user.status)) return { ok: false as const, reason: 'refused' as const };
    let signedIn = user;
    if (user.status === 'pending') {
      // The address is proved by the emailed link; the password chosen at a sign-up nobody
      // activated may be a stranger's (account pre-hijacking): it goes.
      [signedIn] = await tx.update(users).set({ status: 'active', activatedAt: clock.now(), passwordHash: NO_LOCAL_PASSWORD }).where(eq(users.id, user.id)).returning();
    }
    const link = await linkIdentity(tx, clock, { provider: row.provider, subject: row.subject, userId: user.id, claims: (row.claims ?? {}) as Record<string, unknown> });
    if (link.userId !== user.id) return { ok: false as const, reason: 'refused' as const };
    await audit(tx, clock, { action: 'oidc.linked', actorId: user.id, subjectId: user.id, ip, data: { provider: row.provider, proof } });
    return { ok: true as const, user: signedIn, provider: row.provider, idToken: row.idToken, returnTo: row.returnTo ?? undefined };
  });
}

/**
 * ACC-13: a single-use link mailed to prove an address, to open in this browser: to the
 * account with the provider's verified email (`link` step), or to the address the person typed
 * (`unverified` step: the account with it, if a learner's, is linked; otherwise an account is
 * created with it). A staff member's address gets nothing; the page says the same.
 */
export async function sendIdentityEmailLink(deps: OidcDeps, input: { token: string; browser: string; email?: string; locale: Locale }, ip: string | null = null): Promise<'sent' | 'expired'> {
  const { db, clock, baseUrl } = deps;
  const step = await pendingIdentity(deps, input);
  if (!step || (step.step !== 'link' && step.step !== 'unverified')) return 'expired';
  const address = step.step === 'link' ? step.email : normaliseEmail(input.email ?? '');
  if (!address) return 'expired';
  const [account] = await db.select().from(users).where(eq(users.email, address));
  const emailToken = newToken();
  const now = clock.now();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(oidcLogins)
      .set({
        emailTokenHash: sha256(emailToken),
        emailUserId: account?.id ?? null,
        email: account ? null : address,
        expiresAt: new Date(now.getTime() + EMAIL_LINK_MS),
      })
      .where(and(eq(oidcLogins.id, sha256(input.token)), eq(oidcLogins.stage, 'returned'), isNull(oidcLogins.emailTokenHash)))
      .returning();
    if (!row || (account && (account.role !== 'learner' || !mayUseProviderIdentity(account.status)))) return;
    const label = deps.clients.get(row.provider)?.provider.label ?? row.provider;
    const locale = account?.locale === 'en' || account?.locale === 'fr' ? account.locale : input.locale;
    const t = translator(locale);
    const params = { provider: label, link: `${baseUrl}/connexion/oidc/lien/${emailToken}`, minutes: EMAIL_LINK_MS / 60_000 };
    await queueEmail(tx, {
      to: address,
      subject: t(account ? 'oidc.email.link.subject' : 'oidc.email.create.subject', params),
      text: `${t(account ? 'oidc.email.link.body' : 'oidc.email.create.body', params)}\n\n--\n${t('email.footer')}`,
    });
    await audit(tx, clock, { action: 'oidc.email_link_sent', subjectId: account?.id ?? null, ip, data: { provider: row.provider } });
  });
  return 'sent';
}

/**
 * ACC-13: the emailed link is opened. In the browser that signed in with the provider (its
 * cookie and CSRF secret), it links the identity to the account it was sent for, or creates the
 * account with the address it proved; elsewhere it does nothing (`other_browser`): whoever got a
 * provider to claim someone's address cannot have them link it by a click.
 */
export async function confirmIdentityEmailLink(deps: OidcDeps, input: { emailToken: string; token: string; browser: string; locale: Locale }, ip: string | null = null): Promise<LinkOutcome> {
  const { db, clock } = deps;
  if (!input.emailToken || input.emailToken.length > 100) return { ok: false, reason: 'expired' };
  const [row] = await db.select().from(oidcLogins).where(and(eq(oidcLogins.emailTokenHash, sha256(input.emailToken)), gt(oidcLogins.expiresAt, clock.now())));
  if (!row) return { ok: false, reason: 'expired' };
  if (row.id !== sha256(input.token || '-') || row.browserHash !== sha256(input.browser)) return { ok: false, reason: 'other_browser' };
  if (row.emailUserId) return completeLink(deps, input, row.emailUserId, 'email', ip);
  return createFromIdentity(deps, { ...input, email: row.email!, newsOptIn: false }, ip);
}

/** ACC-13, ACC-2: a new learner account for the provider's verified email, the terms accepted on the page. */
export async function createAccountFromIdentity(deps: OidcDeps, input: { token: string; browser: string; newsOptIn: boolean; locale: Locale }, ip: string | null = null): Promise<LinkOutcome> {
  const step = await pendingIdentity(deps, input);
  if (!step) return { ok: false, reason: 'expired' };
  if (step.step !== 'create') return { ok: false, reason: 'exists' };
  return createFromIdentity(deps, { ...input, email: step.email }, ip);
}

/**
 * The account is created active (the provider or the emailed link proved the address) with no
 * local password (NO_LOCAL_PASSWORD), the terms accepted now; the identity is linked with the
 * claims that prefill the learner record. An address taken meanwhile: `exists`.
 */
async function createFromIdentity(deps: OidcDeps, input: { token: string; browser: string; email: string; newsOptIn: boolean; locale: Locale }, ip: string | null): Promise<LinkOutcome> {
  const { clock } = deps;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(oidcLogins)
      .where(and(eq(oidcLogins.id, sha256(input.token)), eq(oidcLogins.browserHash, sha256(input.browser)), eq(oidcLogins.stage, 'returned'), gt(oidcLogins.expiresAt, clock.now())))
      .returning();
    if (!row?.subject || !row.idToken) return { ok: false as const, reason: 'expired' as const };
    const now = clock.now();
    const claims = (row.claims ?? {}) as Record<string, unknown>;
    const [user] = await tx
      .insert(users)
      .values({
        email: normaliseEmail(input.email),
        passwordHash: NO_LOCAL_PASSWORD,
        status: 'active',
        locale: input.locale,
        createdAt: now,
        activatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) {
      // Put the identity back: the person now proves the account that took the address.
      await tx.insert(oidcLogins).values(row);
      return { ok: false as const, reason: 'exists' as const };
    }
    await linkIdentity(tx, clock, { provider: row.provider, subject: row.subject, userId: user.id, claims });
    // ACC-1: the terms ticked on the page (their current version), the news if ticked.
    await giveConsent(tx, clock, { userId: user.id, kind: 'terms', how: 'provider_sign_in' });
    if (input.newsOptIn) await giveConsent(tx, clock, { userId: user.id, kind: 'news', how: 'provider_sign_in' });
    await audit(tx, clock, { action: 'account.signed_up', actorId: user.id, subjectId: user.id, ip, data: { provider: row.provider } });
    return { ok: true as const, user, provider: row.provider, idToken: row.idToken, returnTo: row.returnTo ?? undefined };
  });
}

/**
 * ACC-13: the provider's end-session URL for a session that signed in with it (`id_token_hint`,
 * back to Cursus's home page), or undefined (a local session, or the provider unreachable: the
 * local logout is done either way).
 */
export async function endSessionUrl(deps: Pick<OidcDeps, 'clients' | 'baseUrl'>, session: { identityProvider: string | null; idToken: string | null }): Promise<string | undefined> {
  if (!session.identityProvider || !session.idToken) return undefined;
  const oidc = deps.clients.get(session.identityProvider);
  if (!oidc) return undefined;
  try {
    const configuration = await oidc.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(configuration, { id_token_hint: session.idToken, post_logout_redirect_uri: `${deps.baseUrl}/`, state: client.randomState() }).href;
  } catch {
    return undefined;
  }
}
