import * as client from 'openid-client';
import { startIdentityProvider, type IdentityProvider, type Person, type ProviderClient } from '../src/demo/identity-provider';

/**
 * The test OpenID provider (src/demo/identity-provider.ts: oidc-provider configured like
 * FranceConnect v2) on a free port of 127.0.0.1, with a client for the app and people whose
 * claims cover the cases the client handles.
 */

export const TEST_CLIENT: ProviderClient = {
  client_id: 'cursus-test',
  client_secret: 'cursus-test-client-secret-at-least-32-chars',
  redirect_uris: ['http://localhost:3000/connexion/oidc/franceconnect/retour'],
  post_logout_redirect_uris: ['http://localhost:3000/'],
};

/** Test identities: FranceConnect's « identité pivot » and email, in the shapes it sends them. */
export const testPeople = {
  /** Born in Paris 11e, several given names, a usage name. */
  camille: {
    sub: 'fc-camille-0001',
    given_name: 'Camille Marie Louise',
    family_name: 'Dupont',
    preferred_username: 'Martin',
    birthdate: '1988-04-12',
    gender: 'female',
    birthplace: '75111',
    birthcountry: '99100',
    email: 'camille.dupont@example.org',
    email_verified: true,
  },
  /** Born abroad (Morocco, 99350; no birthplace), an approximate birth date. */
  youssef: {
    sub: 'fc-youssef-0002',
    given_name: 'Youssef',
    family_name: 'El Amrani',
    birthdate: '1975-01-01',
    gender: 'male',
    birthplace: '',
    birthcountry: '99350',
    email: 'youssef.elamrani@example.org',
    email_verified: true,
  },
  /** An email the provider has not verified. */
  unverified: {
    sub: 'fc-unverified-0003',
    given_name: 'Jeanne',
    family_name: 'Petit',
    birthdate: '1992-11-03',
    gender: 'female',
    birthplace: '69123',
    birthcountry: '99100',
    email: 'jeanne.petit@example.org',
    email_verified: false,
  },
} satisfies Record<string, Person>;

/** Starts the provider (stop it with `close()`); people and clients may be replaced. */
export function startTestProvider(options: { people?: Person[]; clients?: ProviderClient[] } = {}): Promise<IdentityProvider> {
  return startIdentityProvider({ clients: options.clients ?? [TEST_CLIENT], people: options.people ?? Object.values(testPeople), title: 'FranceConnect (test)' });
}

/**
 * openid-client's configuration for the test provider, as the app's client must make it:
 * - `enableNonRepudiationChecks`: without it openid-client v6 checks neither the ID token's
 *   signature (it trusts the TLS connection to the token endpoint) nor the UserInfo JWT's, so a
 *   token signed by an unknown key would pass (the test of the provider shows it);
 * - `allowInsecureRequests` lets it speak plain http, which openid-client refuses otherwise: the
 *   test and demo provider listen on 127.0.0.1 without TLS. Only for them: a real provider
 *   (FranceConnect, the city's account) is always https, and the app must never pass this option
 *   for one.
 */
export function testClientConfiguration(idp: IdentityProvider, registered: ProviderClient = TEST_CLIENT): Promise<client.Configuration> {
  return client.discovery(
    new URL(idp.issuer),
    registered.client_id,
    { client_secret: registered.client_secret, id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256' },
    client.ClientSecretPost(registered.client_secret),
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
  );
}

export { type IdentityProvider, type Person, type ProviderClient } from '../src/demo/identity-provider';
