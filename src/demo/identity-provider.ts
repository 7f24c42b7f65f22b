import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { OidcContext, Provider as OidcProvider } from 'oidc-provider';

/**
 * A FranceConnect-like OpenID provider for the tests and the demo (never production: main.ts
 * starts it in demo mode only, and oidc-provider is a dev dependency). It is the real
 * `oidc-provider` package configured as FranceConnect v2 publishes its rules:
 * - authorization code flow only, PKCE (S256) required, client_secret_post or client_secret_basic;
 * - ID token and UserInfo signed ES256, the UserInfo answered as a signed JWT (application/jwt);
 * - `acr_values=eidas1` accepted and returned in the ID token's `acr`; `nonce` and `state` passed through;
 * - FranceConnect's scopes, one per claim (given_name, family_name, birthdate, gender, birthplace,
 *   birthcountry, email, preferred_username) and the groups profile, birth, identite_pivot;
 * - RP-initiated logout at the end_session_endpoint with id_token_hint and post_logout_redirect_uri.
 * There is no password: the login page lists the test identities and the person picks one;
 * consent is granted at once (FranceConnect asks it; the demo skips the step). docs/identity.md
 * says what else it does not do.
 */

/** A test identity, with FranceConnect's claims (its « identité pivot », its email, its usage name). */
export interface Person {
  sub: string;
  /** Every given name, space-separated, as FranceConnect sends them: "Camille Marie Louise". */
  given_name: string;
  family_name: string;
  /** The usage name (nom d'usage), when there is one. */
  preferred_username?: string;
  /** YYYY-MM-DD; approximate birth dates come as YYYY-01-01 (or YYYY-MM-01). */
  birthdate: string;
  gender: 'female' | 'male';
  /** INSEE code of the birth commune (5 characters); empty for people born abroad. */
  birthplace: string;
  /** INSEE code of the birth country: 99100 is France. */
  birthcountry: string;
  email: string;
  email_verified?: boolean;
}

export interface ProviderClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  /** The service's name on the login page (the client_id otherwise). */
  client_name?: string;
  /** client_secret_post (FranceConnect's and openid-client's default) or client_secret_basic. */
  token_endpoint_auth_method?: 'client_secret_post' | 'client_secret_basic';
}

/**
 * What the provider gets wrong on purpose, for the client's fault cases. Changed at any time
 * through `faults` (every request reads it).
 */
export interface ProviderFaults {
  /** Every request waits this long before it is answered (a slow provider). */
  delayMs?: number;
  /** Every request is answered 503 (a provider that is down but still reachable; `close()` for one that is gone). */
  down?: boolean;
  /** The next sign-ins end with this error returned to the client's callback (access_denied…) instead of the login page. */
  authorizationError?: string;
  /**
   * The token endpoint's ID token is rewritten: for another client (aud), signed by a key the JWKS
   * does not have, with another nonce or issuer, expired, with an `auth_time` an hour old (a
   * sign-in answered from an old session instead of a new authentication) or none.
   */
  idToken?: 'other-client' | 'unknown-key' | 'wrong-nonce' | 'wrong-issuer' | 'expired' | 'old-auth-time' | 'no-auth-time';
  /** The UserInfo JWT is signed by a key the JWKS does not have, or answered as plain JSON (not signed). */
  userinfo?: 'unknown-key' | 'unsigned';
}

export interface IdentityProviderOptions {
  /** 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default): a free port. */
  port?: number;
  /** The address the browser and the client use (the default: http://<host>:<port>). */
  publicUrl?: (port: number) => string;
  clients: ProviderClient[];
  people: Person[];
  /** Shown on the login page. */
  title?: string;
}

export interface IdentityProvider {
  issuer: string;
  /** The identities on the login page. */
  people: Person[];
  /** Mutable: set a field to make the next requests fail that way; `resetFaults()` puts it right. */
  faults: ProviderFaults;
  resetFaults(): void;
  /**
   * Signs in without a browser: follows the authorization URL (the client's redirect to the
   * provider) through the login page as `as` (a person's sub) — or refuses with `{ deny: true }` —
   * and returns the URL the provider sends the browser back to (the client's callback with
   * `code`, `state` and `iss`, or `error`). The cookies of this "browser" are in `jar`, kept for
   * `signOut`.
   */
  signIn(authorizationUrl: string | URL, who: { as: string } | { deny: true }, jar?: CookieJar): Promise<URL>;
  /** Follows an end-session URL as a browser would (the page submits itself), returns where the provider sends it back. */
  signOut(endSessionUrl: string | URL, jar?: CookieJar): Promise<URL>;
  close(): Promise<void>;
}

/** The cookies a scripted "browser" holds for the provider (name → value). */
export type CookieJar = Map<string, string>;

const scopesOfClaims = {
  openid: ['sub'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  preferred_username: ['preferred_username'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  email: ['email', 'email_verified'],
  profile: ['given_name', 'family_name', 'preferred_username', 'birthdate', 'gender'],
  birth: ['birthplace', 'birthcountry'],
  identite_pivot: ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function signingKey(kid: string) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  return { jwk, privateKey };
}

function page(title: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#161616;background:#f6f6f6}
header{background:#000091;color:#fff;padding:1rem 1.5rem}
header p{margin:0;font-weight:700}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
ul{list-style:none;padding:0}
li{margin:0 0 .75rem}
button{font:inherit;cursor:pointer;text-align:left;width:100%;padding:.75rem 1rem;border:2px solid #000091;background:#fff;color:#000091;border-radius:.25rem}
button:hover,button:focus{background:#e3e3fd}
button:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
.details{display:block;color:#3a3a3a;font-size:.9rem}
.secondary{border-color:#3a3a3a;color:#3a3a3a}
</style>
</head>
<body>
<header><p>Fournisseur d’identité de démonstration</p></header>
<main>
${main}
</main>
</body>
</html>`;
}

function loginPage(uid: string, title: string, people: Person[], client: string): string {
  const choices = people
    .map((p) => {
      const name = `${p.given_name} ${p.family_name}${p.preferred_username ? ` (nom d’usage ${p.preferred_username})` : ''}`;
      return `<li><button type="submit" name="sub" value="${escape(p.sub)}">${escape(name)}<span class="details">${escape(p.email)}${p.email_verified === false ? ' (non vérifiée)' : ''} · né(e) le ${escape(p.birthdate.split('-').reverse().join('/'))}</span></button></li>`;
    })
    .join('\n');
  return page(
    `Choisir une identité – ${title}`,
    `<h1>${escape(title)}</h1>
<p>Le service « ${escape(client)} » demande à vous identifier. Ceci est un fournisseur de démonstration : choisissez l’identité avec laquelle vous connecter, sans mot de passe.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<fieldset style="border:0;padding:0;margin:0">
<legend><h2 style="font-size:1.25rem">Identités de test</h2></legend>
<ul>
${choices}
</ul>
</fieldset>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
<button type="submit" class="secondary">Annuler et revenir sur le service</button>
</form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * oidc-provider, loaded when a provider starts. On import it warns that Node 20 is not its
 * supported runtime (it wants 22; it works): that one warning is left out, so the demo's start
 * and the tests' output stay readable.
 */
async function loadOidcProvider(): Promise<{ Provider: typeof OidcProvider; createMemoryAdapter: (clockTolerance?: number) => unknown }> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('oidc-provider WARNING: Unsupported runtime')) warn(...args);
  };
  try {
    const [{ default: Provider }, { createMemoryAdapter }] = await Promise.all([import('oidc-provider'), import('oidc-provider/lib/adapters/memory_adapter.js')]);
    return { Provider, createMemoryAdapter };
  } finally {
    console.warn = warn;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the provider; `issuer` is its address (discovery at issuer + /.well-known/openid-configuration). */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const host = options.host ?? '127.0.0.1';
  const { Provider, createMemoryAdapter } = await loadOidcProvider();
  const title = options.title ?? 'FranceConnect (démonstration)';
  const people = options.people;
  const faults: ProviderFaults = {};
  const key = await signingKey(`demo-${randomBytes(4).toString('hex')}`);
  // A key the JWKS never publishes: what a forged token is signed with.
  const foreign = await signingKey(key.jwk.kid!);

  // The port is known once the server listens; the provider (whose issuer is its address) is made then.
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = (options.publicUrl?.(port) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, '');

  const provider = new Provider(issuer, {
    // Its own in-memory store (oidc-provider's, which it warns about when it is the default one
    // shared by every provider of the process): a restart forgets sessions and codes, as it should here.
    adapter: createMemoryAdapter(15),
    clients: options.clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris,
      post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
      ...(c.client_name ? { client_name: c.client_name } : {}),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: c.token_endpoint_auth_method ?? 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
      userinfo_signed_response_alg: 'ES256',
    })),
    jwks: { keys: [key.jwk] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    acrValues: ['eidas1'],
    claims: scopesOfClaims,
    scopes: ['openid', ...Object.keys(scopesOfClaims).filter((s) => s !== 'openid')],
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    features: {
      devInteractions: { enabled: false },
      // FranceConnect has no pushed authorization requests.
      pushedAuthorizationRequests: { enabled: false },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'], userinfoSigningAlgValues: ['ES256'] },
    findAccount: async (_ctx: OidcContext, sub: string) => {
      const person = people.find((p) => p.sub === sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => ({ ...person, email_verified: person.email_verified ?? true }) };
    },
    // Consent is granted at once: the scopes asked are granted to the signed-in person.
    loadExistingGrant: async (ctx: OidcContext) => {
      const { client, session, result, params } = ctx.oidc;
      if (!client || !session.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx: OidcContext, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Not the app's cookie names: browsers send a host's cookies to every port of it.
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      names: { session: 'demo_idp_session', interaction: 'demo_idp_interaction', resume: 'demo_idp_resume' },
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 3600 * 8, Grant: 3600 * 8 },
    renderError: async (ctx: OidcContext, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = page(
        'Erreur – fournisseur d’identité de démonstration',
        `<h1>La connexion n’a pas abouti</h1>${Object.entries(out)
          .map(([k, v]) => `<p><strong>${escape(k)}</strong> : ${escape(String(v))}</p>`)
          .join('')}`,
      );
    },
  });

  // The faults on the tokens: the provider's answer is rewritten on its way out.
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'token' && faults.idToken && ctx.body && typeof ctx.body === 'object' && 'id_token' in ctx.body) {
      const body = ctx.body as { id_token: string };
      body.id_token = await forgeIdToken(decodeJwt(body.id_token), faults.idToken);
    }
    if (route === 'userinfo' && faults.userinfo && typeof ctx.body === 'string') {
      const claims = decodeJwt(ctx.body);
      if (faults.userinfo === 'unsigned') {
        ctx.type = 'json';
        ctx.body = claims;
      } else ctx.body = await sign(claims, foreign.privateKey);
    }
  });

  const sign = (claims: JWTPayload, privateKey: CryptoKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid, typ: 'JWT' }).sign(privateKey);

  function forgeIdToken(claims: JWTPayload, fault: NonNullable<ProviderFaults['idToken']>): Promise<string> {
    if (fault === 'unknown-key') return sign(claims, foreign.privateKey);
    if (fault === 'no-auth-time') return sign({ ...claims, auth_time: undefined }, key.privateKey);
    const now = Math.floor(Date.now() / 1000);
    const changed: Record<Exclude<typeof fault, 'unknown-key' | 'no-auth-time'>, JWTPayload> = {
      'other-client': { aud: 'another-client', azp: 'another-client' },
      'wrong-nonce': { nonce: 'not-the-nonce-the-client-sent-0000' },
      'wrong-issuer': { iss: `${issuer}/another-provider` },
      expired: { iat: now - 7200, exp: now - 3600 },
      'old-auth-time': { auth_time: now - 3600 },
    };
    return sign({ ...claims, ...changed[fault] }, key.privateKey);
  }

  async function logoutSource(ctx: OidcContext, form: string) {
    // FranceConnect signs out without asking: the page submits itself (the button for browsers without JavaScript).
    ctx.type = 'html';
    ctx.body = page(
      'Déconnexion – fournisseur d’identité de démonstration',
      `<h1>Déconnexion</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<p>Vous allez être déconnecté du fournisseur d’identité.</p>
<button type="submit" form="op.logoutForm">Se déconnecter</button>
<script>document.getElementById('op.logoutForm').submit()</script>`,
    );
  }

  async function postLogoutSuccessSource(ctx: OidcContext) {
    ctx.type = 'html';
    ctx.body = page('Déconnecté – fournisseur d’identité de démonstration', '<h1>Vous êtes déconnecté</h1>');
  }

  const oidc = provider.callback();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    try {
      if (faults.delayMs) await sleep(faults.delayMs);
      if (faults.down) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('Service indisponible');
        return;
      }
      const interaction = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
      if (interaction) return await interact(req, res, interaction[1], interaction[2]);
      oidc(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Erreur – fournisseur d’identité de démonstration', `<h1>La connexion n’a pas abouti</h1><p>${escape(String((error as Error).message ?? error))}</p>`));
    }
  }

  /** The login page (GET), the choice of an identity (POST …/login) and the refusal (POST …/abort). */
  async function interact(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('This sign-in is no longer under way: start again from the service.');
    if (faults.authorizationError)
      return provider.interactionFinished(req, res, { error: faults.authorizationError, error_description: 'Erreur simulée par le fournisseur de démonstration.' }, { mergeWithLastSubmission: false });
    if (req.method === 'GET' && !action) {
      const registered = options.clients.find((c) => c.client_id === details.params.client_id);
      const client = registered?.client_name ?? registered?.client_id ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(uid, title, people, client));
      return;
    }
    if (req.method !== 'POST') throw new Error('Method not allowed.');
    if (action === '/abort')
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'La personne a annulé la connexion.' }, { mergeWithLastSubmission: false });
    const sub = (await readForm(req)).get('sub');
    if (!people.some((p) => p.sub === sub)) throw new Error('Choose one of the identities listed.');
    // FranceConnect's level of assurance (eIDAS low) is the one this provider gives.
    return provider.interactionFinished(req, res, { login: { accountId: sub, acr: 'eidas1', amr: ['pwd'] } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    people,
    faults,
    resetFaults: () => {
      for (const k of Object.keys(faults)) delete faults[k as keyof ProviderFaults];
    },
    signIn: (url, who, jar = new Map()) => scriptedSignIn(issuer, url, who, jar),
    signOut: (url, jar = new Map()) => scriptedSignOut(issuer, url, jar),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A scripted browser for the tests: fetch with manual redirects and a cookie jar.

async function browse(jar: CookieJar, url: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair, ...attributes] = cookie.split(';');
    const [name, value] = [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()];
    const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\b/i.test(a));
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return response;
}

/** Follows redirects inside the provider; stops at the first one that leaves it (the client's callback). */
async function follow(issuer: string, jar: CookieJar, first: Response, from: URL): Promise<{ left?: URL; page?: { url: URL; html: string } }> {
  let response = first;
  let url = from;
  for (let hops = 0; hops < 10; hops++) {
    const location = response.headers.get('location');
    if (!location) return { page: { url, html: await response.text() } };
    await response.arrayBuffer();
    url = new URL(location, url);
    if (!url.href.startsWith(`${issuer}/`)) return { left: url };
    response = await browse(jar, url);
  }
  throw new Error('Too many redirects at the identity provider.');
}

async function scriptedSignIn(issuer: string, authorizationUrl: string | URL, who: { as: string } | { deny: true }, jar: CookieJar): Promise<URL> {
  const start = new URL(authorizationUrl);
  const shown = await follow(issuer, jar, await browse(jar, start), start);
  if (shown.left) return shown.left;
  const login = shown.page!;
  const action = 'deny' in who ? /action="([^"]*\/abort)"/.exec(login.html)?.[1] : /action="([^"]*\/login)"/.exec(login.html)?.[1];
  if (!action) throw new Error(`No login page at the identity provider: ${login.html.slice(0, 500)}`);
  const target = new URL(action, login.url);
  const body = 'as' in who ? new URLSearchParams({ sub: who.as }) : new URLSearchParams();
  const done = await follow(issuer, jar, await browse(jar, target, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), target);
  if (done.left) return done.left;
  throw new Error(`The identity provider did not send the browser back: ${done.page?.html.slice(0, 500)}`);
}

async function scriptedSignOut(issuer: string, endSessionUrl: string | URL, jar: CookieJar): Promise<URL> {
  const start = new URL(endSessionUrl);
  const shown = await follow(issuer, jar, await browse(jar, start), start);
  if (shown.left) return shown.left;
  const form = shown.page!;
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form.html)?.[1];
  const action = /id="op\.logoutForm" method="post" action="([^"]+)"/.exec(form.html)?.[1];
  if (!xsrf || !action) throw new Error(`No logout form at the identity provider: ${form.html.slice(0, 500)}`);
  const target = new URL(action, form.url);
  const done = await follow(issuer, jar, await browse(jar, target, { method: 'POST', body: new URLSearchParams({ xsrf, logout: 'yes' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), target);
  if (done.left) return done.left;
  return done.page!.url;
}
