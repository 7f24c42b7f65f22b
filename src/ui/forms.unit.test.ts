import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { invalidCharacters, multiline, parseForm } from './forms';

/**
 * One input normalisation for every form (issue 11 #6): NUL and control characters are refused
 * next to their field, whatever the field's schema; a text area takes line breaks and tabs.
 */
const invalid = { message: 'field.invalidCharacters' };

describe('invalidCharacters: the characters no form field takes', () => {
  const refused: [string, string][] = [
    ['NUL', 'Du\u0000rand'],
    ['a C0 control', 'Du\u0001rand'],
    ['escape', 'Du\u001brand'],
    ['DEL', 'Du\u007frand'],
    ['a C1 control (NEL)', 'Du\u0085rand'],
    ['a tab', 'Du\trand'],
    ['a line feed', 'Du\nrand'],
    ['a carriage return', 'Du\rrand'],
  ];
  for (const [what, value] of refused) it(`a one-line field refuses ${what}`, () => assert.deepEqual(invalidCharacters({ lastName: value }), { lastName: invalid }));

  for (const value of ['Line 1\nLine 2', 'Line 1\r\nLine 2', 'Column\tcolumn'])
    it(`a text area takes ${JSON.stringify(value)}`, () => assert.deepEqual(invalidCharacters({ reason: value }, ['reason']), {}));
  for (const value of ['Line 1\u0000', 'Line\u000b', 'Line\u000c', 'Line\u007f', 'Line\u0085'])
    it(`a text area refuses ${JSON.stringify(value)}`, () => assert.deepEqual(invalidCharacters({ reason: value }, ['reason']), { reason: invalid }));

  it('text of every language, emoji and spaces are text', () =>
    assert.deepEqual(invalidCharacters({ a: 'Zoé Lefèvre-Ndiaye', b: 'Đặng Thị Mỹ', c: 'محمد', d: '李小龍 😀', e: 'a\u00a0b', f: '' }), {}));
  it('a field sent twice is checked in each of its values', () => assert.deepEqual(invalidCharacters({ q: ['ok', 'n\u0000'] }), { q: invalid }));
  it('the CSRF token and values that are not text are left alone', () => assert.deepEqual(invalidCharacters({ _csrf: '\u0000', n: 3 }), {}));
  it('`only` limits the check to the form’s fields', () => assert.deepEqual(invalidCharacters({ a: '\u0000', b: '\u0000' }, [], ['a', 'constructor']), { a: invalid }));
  it('no body, no error', () => assert.deepEqual(invalidCharacters(undefined), {}));
});

describe('parseForm: the character check runs for every schema, before it', () => {
  const schema = z
    .object({
      lastName: z.string().trim().min(1, 'field.required'),
      city: z.string().trim().min(1, 'field.required'),
      reason: multiline(z.string().trim().max(20, 'field.tooLong')),
    })
    .superRefine(() => {})
    .transform((v) => ({ ...v, upper: v.lastName.toUpperCase() }));

  it('valid input parses, line breaks in the text area included', () => {
    const parsed = parseForm(schema, { lastName: 'Durand', city: 'Lyon', reason: 'Un\r\ndeux' });
    assert.deepEqual(parsed, { ok: true, data: { lastName: 'Durand', city: 'Lyon', reason: 'Un\r\ndeux', upper: 'DURAND' } });
  });

  it('a NUL the schema would accept is refused next to its field, what was typed kept', () => {
    const parsed = parseForm(schema, { lastName: 'Du\u0000rand', city: 'Lyon', reason: '' });
    assert.equal(parsed.ok, false);
    assert.deepEqual(!parsed.ok && parsed.form, { values: { lastName: 'Du\u0000rand', city: 'Lyon', reason: '' }, errors: { lastName: invalid } });
  });

  it('the character error replaces the schema’s for that field; the others stay, in the form’s order', () => {
    const parsed = parseForm(schema, { lastName: '', city: ' \u0001', reason: 'x'.repeat(30) });
    assert.ok(!parsed.ok);
    assert.deepEqual(Object.entries(parsed.form.errors), [
      ['lastName', { message: 'field.required', params: { min: 1 } }],
      ['city', invalid],
      ['reason', { message: 'field.tooLong', params: { max: 20 } }],
    ]);
  });

  it('a field the form does not have is ignored, as the schema ignores it', () =>
    assert.equal(parseForm(schema, { lastName: 'Durand', city: 'Lyon', reason: '', other: '\u0000', constructor: 'x', __proto__: 'y', toString: 'z' }).ok, true));

  it('a schema that is no object still gets every field checked', () => {
    const parsed = parseForm(z.any(), { a: 'ok', b: 'n\u0000' });
    assert.deepEqual(!parsed.ok && parsed.form.errors, { b: invalid });
  });

  it('an extended schema keeps its text areas', () => {
    const extended = z.object({ id: z.string() }).extend({ note: multiline(z.string()) });
    assert.equal(parseForm(extended, { id: 'a', note: 'Un\ndeux' }).ok, true);
    assert.equal(parseForm(extended, { id: 'a\n', note: 'Un' }).ok, false);
  });
});
