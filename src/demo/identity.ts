import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config';
// Types only: oidc-provider is a dev dependency, absent from a production install; the provider is
// imported when the demo starts it, never otherwise.
import type { IdentityProvider, Person } from './identity-provider';
import { DEMO_LEARNER } from './seed';

/**
 * The demo's FranceConnect-like provider: in demo mode only (`config.demo`, never in production),
 * `npm start` starts it beside the app, on the port after the app's (another free one when that
 * is taken), at the app's host name, and points the app's OpenID Connect settings at it. A port of
 * its own rather than a prefix mounted in the app: oidc-provider is a Koa application with its
 * own body parsing, cookies and pages, which the app's hooks (CSP, CSRF, rate limits, the
 * microcache) would have to step around; beside the app it is the same program the tests start,
 * and it listens only when the demo runs.
 * Its login page offers two identities: one whose email matches the demo learner's account (a
 * first sign-in links to it once the learner proves the account's password, or by the email link),
 * one whose email matches no account (a first sign-in creates one, its record prefilled).
 */
export const demoIdentities: Person[] = [
  {
    sub: 'demo-fc-camille-martin',
    given_name: 'Camille Anne',
    family_name: 'Martin',
    birthdate: '1988-04-12',
    gender: 'female',
    birthplace: '75111',
    birthcountry: '99100',
    email: DEMO_LEARNER,
    email_verified: true,
  },
  {
    sub: 'demo-fc-youssef-benali',
    given_name: 'Youssef Karim',
    family_name: 'Benali',
    preferred_username: 'Benali-Roux',
    // Approximate: FranceConnect sends YYYY-01-01 when only the year is known.
    birthdate: '1979-01-01',
    gender: 'male',
    birthplace: '',
    birthcountry: '99350',
    email: 'youssef.benali@demo.cursus.fr',
    email_verified: true,
  },
];

export const DEMO_CLIENT_ID = 'cursus-demo';

export interface DemoIdentityProvider {
  provider: IdentityProvider;
  /** The app's configuration, its OIDC settings pointing at the provider. */
  config: Config;
  /** The settings set (OIDC_*), as the environment would give them. */
  settings: Record<string, string>;
  /** What `npm start` prints. */
  lines: string[];
}

/**
 * Starts the demo provider when the demo runs and no provider is configured (OIDC_PROVIDERS set:
 * the settings given win); undefined otherwise, and nothing listens.
 */
export async function startDemoIdentityProvider(config: Config, env: Record<string, string | undefined> = process.env): Promise<DemoIdentityProvider | undefined> {
  if (!config.demo || config.production || env.OIDC_PROVIDERS) return undefined;
  const { startIdentityProvider } = await import('./identity-provider');
  const base = new URL(config.baseUrl);
  const secret = randomBytes(24).toString('hex');
  const start = (port: number) =>
    startIdentityProvider({
      host: config.host,
      port,
      publicUrl: (p) => `http://${base.hostname}:${p}`,
      title: 'FranceConnect (démonstration)',
      clients: [
        {
          client_id: DEMO_CLIENT_ID,
          client_name: 'Cursus – cours municipaux d’adultes (démonstration)',
          client_secret: secret,
          redirect_uris: [`${config.baseUrl}/connexion/oidc/franceconnect/retour`],
          post_logout_redirect_uris: [`${config.baseUrl}/`],
        },
      ],
      people: demoIdentities,
    });
  const wanted = config.port && config.port < 65535 ? config.port + 1 : 0;
  const provider = await start(wanted).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' && wanted) return start(0);
    throw error;
  });
  const settings = {
    OIDC_PROVIDERS: 'franceconnect',
    OIDC_FRANCECONNECT_ISSUER: provider.issuer,
    OIDC_FRANCECONNECT_CLIENT_ID: DEMO_CLIENT_ID,
    OIDC_FRANCECONNECT_CLIENT_SECRET: secret,
  };
  return {
    provider,
    config: loadConfig({ ...env, ...settings }),
    settings,
    lines: [
      `Demo identity provider (FranceConnect-like, demo only): ${provider.issuer}`,
      ...demoIdentities.map((p) => `  FranceConnect identity: ${p.given_name} ${p.family_name} <${p.email}>`),
    ],
  };
}
