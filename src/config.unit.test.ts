import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
