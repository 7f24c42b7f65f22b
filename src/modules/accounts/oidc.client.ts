import * as client from 'openid-client';
import type { OidcConfig, OidcProviderConfig } from '../../config';

/**
 * ACC-13: the OpenID Connect client of each configured provider, with `openid-client` (v6).
 * Discovery is done lazily, the first time someone uses the provider (never on the login page,
 * which only shows the buttons), within the configured timeout, and cached; a failure is
 * remembered for a short while so that a provider down does not make every click wait, and
 * retried after it. The ID token's and the UserInfo JWT's signatures are verified against the
 * provider's keys (`enableNonRepudiationChecks`: without it, openid-client trusts the token
 * endpoint's TLS and does not check them); FranceConnect's UserInfo must be a signed JWT
 * (`userinfo_signed_response_alg`).
 */

/** The provider could not be reached, or answered too slowly or with an error page. */
export class ProviderUnavailable extends Error {}

const RETRY_AFTER_FAILURE_MS = 15_000;

export interface OidcClient {
  provider: OidcProviderConfig;
  redirectUri: string;
  configuration(): Promise<client.Configuration>;
}

export interface OidcClients {
  providers: OidcProviderConfig[];
  get(name: string): OidcClient | undefined;
}

export function oidcClients(oidc: OidcConfig, baseUrl: string, now: () => number = Date.now): OidcClients {
  const clients = new Map<string, OidcClient>();
  for (const provider of oidc.providers) {
    const redirectUri = `${baseUrl}/connexion/oidc/${provider.name}/retour`;
    let cached: client.Configuration | undefined;
    let pending: Promise<client.Configuration> | undefined;
    let failedAt = -Infinity;
    const discover = async () => {
      const metadata: Partial<client.ClientMetadata> = {
        client_secret: provider.clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        post_logout_redirect_uris: [`${baseUrl}/`],
        ...(provider.signingAlg ? { id_token_signed_response_alg: provider.signingAlg } : {}),
        ...(provider.kind === 'franceconnect' ? { userinfo_signed_response_alg: provider.signingAlg ?? 'ES256' } : {}),
      };
      const insecure = new URL(provider.issuer).protocol === 'http:'; // refused in production by config.ts
      const configuration = await client.discovery(new URL(provider.issuer), provider.clientId, metadata, client.ClientSecretPost(provider.clientSecret), {
        timeout: oidc.timeoutSeconds,
        execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
      });
      configuration.timeout = oidc.timeoutSeconds;
      return configuration;
    };
    clients.set(provider.name, {
      provider,
      redirectUri,
      async configuration() {
        if (cached) return cached;
        if (now() - failedAt < RETRY_AFTER_FAILURE_MS) throw new ProviderUnavailable(`${provider.name}: discovery failed less than ${RETRY_AFTER_FAILURE_MS / 1000} s ago`);
        pending ??= discover()
          .then((configuration) => (cached = configuration))
          .catch((error: unknown) => {
            failedAt = now();
            throw new ProviderUnavailable(`${provider.name}: discovery failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          })
          .finally(() => {
            pending = undefined;
          });
        return pending;
      },
    });
  }
  return { providers: oidc.providers, get: (name) => clients.get(name) };
}

/** True when an error means the provider was not reached or did not answer in time (rather than answering wrongly). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof ProviderUnavailable) return true;
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: string }).name;
    const code = (e as { code?: string }).code;
    if (name === 'AbortError' || name === 'TimeoutError') return true;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR_)/.test(code)) return true;
    if (e instanceof TypeError && /fetch failed/.test(e.message)) return true;
    // An error page (5xx) where a token, a UserInfo or the discovery document was expected.
    const status = (e as { status?: number; response?: { status?: number } }).status ?? (e as { response?: { status?: number } }).response?.status;
    if (typeof status === 'number' && status >= 500) return true;
  }
  return false;
}

export { client };
