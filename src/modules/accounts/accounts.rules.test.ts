import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acrSatisfies,
  ageOn,
  checkAtLeastOnePhone,
  checkBirthDate,
  checkFrenchPostalCode,
  checkPassword,
  identityKey,
  loginBackoffMs,
  loginSource,
  loginWaitMs,
  mayUseProviderIdentity,
  normaliseEmail,
  normalisePhone,
  parseDateInput,
  parisDay,
  passwordProvesOwner,
  sessionState,
  tokenUsable,
} from './accounts.rules';

describe('accounts rules', () => {
  it('ACC-1 accepts 8+ characters with upper, lower and digit, or a 12+ character passphrase', () => {
    const cases: [string, boolean, string?][] = [
      ['Tulipe7x', true],
      ['Écureuil9', true],
      ['deux chats et un chien', true],
      ['phrase de passe', true],
      ['Mot passe 1 avec espaces !', true],
      ['tulipe7x', false, 'password.weak'],
      ['TULIPE7X', false, 'password.weak'],
      ['Tulipexx', false, 'password.weak'],
      ['Tu7x', false, 'password.tooShort'],
      ['', false, 'password.tooShort'],
      ['A1b'.padEnd(129, 'z'), false, 'password.tooLong'],
      ['A1b'.padEnd(128, 'z'), true],
    ];
    for (const [password, accepted, message] of cases) {
      const result = checkPassword(password);
      assert.equal(result.ok, accepted, `${password}: ${JSON.stringify(result)}`);
      if (!result.ok) {
        assert.equal(result.code, 'ACC-1');
        assert.equal(result.message, message, password);
      }
    }
  });

  it('ACC-1 refuses the most common breached passwords, whatever their case', () => {
    for (const password of ['Password1', 'Azerty123', 'iloveyou', 'Qwerty123', 'motdepasse']) {
      const result = checkPassword(password);
      assert.equal(result.ok, false, password);
      if (!result.ok) assert.equal(result.message, 'password.common', password);
    }
  });

  it('ACC-1 counts characters as people see them (emoji and accents count once)', () => {
    assert.equal(checkPassword('Aé1😀😀😀😀😀').ok, true);
    assert.equal(checkPassword('Aé1😀😀').ok, false);
  });

  it('ACC-3 compares emails trimmed and lower-cased', () => {
    assert.equal(normaliseEmail('  Lea.Durand@Example.ORG '), 'lea.durand@example.org');
  });

  it('ACC-5 one person: names folded without accents, case, spaces, hyphens or apostrophes', () => {
    const a = identityKey('Le Goff', 'Zoé', '1990-01-02');
    assert.equal(identityKey('LE-GOFF', 'zoe', '1990-01-02'), a);
    assert.equal(identityKey(' le goff ', 'ZOÉ', '1990-01-02'), a);
    assert.notEqual(identityKey('Le Goff', 'Zoé', '1990-01-03'), a);
    assert.notEqual(identityKey('Le Goff', 'Chloé', '1990-01-02'), a);
    assert.equal(identityKey("N'Diaye", 'Awa', '1985-03-03'), identityKey('NDIAYE', 'Awa', '1985-03-03'));
  });

  it('ACC-6 reads dates as people type them and refuses impossible ones', () => {
    const cases: [string, string | null][] = [
      ['14/07/1985', '1985-07-14'],
      ['4/7/1985', '1985-07-04'],
      ['14-07-1985', '1985-07-14'],
      ['14.07.1985', '1985-07-14'],
      ['14 07 1985', '1985-07-14'],
      ['1985-07-14', '1985-07-14'],
      ['29/02/2000', '2000-02-29'],
      ['29/02/2001', null],
      ['31/04/1990', null],
      ['00/01/1990', null],
      ['14/13/1990', null],
      ['hier', null],
      ['14/07/85', null],
      ['', null],
    ];
    for (const [input, expected] of cases) assert.equal(parseDateInput(input), expected, input);
  });

  it('ACC-7 is open from the 18th birthday; future and pre-1900 dates are refused', () => {
    assert.equal(ageOn('2008-09-01', '2026-09-01'), 18);
    assert.equal(ageOn('2008-09-02', '2026-09-01'), 17);
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
    assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
    assert.deepEqual(checkBirthDate('2008-09-01', '2026-09-01', 18), { ok: true });
    const young = checkBirthDate('2008-09-02', '2026-09-01', 18);
    assert.equal(young.ok, false);
    if (!young.ok) {
      assert.equal(young.code, 'ACC-7');
      assert.equal(young.message, 'birthDate.tooYoung');
      assert.deepEqual(young.params, { age: 18 });
    }
    const future = checkBirthDate('2027-01-01', '2026-09-01', 18);
    assert.equal(!future.ok && future.message, 'birthDate.future');
    const old = checkBirthDate('1899-12-31', '2026-09-01', 18);
    assert.equal(!old.ok && old.message, 'birthDate.tooOld');
    assert.equal(checkBirthDate('2010-01-01', '2026-09-01', 16).ok, true, 'the age is a policy setting');
  });

  it('ACC-6 French postal codes: five digits and a real département', () => {
    for (const code of ['75011', '75 011', '01000', '20000', '95880', '97100', '97600', '98800']) assert.equal(checkFrenchPostalCode(code).ok, true, code);
    for (const code of ['7501', '750111', '00100', '96000', '97700', '99000', 'ABCDE', '']) assert.equal(checkFrenchPostalCode(code).ok, false, code);
  });

  it('ACC-6 phones: French and international numbers normalised, a landline refused as a mobile', () => {
    assert.deepEqual(normalisePhone('06 12 34 56 78', 'mobile'), { ok: true, value: '+33612345678' });
    assert.deepEqual(normalisePhone('+33 7 81 23 45 67', 'mobile'), { ok: true, value: '+33781234567' });
    assert.deepEqual(normalisePhone('0033612345678', 'mobile'), { ok: true, value: '+33612345678' });
    assert.deepEqual(normalisePhone('01 44 55 66 77', 'landline'), { ok: true, value: '+33144556677' });
    assert.deepEqual(normalisePhone('+44 7911 123456', 'mobile'), { ok: true, value: '+447911123456' });
    assert.equal(normalisePhone('01 44 55 66 77', 'mobile').ok, false);
    const bad = normalisePhone('06 12', 'mobile');
    assert.equal(!bad.ok && bad.message, 'phone.invalid');
    assert.equal(normalisePhone('<script>', 'landline').ok, false);
  });

  it('ACC-6 at least one phone', () => {
    assert.equal(checkAtLeastOnePhone(null, null).ok, false);
    assert.equal(checkAtLeastOnePhone('+33612345678', null).ok, true);
    assert.equal(checkAtLeastOnePhone(null, '+33144556677').ok, true);
  });

  it('sessions end after the idle time and at their maximum age', () => {
    const start = new Date('2026-09-01T08:00:00Z');
    const session = { lastSeenAt: start, expiresAt: new Date(start.getTime() + 12 * 3_600_000) };
    assert.equal(sessionState(session, new Date(start.getTime() + 29 * 60_000), 30), 'active');
    assert.equal(sessionState(session, new Date(start.getTime() + 30 * 60_000), 30), 'idle');
    const busy = { lastSeenAt: new Date(start.getTime() + 12 * 3_600_000 - 60_000), expiresAt: session.expiresAt };
    assert.equal(sessionState(busy, new Date(start.getTime() + 12 * 3_600_000), 30), 'expired');
  });

  it('ACC-3 ACC-4 a link works once, before it expires', () => {
    const now = new Date('2026-09-01T08:00:00Z');
    assert.equal(tokenUsable({ expiresAt: new Date(now.getTime() + 1), usedAt: null }, now), true);
    assert.equal(tokenUsable({ expiresAt: now, usedAt: null }, now), false);
    assert.equal(tokenUsable({ expiresAt: new Date(now.getTime() + 1000), usedAt: now }, now), false);
  });

  it('days are counted in Paris time', () => {
    assert.equal(parisDay(new Date('2026-08-31T22:30:00Z')), '2026-09-01');
    assert.equal(parisDay(new Date('2026-12-31T22:59:00Z')), '2026-12-31');
  });
  it('ACC-1 failed logins: a few free tries, then a wait that doubles, capped per source and (lower) per account', () => {
    const cases: [failures: number, free: number, maxMs: number, waitMs: number][] = [
      [0, 5, 900_000, 0],
      [4, 5, 900_000, 0],
      [5, 5, 900_000, 1_000],
      [6, 5, 900_000, 2_000],
      [14, 5, 900_000, 512_000],
      [15, 5, 900_000, 900_000],
      [1_000, 5, 900_000, 900_000],
      [100, 100, 60_000, 1_000],
      [106, 100, 60_000, 60_000],
      [1e9, 100, 60_000, 60_000],
    ];
    for (const [failures, free, maxMs, waitMs] of cases) assert.equal(loginBackoffMs(failures, free, maxMs), waitMs, `${failures} failures, ${free} free`);
    const now = new Date('2026-09-01T08:00:10Z');
    const at = (iso: string | null, failures: number) => ({ failures, lastFailedAt: iso ? new Date(iso) : null });
    const limits = { perSource: 5, perAccount: 100 };
    assert.equal(loginWaitMs({ source: at(null, 0), account: at(null, 0) }, limits, now), 0);
    // ACC-1: a browser this account logged in from is not slowed by the account-wide count (decision 009).
    assert.ok(loginWaitMs({ source: at(null, 0), account: at('2026-09-01T08:00:09Z', 500) }, limits, now) > 0);
    assert.equal(loginWaitMs({ source: at(null, 0), account: at('2026-09-01T08:00:09Z', 500) }, limits, now, { knownDevice: true }), 0);
    assert.equal(loginWaitMs({ source: at('2026-09-01T08:00:09Z', 5), account: at('2026-09-01T08:00:09Z', 5) }, limits, now), 0, 'one second has passed');
    assert.equal(loginWaitMs({ source: at('2026-09-01T08:00:09Z', 7), account: at('2026-09-01T08:00:09Z', 7) }, limits, now), 3_000);
    assert.equal(loginWaitMs({ source: at(null, 0), account: at('2026-09-01T08:00:00Z', 150) }, limits, now), 50_000, 'other sources slow the account down, a minute at most');
    assert.equal(loginWaitMs({ source: at('2026-09-01T08:00:00Z', 40), account: at('2026-09-01T08:00:00Z', 150) }, limits, now), 890_000, 'the longer wait wins');
  });

  it('ACC-1 failed logins are counted by source: IPv4 as is, IPv6 by its /64', () => {
    const cases: [string | null, string][] = [
      [null, ''],
      ['', ''],
      ['203.0.113.9', '203.0.113.9'],
      ['::ffff:203.0.113.9', '203.0.113.9'],
      ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
      ['2001:DB8:0001:0002::9', '2001:db8:1:2::/64'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['64:ff9b::203.0.113.9', '64:ff9b:0:0::/64'],
    ];
    for (const [ip, source] of cases) assert.equal(loginSource(ip), source, String(ip));
    assert.equal(loginSource('2001:db8:1:2:ffff::1'), loginSource('2001:db8:1:2::abcd'), 'one /64, one source');
    assert.ok(loginSource('x'.repeat(1000)).length <= 64);
  });
});

describe('ACC-13 provider sign-in rules', () => {
  it('ACC-13 the acr asked is met by the same level or a higher eIDAS level, never a lower or unknown one', () => {
    const table: [string | undefined, unknown, boolean][] = [
      ['eidas1', 'eidas1', true],
      ['eidas1', 'eidas2', true],
      ['eidas1', 'eidas3', true],
      ['eidas2', 'eidas3', true],
      ['eidas2', 'eidas1', false],
      ['eidas3', 'eidas2', false],
      ['eidas1', undefined, false],
      ['eidas1', 'eidas9', false],
      ['eidas1', 'loa-high', false],
      ['eidas1', 2, false],
      ['city-level', 'city-level', true],
      ['city-level', 'eidas3', false],
      [undefined, undefined, true],
      [undefined, 'anything', true],
    ];
    for (const [asked, given, expected] of table) assert.equal(acrSatisfies(asked, given), expected, `${asked} / ${String(given)}`);
  });

  it('ACC-13 a provider identity signs in to or links an active or pending account, never a disabled or closed one; a password proves an active account only', () => {
    assert.deepEqual((['pending', 'active', 'disabled', 'closed'] as const).map(mayUseProviderIdentity), [true, true, false, false]);
    assert.deepEqual((['pending', 'active', 'disabled', 'closed'] as const).map(passwordProvesOwner), [false, true, false, false]);
  });
});
