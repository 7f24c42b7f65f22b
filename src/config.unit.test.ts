import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('defaults to development on port 3000 with the embedded database', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.baseUrl, 'http://localhost:3000');
  });

  it('stops with one line naming the bad variable', () => {
    assert.throws(() => loadConfig({ PORT: 'abc' }), (e: Error) => e instanceof ConfigError && e.message.startsWith('Configuration error: PORT'));
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must start with postgres/);
    assert.throws(() => loadConfig({ SMTP_URL: 'http://x' }), /SMTP_URL/);
  });

  it('refuses to start in production without DATABASE_URL or a session secret', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /DATABASE_URL is required in production/);
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus' }),
      /SESSION_SECRET is required in production/,
    );
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'short' }),
      /SESSION_SECRET must be at least 32 characters/,
    );
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'x'.repeat(32) });
    assert.equal(config.production, true);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined);
  });
});

describe('configuration: the demo and the development pages (issue 11)', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'x'.repeat(32) };

  it('on the embedded database the demo and the development mailbox are on, as `npm start` has them', () => {
    const config = loadConfig({});
    assert.equal(config.demo, true);
    assert.equal(config.devMailbox, true);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).devMailbox, true, 'the tests and the browser journeys read the mailbox');
  });

  it('a DATABASE_URL outside production without DEMO refuses to start, in one line saying why', () => {
    for (const env of [{ DATABASE_URL: 'postgres://db/cursus' }, { NODE_ENV: 'development', DATABASE_URL: 'postgres://db/cursus' }, { NODE_ENV: 'test', DATABASE_URL: 'postgres://db/cursus', DEV_MAILBOX: '1' }]) {
      assert.throws(
        () => loadConfig(env),
        (e: Error) => e instanceof ConfigError && /^Configuration error: DATABASE_URL .*NODE_ENV=production.*DEMO=1.*DEMO=0/.test(e.message) && !e.message.includes('\n'),
        JSON.stringify(env),
      );
    }
  });

  it('with a DATABASE_URL, DEMO says it explicitly; DEV_MAILBOX follows DEMO unless given', () => {
    const db = { DATABASE_URL: 'postgres://db/cursus' };
    assert.deepEqual(pick(loadConfig({ ...db, DEMO: '0' })), { demo: false, devMailbox: false });
    assert.deepEqual(pick(loadConfig({ ...db, DEMO: '1' })), { demo: true, devMailbox: true });
    assert.deepEqual(pick(loadConfig({ ...db, DEMO: '0', DEV_MAILBOX: '1' })), { demo: false, devMailbox: true });
    assert.deepEqual(pick(loadConfig({ ...db, DEMO: '1', DEV_MAILBOX: '0' })), { demo: true, devMailbox: false });
    assert.deepEqual(pick(loadConfig({ DEMO: '0' })), { demo: false, devMailbox: false }, 'the embedded database without the demo');
    assert.throws(() => loadConfig({ ...db, DEMO: 'yes' }), /Configuration error: DEMO must be 1 or 0$/);
  });

  it('production has neither, and refuses to be asked for them', () => {
    assert.deepEqual(pick(loadConfig(production)), { demo: false, devMailbox: false });
    assert.throws(() => loadConfig({ ...production, DEMO: '1' }), /Configuration error: DEMO is refused in production/);
    assert.throws(() => loadConfig({ ...production, DEV_MAILBOX: '1' }), /Configuration error: DEV_MAILBOX is refused in production/);
    assert.equal(loadConfig({ ...production, DEMO: '0', DEV_MAILBOX: '0' }).devMailbox, false);
  });
});

describe('configuration: TRUST_PROXY (issue 11)', () => {
  it('takes the proxies’ addresses or ranges; false (the default) believes no forwarding header', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy, ['127.0.0.1']);
    assert.deepEqual(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, ::1 ,fd00::/8' }).trustProxy, ['10.0.0.0/8', '::1', 'fd00::/8']);
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy, ['loopback']);
  });

  it('refuses `true` (it believes what any client writes in X-Forwarded-For), hop counts and bad values, in one line', () => {
    const oneLine = (pattern: RegExp) => (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes('\n');
    assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), oneLine(/^Configuration error: TRUST_PROXY cannot be true: .*TRUST_PROXY=127\.0\.0\.1 for an nginx/));
    assert.throws(() => loadConfig({ TRUST_PROXY: '1' }), oneLine(/^Configuration error: TRUST_PROXY takes addresses, not a hop count .*TRUST_PROXY=127\.0\.0\.1/));
    for (const bad of ['yes', '-1', '1.5', '10.0.0.0/33', '10.0.0.256', '127.0.0.1,', 'nginx', '::1/129'])
      assert.throws(() => loadConfig({ TRUST_PROXY: bad }), oneLine(/^Configuration error: TRUST_PROXY takes /), bad);
  });

  it('behind nginx, the client is the address nginx adds, not one the client wrote; a client reaching the app directly is not believed', async () => {
    const ip = async (setting: string, remoteAddress: string, forwardedFor: string) => {
      const app = Fastify({ trustProxy: loadConfig({ TRUST_PROXY: setting }).trustProxy });
      app.get('/', async (request) => request.ip);
      try {
        return (await app.inject({ url: '/', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } })).body;
      } finally {
        await app.close();
      }
    };
    // The client sent `X-Forwarded-For: 6.6.6.6`; nginx appended the address it saw.
    for (const setting of ['127.0.0.1', 'loopback', '127.0.0.1,10.0.0.0/8'])
      assert.equal(await ip(setting, '127.0.0.1', '6.6.6.6, 203.0.113.7'), '203.0.113.7', setting);
    assert.equal(await ip('127.0.0.1', '198.51.100.9', '6.6.6.6'), '198.51.100.9', 'not through the proxy');
    // Two proxies (a load balancer, then nginx), both in the range.
    assert.equal(await ip('10.0.0.0/8', '10.0.0.2', '6.6.6.6, 203.0.113.7, 10.0.0.1'), '203.0.113.7');
    assert.equal(await ip('false', '127.0.0.1', '6.6.6.6'), '127.0.0.1');
  });
});

function pick(config: { demo: boolean; devMailbox: boolean }) {
  return { demo: config.demo, devMailbox: config.devMailbox };
}

describe('configuration: online payment, PayFiP (PAY-2, issue 12)', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'x'.repeat(32) };
  const payfip = { PAYFIP_NUMCLI: '012345', PAYFIP_SAISIE: 'W' };
  const oneLine = (pattern: RegExp) => (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes('\n');

  it('outside production with no PAYFIP_* setting, the simulated PayFiP mounted in the app, in test mode, at the app’s own address', () => {
    for (const env of [{}, { NODE_ENV: 'test' }, { ONLINE_PAYMENT: '1' }])
      assert.deepEqual(loadConfig(env).payfip, {
        kind: 'simulated',
        prefix: '/simulateur-payfip',
        numcli: '000000',
        saisie: 'T',
        wsUrl: 'http://localhost:3000/simulateur-payfip/tpa/services/securite',
        pageUrl: 'http://localhost:3000/simulateur-payfip/tpa/paiementws.web',
      }, JSON.stringify(env));
    const behindProxy = loadConfig({ BASE_URL: 'https://demo.example.fr/' }).payfip;
    assert.equal(behindProxy.kind === 'simulated' && behindProxy.pageUrl, 'https://demo.example.fr/simulateur-payfip/tpa/paiementws.web');
  });

  it('with the settings, the real PayFiP, the DGFiP’s endpoints by default', () => {
    assert.deepEqual(loadConfig({ ...production, ...payfip }).payfip, {
      kind: 'payfip',
      numcli: '012345',
      saisie: 'W',
      wsUrl: 'https://www.payfip.gouv.fr/tpa/services/securite',
      pageUrl: 'https://www.payfip.gouv.fr/tpa/paiementws.web',
    });
    const activation = loadConfig({ ...production, PAYFIP_NUMCLI: '012345', PAYFIP_SAISIE: 'X', PAYFIP_WS_URL: 'https://payfip.example/ws', PAYFIP_PAGE_URL: 'https://payfip.example/page' }).payfip;
    assert.deepEqual(activation, { kind: 'payfip', numcli: '012345', saisie: 'X', wsUrl: 'https://payfip.example/ws', pageUrl: 'https://payfip.example/page' });
    assert.equal(loadConfig({ PAYFIP_NUMCLI: '012345', PAYFIP_SAISIE: 'T' }).payfip.kind, 'payfip', 'a developer may try the real PayFiP in test mode');
  });

  it('production never has the simulator: without settings, no online payment; ONLINE_PAYMENT=0 says so everywhere', () => {
    assert.deepEqual(loadConfig(production).payfip, { kind: 'off' });
    assert.deepEqual(loadConfig({ ...production, ONLINE_PAYMENT: '0' }).payfip, { kind: 'off' });
    assert.deepEqual(loadConfig({ ONLINE_PAYMENT: '0' }).payfip, { kind: 'off' });
  });

  it('bad or missing settings stop the program in one line naming the variable', () => {
    assert.throws(() => loadConfig({ ...production, ONLINE_PAYMENT: '1' }), oneLine(/^Configuration error: PAYFIP_NUMCLI is required in production with ONLINE_PAYMENT=1: the 6-digit PayFiP client number/));
    assert.throws(() => loadConfig({ ...production, PAYFIP_SAISIE: 'W' }), oneLine(/^Configuration error: PAYFIP_NUMCLI is required with the other PAYFIP_\* settings/));
    assert.throws(() => loadConfig({ PAYFIP_NUMCLI: '012345' }), oneLine(/^Configuration error: PAYFIP_SAISIE is required with the other PAYFIP_\* settings .*: T test, X activation, W production$/));
    assert.throws(() => loadConfig({ PAYFIP_WS_URL: 'https://payfip.example/ws' }), oneLine(/^Configuration error: PAYFIP_NUMCLI is required/));
    assert.throws(() => loadConfig({ ...payfip, PAYFIP_NUMCLI: '12345' }), oneLine(/^Configuration error: PAYFIP_NUMCLI must be the 6 digits of the PayFiP client number/));
    assert.throws(() => loadConfig({ ...payfip, PAYFIP_NUMCLI: 'ABCDEF' }), oneLine(/^Configuration error: PAYFIP_NUMCLI must be the 6 digits/));
    assert.throws(() => loadConfig({ ...payfip, PAYFIP_SAISIE: 'P' }), oneLine(/^Configuration error: PAYFIP_SAISIE must be T \(test\), X \(activation\) or W \(production\)$/));
    assert.throws(() => loadConfig({ ...payfip, PAYFIP_WS_URL: 'ftp://payfip.example/ws' }), oneLine(/^Configuration error: PAYFIP_WS_URL must be an http\(s\) URL$/));
    assert.throws(() => loadConfig({ ...payfip, PAYFIP_PAGE_URL: 'not a url' }), oneLine(/^Configuration error: PAYFIP_PAGE_URL must be an http\(s\) URL$/));
    assert.throws(() => loadConfig({ ...payfip, ONLINE_PAYMENT: '0' }), oneLine(/^Configuration error: ONLINE_PAYMENT is 0 \(no online payment\) but PAYFIP_NUMCLI, PAYFIP_SAISIE is set/));
    assert.throws(() => loadConfig({ ONLINE_PAYMENT: 'maybe' }), oneLine(/^Configuration error: ONLINE_PAYMENT must be 1 or 0$/));
  });

  it('in production, test mode (no money collected) and http endpoints are refused', () => {
    assert.throws(() => loadConfig({ ...production, ...payfip, PAYFIP_SAISIE: 'T' }), oneLine(/^Configuration error: PAYFIP_SAISIE is T \(test: no money is collected\) in production: X for the activation payments, then W$/));
    assert.throws(() => loadConfig({ ...production, ...payfip, PAYFIP_WS_URL: 'http://payfip.example/ws' }), oneLine(/^Configuration error: PAYFIP_WS_URL must be https in production$/));
    assert.throws(() => loadConfig({ ...production, ...payfip, PAYFIP_PAGE_URL: 'http://payfip.example/page' }), oneLine(/^Configuration error: PAYFIP_PAGE_URL must be https in production$/));
    assert.throws(() => loadConfig({ NODE_ENV: 'production', ...payfip }), /DATABASE_URL is required in production/, 'the database and the secret are still said first');
  });
});

describe('configuration: the SMS channel (issue 13)', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'x'.repeat(32) };
  const brevo = { SMS_PROVIDER: 'brevo', BREVO_API_KEY: 'xkeysib-0123456789abcdef0123', SMS_SENDER: 'CMAParis', SMS_REPORT_SECRET: 's'.repeat(32) };
  const oneLine = (pattern: RegExp) => (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes('\n');

  it('without settings the SMS stay in the outbox (mailbox), in production too (main.ts warns, as without SMTP_URL)', () => {
    assert.deepEqual(loadConfig({}).sms, { provider: 'mailbox' });
    assert.deepEqual(loadConfig({ SMS_PROVIDER: 'mailbox' }).sms, { provider: 'mailbox' });
    assert.deepEqual(loadConfig(production).sms, { provider: 'mailbox' });
  });

  it('SMS_PROVIDER=brevo takes the key, the sender and the reports’ secret; the API is Brevo’s unless BREVO_API_URL says otherwise', () => {
    assert.deepEqual(loadConfig({ ...production, ...brevo }).sms, { provider: 'brevo', apiKey: brevo.BREVO_API_KEY, apiUrl: 'https://api.brevo.com/v3', sender: 'CMAParis', reportSecret: brevo.SMS_REPORT_SECRET });
    const simulated = loadConfig({ ...brevo, BREVO_API_URL: 'http://127.0.0.1:4010/v3/' }).sms;
    assert.equal(simulated.provider === 'brevo' ? simulated.apiUrl : '', 'http://127.0.0.1:4010/v3');
    const { SMS_PROVIDER: _, ...implied } = brevo;
    assert.equal(loadConfig(implied).sms.provider, 'brevo', 'a BREVO_API_KEY asks for Brevo');
  });

  it('refuses what is missing or wrong, in one line naming the variable', () => {
    for (const key of ['BREVO_API_KEY', 'SMS_SENDER', 'SMS_REPORT_SECRET'] as const) {
      const { [key]: _, ...missing } = brevo;
      assert.throws(() => loadConfig(missing), oneLine(new RegExp(`^Configuration error: ${key} is required with SMS_PROVIDER=brevo`)), key);
    }
    for (const sender of ['Cours municipaux', 'CoursMunicipaux', 'Écoles', 'CMA-Paris'])
      assert.throws(() => loadConfig({ ...brevo, SMS_SENDER: sender }), oneLine(/^Configuration error: SMS_SENDER must be 1 to 11 letters or digits/), sender);
    assert.throws(() => loadConfig({ ...brevo, SMS_REPORT_SECRET: 'short' }), oneLine(/^Configuration error: SMS_REPORT_SECRET must be at least 32 characters/));
    assert.throws(() => loadConfig({ ...brevo, SMS_PROVIDER: 'twilio' }), oneLine(/^Configuration error: SMS_PROVIDER must be mailbox .* or brevo/));
    assert.throws(() => loadConfig({ SMS_PROVIDER: 'mailbox', BREVO_API_KEY: brevo.BREVO_API_KEY }), oneLine(/^Configuration error: SMS_PROVIDER is mailbox .* but BREVO_API_KEY is set/));
    assert.throws(() => loadConfig({ ...production, ...brevo, BREVO_API_URL: 'http://api.brevo.com/v3' }), oneLine(/^Configuration error: BREVO_API_URL must be https in production/));
  });
});

describe('configuration: OpenID providers (ACC-13)', () => {
  const fc = { OIDC_PROVIDERS: 'franceconnect', OIDC_FRANCECONNECT_ISSUER: 'https://oidc.franceconnect.gouv.fr/api/v2', OIDC_FRANCECONNECT_CLIENT_ID: 'id', OIDC_FRANCECONNECT_CLIENT_SECRET: 'secret' };

  it('ACC-13 no provider by default; FranceConnect gets its rules by default (eidas1, ES256, its scopes and label)', () => {
    assert.deepEqual(loadConfig({}).oidc.providers, []);
    const [p] = loadConfig(fc).oidc.providers;
    assert.equal(p.kind, 'franceconnect');
    assert.equal(p.label, 'FranceConnect');
    assert.equal(p.acr, 'eidas1');
    assert.equal(p.signingAlg, 'ES256');
    assert.match(p.scopes, /^openid /);
    assert.equal(loadConfig(fc).oidc.timeoutSeconds, 5);
  });

  it('ACC-13 any number of providers; a generic one needs its label', () => {
    const paris = { OIDC_PARIS_ISSUER: 'https://compte.paris.fr', OIDC_PARIS_CLIENT_ID: 'c', OIDC_PARIS_CLIENT_SECRET: 's' };
    assert.throws(() => loadConfig({ ...fc, ...paris, OIDC_PROVIDERS: 'franceconnect,paris' }), /^Error: Configuration error: OIDC_PARIS_LABEL is required/);
    const config = loadConfig({ ...fc, ...paris, OIDC_PROVIDERS: 'franceconnect,paris', OIDC_PARIS_LABEL: 'Compte parisien' });
    assert.deepEqual(config.oidc.providers.map((p) => [p.name, p.kind, p.label, p.acr]), [['franceconnect', 'franceconnect', 'FranceConnect', 'eidas1'], ['paris', 'generic', 'Compte parisien', undefined]]);
  });

  it('ACC-13 a bad setting stops with one line naming it', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...fc, OIDC_FRANCECONNECT_ISSUER: '' }, /OIDC_FRANCECONNECT_ISSUER is required/],
      [{ ...fc, OIDC_FRANCECONNECT_ISSUER: 'not a url' }, /OIDC_FRANCECONNECT_ISSUER must be an http\(s\) URL/],
      [{ ...fc, OIDC_FRANCECONNECT_CLIENT_SECRET: '' }, /OIDC_FRANCECONNECT_CLIENT_SECRET is required/],
      [{ ...fc, OIDC_FRANCECONNECT_KIND: 'saml' }, /OIDC_FRANCECONNECT_KIND must be franceconnect or generic/],
      [{ ...fc, OIDC_FRANCECONEKT_ISSUER: 'https://x' }, /OIDC_FRANCECONEKT_ISSUER is set but franceconekt is not in OIDC_PROVIDERS/],
      [{ ...fc, OIDC_FRANCECONNECT_COLOR: 'blue' }, /OIDC_FRANCECONNECT_COLOR is not a setting/],
      [{ ...fc, OIDC_PROVIDERS: 'France Connect' }, /OIDC_PROVIDERS takes provider names of lower-case letters/],
      [{ ...fc, OIDC_FRANCECONNECT_SCOPES: 'email' }, /must include openid/],
      [{ ...fc, OIDC_TIMEOUT_SECONDS: '0' }, /OIDC_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 30/],
      [{ ...fc, OIDC_FRANCECONNECT_SIGNING_ALG: 'HS256' }, /asymmetric/],
    ];
    for (const [env, message] of cases) assert.throws(() => loadConfig(env), (e: Error) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'), JSON.stringify(env));
  });

  it('ACC-13 the issuer is kept exactly as given, a trailing / included (discovery compares it with the provider’s to the character)', () => {
    assert.equal(loadConfig({ ...fc, OIDC_FRANCECONNECT_ISSUER: 'https://fc.example.org/api/v2/' }).oidc.providers[0].issuer, 'https://fc.example.org/api/v2/');
    assert.equal(loadConfig(fc).oidc.providers[0].issuer, 'https://oidc.franceconnect.gouv.fr/api/v2');
  });

  it('ACC-13 in production the issuer must be https', () => {
    const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'x'.repeat(32) };
    assert.throws(() => loadConfig({ ...prod, ...fc, OIDC_FRANCECONNECT_ISSUER: 'http://fc.example.org' }), /OIDC_FRANCECONNECT_ISSUER must be https in production/);
    assert.equal(loadConfig({ ...prod, ...fc }).oidc.providers.length, 1);
  });
});
