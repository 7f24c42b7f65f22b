import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUuid, ownEntry } from './input';

describe('isUuid: what PostgreSQL reads as a uuid, nothing else', () => {
  for (const value of ['3f1c2a9e-4b7d-4c1e-9a2b-1c3d5e7f9a0b', '3F1C2A9E-4B7D-4C1E-9A2B-1C3D5E7F9A0B', '00000000-0000-0000-0000-000000000000'])
    it(`accepts ${value}`, () => assert.equal(isUuid(value), true));
  const refused: [string, unknown][] = [
    ['36 dashes', '-'.repeat(36)],
    ['36 zeros', '0'.repeat(36)],
    ['hex and dashes in the wrong places', '3f1c2a9e4-b7d-4c1e-9a2b-1c3d5e7f9a0b'],
    ['a letter past f', '3f1c2a9e-4b7d-4c1e-9a2b-1c3d5e7f9a0g'],
    ['a NUL byte', '3f1c2a9e-4b7d-4c1e-9a2b-1c3d5e7f9a0\u0000'],
    ['a trailing line break', '3f1c2a9e-4b7d-4c1e-9a2b-1c3d5e7f9a0b\n'],
    ['no dashes', '3f1c2a9e4b7d4c1e9a2b1c3d5e7f9a0b'],
    ['braces', '{3f1c2a9e-4b7d-4c1e-9a2b-1c3d5e7f9a0b}'],
    ['the empty string', ''],
    ['not a string', 42],
  ];
  for (const [what, value] of refused) it(`refuses ${what}`, () => assert.equal(isUuid(value), false));
});

describe('ownEntry: a key typed by someone never reaches Object.prototype', () => {
  const table: Record<string, string> = { saved: 'sel.sheet.saved' };
  it('finds its own keys', () => assert.equal(ownEntry(table, 'saved'), 'sel.sheet.saved'));
  for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'missing'])
    it(`has no ${key}`, () => assert.equal(ownEntry(table, key), undefined));
});
