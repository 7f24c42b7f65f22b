import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as client from 'openid-client';
import { startTestProvider, TEST_CLIENT, testClientConfiguration, testPeople, type IdentityProvider } from '../../test/oidc';

const redirectUri = TEST_CLIENT.redirect_uris[0];
const afterLogout = TEST_CLIENT.post_logout_redirect_uris![0];
const fcScopes = 'openid given_name family_name preferred_username birthdate gender birthplace birthcountry email';

/** What the app's client does before sending the browser to the provider (FranceConnect v2's parameters). */
async function authorizationRequest(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: fcScopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    acr_values: 'eidas1',
    ...extra,
  });
  return { url, verifier, state, nonce };
}

describe('the test OpenID provider (oidc-provider configured like FranceConnect v2)', () => {
  let idp: IdentityProvider;
  let config: client.Configuration;
  before(async () => {
    idp = await startTestProvider({
      clients: [TEST_CLIENT, { ...TEST_CLIENT, client_id: 'cursus-basic', token_endpoint_auth_method: 'client_secret_basic' }],
    });
    config = await testClientConfiguration(idp);
  });
  after(() => idp.close());
  beforeEach(() => idp.resetFaults());

  it('publishes its discovery document: code flow with PKCE S256, ES256 ID tokens and JWT UserInfo, eidas1, end session, FranceConnect scopes', async () => {
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, idp.issuer);
    assert.deepEqual(meta.response_types_supported, ['code']);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(meta.id_token_signing_alg_values_supported, ['ES256']);
    assert.deepEqual(meta.userinfo_signing_alg_values_supported, ['ES256']);
    assert.deepEqual(meta.acr_values_supported, ['eidas1']);
    assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['client_secret_post', 'client_secret_basic']);
    assert.equal(meta.end_session_endpoint, `${idp.issuer}/session/end`);
    for (const scope of fcScopes.split(' ')) assert.ok(meta.scopes_supported?.includes(scope), scope);
    const jwks = (await (await fetch(meta.jwks_uri!)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].kty, 'EC');
    assert.equal(jwks.keys[0].crv, 'P-256');
    assert.equal(jwks.keys[0].d, undefined, 'only the public key is published');
  });

  it('an authorization code round trip with PKCE: state and nonce come back, the ID token says acr eidas1, the UserInfo JWT is verified, end session returns to the app', async () => {
    const request = await authorizationRequest(config);
    const jar = new Map<string, string>();
    const callback = await idp.signIn(request.url, { as: testPeople.camille.sub }, jar);
    assert.equal(callback.origin + callback.pathname, redirectUri);
    assert.equal(callback.searchParams.get('state'), request.state);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    assert.equal(idToken.sub, testPeople.camille.sub);
    assert.equal(idToken.acr, 'eidas1');
    assert.equal(idToken.nonce, request.nonce);
    assert.equal(idToken.aud, TEST_CLIENT.client_id);
    assert.deepEqual(Object.keys(idToken).sort(), ['acr', 'aud', 'exp', 'iat', 'iss', 'nonce', 'sub'], 'as with FranceConnect, the claims come from UserInfo');
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0], 'base64url').toString()) as { alg: string };
    assert.equal(header.alg, 'ES256');

    // UserInfo is a signed JWT (application/jwt); openid-client checks its signature against the JWKS.
    const raw = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.match(raw.headers.get('content-type') ?? '', /^application\/jwt/);
    const claims = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    const { sub, given_name, family_name, preferred_username, birthdate, gender, birthplace, birthcountry, email, email_verified } = claims;
    assert.deepEqual({ sub, given_name, family_name, preferred_username, birthdate, gender, birthplace, birthcountry, email, email_verified }, testPeople.camille);

    const end = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: afterLogout, state: 'after-logout' });
    const back = await idp.signOut(end, jar);
    assert.equal(back.href, `${afterLogout}?state=after-logout`);
    assert.ok(![...jar.keys()].some((k) => k.startsWith('demo_idp_session')), 'the provider session is over');
  });

  it('grants only the scopes asked: an approximate birth date and a birth abroad come as FranceConnect sends them', async () => {
    const request = await authorizationRequest(config, { scope: 'openid birth birthdate email' });
    const callback = await idp.signIn(request.url, { as: testPeople.youssef.sub });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    const claims = await client.fetchUserInfo(config, tokens.access_token, testPeople.youssef.sub);
    assert.equal(claims.birthdate, '1975-01-01');
    assert.equal(claims.birthcountry, '99350');
    assert.equal(claims.birthplace, '');
    assert.equal(claims.given_name, undefined, 'given_name was not asked');
  });

  it('authenticates the client with client_secret_basic too', async () => {
    const basic = await client.discovery(
      new URL(idp.issuer),
      'cursus-basic',
      { client_secret: TEST_CLIENT.client_secret, id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256' },
      client.ClientSecretBasic(TEST_CLIENT.client_secret),
      { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
    );
    const request = await authorizationRequest(basic);
    const callback = await idp.signIn(request.url, { as: testPeople.camille.sub });
    const tokens = await client.authorizationCodeGrant(basic, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    assert.equal(tokens.claims()!.aud, 'cursus-basic');
  });

  it('refuses a request without PKCE: the error comes back to the callback', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', state: 'no-pkce', nonce: client.randomNonce() });
    const callback = await idp.signIn(url, { as: testPeople.camille.sub });
    assert.equal(callback.searchParams.get('error'), 'invalid_request');
    assert.match(callback.searchParams.get('error_description') ?? '', /PKCE/);
    assert.equal(callback.searchParams.get('state'), 'no-pkce');
  });

  it('refuses a replayed authorization code', async () => {
    const request = await authorizationRequest(config);
    const callback = await idp.signIn(request.url, { as: testPeople.camille.sub });
    const checks = { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce };
    await client.authorizationCodeGrant(config, callback, checks);
    await assert.rejects(client.authorizationCodeGrant(config, callback, checks), (e: client.ResponseBodyError) => e.error === 'invalid_grant');
  });

  it('the login page is a French HTML page listing the identities, with a way back (access_denied to the callback)', async () => {
    const request = await authorizationRequest(config);
    const first = await fetch(request.url, { redirect: 'manual' });
    assert.equal(first.status, 303);
    const cookies = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const login = await fetch(new URL(first.headers.get('location')!, idp.issuer), { headers: { cookie: cookies } });
    const html = await login.text();
    assert.equal(login.status, 200);
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<h1>/);
    for (const person of Object.values(testPeople)) assert.ok(html.includes(`value="${person.sub}"`), person.sub);
    assert.match(html, /Annuler et revenir sur le service/);

    const denied = await idp.signIn((await authorizationRequest(config)).url, { deny: true });
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.ok(denied.searchParams.get('state'));
  });

  it('fault: an error chosen by the test comes back to the callback instead of the login page', async () => {
    idp.faults.authorizationError = 'login_required';
    const request = await authorizationRequest(config);
    const callback = await idp.signIn(request.url, { as: testPeople.camille.sub });
    assert.equal(callback.searchParams.get('error'), 'login_required');
    assert.equal(callback.searchParams.get('state'), request.state);
  });

  const idTokenFaults = {
    'other-client': /"aud"/,
    'unknown-key': /signature verification failed/,
    'wrong-nonce': /"nonce"/,
    'wrong-issuer': /"iss"/,
    expired: /"exp"/,
  } as const;
  /** openid-client's error says why in its cause. */
  const because = (reason: RegExp) => (e: Error) => reason.test(String((e.cause as Error | undefined)?.message ?? e.message));
  for (const [fault, reason] of Object.entries(idTokenFaults) as Array<[keyof typeof idTokenFaults, RegExp]>)
    it(`fault: an ID token ${fault} is refused by openid-client`, async () => {
      idp.faults.idToken = fault;
      const request = await authorizationRequest(config);
      const callback = await idp.signIn(request.url, { as: testPeople.camille.sub });
      await assert.rejects(client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce }), because(reason));
    });

  for (const [fault, reason] of [['unknown-key', /signature verification failed/], ['unsigned', /JWT UserInfo Response expected/]] as const)
    it(`fault: a UserInfo answer ${fault === 'unsigned' ? 'not signed' : 'signed by an unknown key'} is refused by openid-client`, async () => {
      const request = await authorizationRequest(config);
      const callback = await idp.signIn(request.url, { as: testPeople.camille.sub });
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      idp.faults.userinfo = fault;
      await assert.rejects(client.fetchUserInfo(config, tokens.access_token, testPeople.camille.sub), because(reason));
    });

  it('openid-client checks the signatures only with enableNonRepudiationChecks (the app must use it): without, a forged ID token and UserInfo pass', async () => {
    const lax = await client.discovery(new URL(idp.issuer), TEST_CLIENT.client_id, { client_secret: TEST_CLIENT.client_secret, id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256' }, undefined, {
      execute: [client.allowInsecureRequests],
    });
    idp.faults.idToken = 'unknown-key';
    idp.faults.userinfo = 'unknown-key';
    const request = await authorizationRequest(lax);
    const callback = await idp.signIn(request.url, { as: testPeople.camille.sub });
    const tokens = await client.authorizationCodeGrant(lax, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    assert.equal((await client.fetchUserInfo(lax, tokens.access_token, testPeople.camille.sub)).sub, testPeople.camille.sub);
  });

  it('fault: a slow provider, a provider down (503)', async () => {
    idp.faults.delayMs = 300;
    const started = Date.now();
    await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    assert.ok(Date.now() - started >= 290);
    idp.faults.delayMs = 0;
    idp.faults.down = true;
    assert.equal((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status, 503);
  });

  it('fault: a provider gone (closed) refuses connections', async () => {
    const gone = await startTestProvider();
    const url = `${gone.issuer}/.well-known/openid-configuration`;
    assert.equal((await fetch(url)).status, 200);
    await gone.close();
    await assert.rejects(fetch(url));
  });
});
