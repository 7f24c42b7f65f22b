import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseForm } from '../../ui/forms';
import { newStaffSchema } from '../admin/admin.schema';
import { changeRequestSchema, convocationSchema } from './selection.schema';

describe('schemas whose text has a maximum', () => {
  it('SEL-3 SEL-10 a text too long says so, with its maximum (not "required")', () => {
    const note = parseForm(changeRequestSchema, { note: 'x'.repeat(1001) });
    assert.ok(!note.ok);
    assert.deepEqual(note.form.errors.note, { message: 'field.tooLong', params: { max: 1000 } });
    const place = parseForm(convocationSchema, { place: 'x'.repeat(301) });
    assert.ok(!place.ok);
    assert.deepEqual(place.form.errors.place, { message: 'field.tooLong', params: { max: 300 } });
    const staff = parseForm(newStaffSchema, { displayName: 'x'.repeat(101) });
    assert.ok(!staff.ok);
    assert.deepEqual(staff.form.errors.displayName, { message: 'field.tooLong', params: { max: 100 } });
  });
});
