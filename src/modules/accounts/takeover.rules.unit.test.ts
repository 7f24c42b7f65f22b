import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanTakeoverCode, isMobileOnlyAddress, looksLikeIdentifier, mobileOfAddress, mobileOnlyAddress, signInAddress, takeoverCodeState } from './takeover.rules';

describe('SVC-5 takeover rules and mobile-only identifiers (decision 015)', () => {
  it('SVC-5 a mobile-only identifier is the E.164 number at mobile.invalid, and back', () => {
    assert.equal(mobileOnlyAddress('+33612345678'), '+33612345678@mobile.invalid');
    assert.equal(isMobileOnlyAddress('+33612345678@mobile.invalid'), true);
    assert.equal(isMobileOnlyAddress('lea@example.org'), false);
    assert.equal(mobileOfAddress('+33612345678@mobile.invalid'), '+33612345678');
    assert.equal(mobileOfAddress('lea@example.org'), null);
  });

  it('SVC-5 what is typed at the login: an address (trimmed, lower case) or a mobile in any common form', () => {
    const cases: [string, string][] = [
      [' Lea@Example.ORG ', 'lea@example.org'],
      ['06 12 34 56 78', '+33612345678@mobile.invalid'],
      ['0612345678', '+33612345678@mobile.invalid'],
      ['+33 6 12 34 56 78', '+33612345678@mobile.invalid'],
      ['0033612345678', '+33612345678@mobile.invalid'],
      ['01 44 55 66 77', '01 44 55 66 77'], // a landline identifies nothing
    ];
    for (const [typed, address] of cases) assert.equal(signInAddress(typed), address, typed);
  });

  it('SVC-5 the login field takes an address or a mobile, nothing else', () => {
    for (const ok of ['lea@example.org', '06 12 34 56 78', '+447911123456']) assert.equal(looksLikeIdentifier(ok), true, ok);
    for (const bad of ['lea', 'lea@', '01 44 55 66 77', '12', 'a b@c.d']) assert.equal(looksLikeIdentifier(bad), false, bad);
  });

  it('SVC-5 a code has 8 digits; spaces and dashes as people type them are allowed', () => {
    assert.equal(cleanTakeoverCode('1234 5678'), '12345678');
    assert.equal(cleanTakeoverCode('1234-5678'), '12345678');
    assert.equal(cleanTakeoverCode(' 12345678 '), '12345678');
    for (const bad of ['1234567', '123456789', 'abcdefgh', '', '１２３４５６７８']) assert.equal(cleanTakeoverCode(bad), null, bad);
  });

  it('SVC-5 a code works once, for 30 minutes, and 5 wrong tries void it', () => {
    const now = new Date('2026-09-01T10:00:00Z');
    const later = new Date(now.getTime() + 30 * 60_000);
    const code = { usedAt: null, expiresAt: later, failures: 0 };
    assert.equal(takeoverCodeState(code, now), 'usable');
    assert.equal(takeoverCodeState({ ...code, failures: 4 }, now), 'usable');
    assert.equal(takeoverCodeState({ ...code, failures: 5 }, now), 'voided');
    assert.equal(takeoverCodeState({ ...code, usedAt: now }, now), 'used');
    assert.equal(takeoverCodeState(code, later), 'expired', 'at 30 minutes exactly it no longer works');
    assert.equal(takeoverCodeState(code, new Date(later.getTime() - 1)), 'usable');
  });
});
