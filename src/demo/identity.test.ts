import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import * as client from 'openid-client';
import { loadConfig } from '../config';
import { DEMO_CLIENT_ID, demoIdentities, startDemoIdentityProvider } from './identity';
import { DEMO_LEARNER } from './seed';
import { freePort } from '../../test/ports';


describe('the demo identity provider (npm start in demo mode)', () => {
  it('starts on the port after the app’s, at the app’s host name, with the demo learner and a person without an account; the OIDC settings point at it', async () => {
    const port = (await freePort()) - 1;
    const env = { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent' };
    const demo = await startDemoIdentityProvider(loadConfig(env), env);
    assert.ok(demo, 'the embedded database: the demo runs, and its provider');
    try {
      assert.equal(demo.provider.issuer, `http://localhost:${port + 1}`);
      assert.deepEqual(Object.keys(demo.settings), ['OIDC_PROVIDERS', 'OIDC_FRANCECONNECT_ISSUER', 'OIDC_FRANCECONNECT_CLIENT_ID', 'OIDC_FRANCECONNECT_CLIENT_SECRET']);
      assert.equal(demo.settings.OIDC_PROVIDERS, 'franceconnect');
      assert.equal(demo.settings.OIDC_FRANCECONNECT_ISSUER, demo.provider.issuer);
      assert.equal(demo.config.baseUrl, `http://localhost:${port}`);
      assert.ok(demoIdentities.some((p) => p.email === DEMO_LEARNER), 'one identity is the demo learner');
      assert.ok(demoIdentities.some((p) => p.email !== DEMO_LEARNER && !p.email.startsWith('apprenant')), 'one matches no account');

      // The app's client, as the settings describe it, signs in the demo learner.
      const config = await client.discovery(new URL(demo.settings.OIDC_FRANCECONNECT_ISSUER), DEMO_CLIENT_ID, demo.settings.OIDC_FRANCECONNECT_CLIENT_SECRET, undefined, {
        // Plain http: the demo provider only (see test/oidc.ts).
        execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
      });
      const verifier = client.randomPKCECodeVerifier();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `${demo.config.baseUrl}/connexion/oidc/franceconnect/retour`,
        scope: 'openid email given_name family_name birthdate',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 'demo-state',
        nonce,
        acr_values: 'eidas1',
      });
      const callback = await demo.provider.signIn(url, { as: demoIdentities[0].sub });
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'demo-state', expectedNonce: nonce });
      assert.equal((await client.fetchUserInfo(config, tokens.access_token, demoIdentities[0].sub)).email, DEMO_LEARNER);
    } finally {
      await demo.provider.close();
    }
  });

  it('takes another free port when the one after the app’s is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const env = { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(taken - 1), LOG_LEVEL: 'silent' };
    const demo = await startDemoIdentityProvider(loadConfig(env), env);
    try {
      assert.ok(demo);
      assert.notEqual(new URL(demo.provider.issuer).port, String(taken));
      assert.equal((await fetch(`${demo.provider.issuer}/.well-known/openid-configuration`)).status, 200);
    } finally {
      await demo?.provider.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('nothing starts outside demo mode: production, a database without DEMO=1, or providers set by the settings', async () => {
    const cases: Record<string, string>[] = [
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 's'.repeat(32) },
      { NODE_ENV: 'development', DATABASE_URL: 'postgres://db/cursus', DEMO: '0' },
      { NODE_ENV: 'test', DATABASE_URL: 'postgres://db/cursus', DEMO: '0' },
      { NODE_ENV: 'development', OIDC_PROVIDERS: 'franceconnect', OIDC_FRANCECONNECT_ISSUER: 'https://fc.example.org', OIDC_FRANCECONNECT_CLIENT_ID: 'id', OIDC_FRANCECONNECT_CLIENT_SECRET: 'secret' },
    ];
    for (const env of cases) assert.equal(await startDemoIdentityProvider(loadConfig(env), env), undefined, JSON.stringify(env));
    // Even a configuration that says demo is refused in production (loadConfig never makes one).
    const production = loadConfig(cases[0]);
    assert.equal(await startDemoIdentityProvider({ ...production, demo: true }, {}), undefined);
  });

  it('the program imports oidc-provider (a dev dependency, absent from a production install) only when the demo starts it', () => {
    for (const file of ['../main.ts', './identity.ts', './seed.ts']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      assert.doesNotMatch(source, /^import (?!type )[^;]*from '(\.\/demo\/|\.\/)identity-provider'/m, file);
      assert.doesNotMatch(source, /from 'oidc-provider'/, file);
    }
  });
});
