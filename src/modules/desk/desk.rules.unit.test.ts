import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConsent, mayActFor } from './desk.rules';

describe('SVC-5 help desk rules', () => {
  it('SVC-5 a counsellor acts for the learners of their desks only', () => {
    const counsellor = { role: 'counsellor', deskIds: [1, 2] };
    assert.deepEqual(mayActFor(counsellor, 1), { ok: true });
    assert.deepEqual(mayActFor(counsellor, 2), { ok: true });
    assert.equal(mayActFor(counsellor, 3).ok, false);
    const other = mayActFor(counsellor, 3);
    assert.ok(!other.ok && other.reason === 'other_desk' && other.code === 'SVC-5');
    const notAssisted = mayActFor(counsellor, null);
    assert.ok(!notAssisted.ok && notAssisted.reason === 'other_desk', 'a learner who signed up alone is no desk’s');
    assert.equal(mayActFor({ role: 'counsellor', deskIds: [] }, 1).ok, false);
  });

  it('SVC-5 nobody else acts from the desk, not even an administrator or a coordinator', () => {
    for (const role of ['admin', 'coordinator', 'school_head', 'trainer', 'learner']) {
      const result = mayActFor({ role, deskIds: [1] }, 1);
      assert.ok(!result.ok && result.reason === 'not_counsellor', role);
    }
  });

  it('SVC-5 every change needs the person present and agreeing', () => {
    assert.deepEqual(checkConsent(true), { ok: true });
    const refused = checkConsent(false);
    assert.ok(!refused.ok && refused.reason === 'no_consent' && refused.message === 'desk.consent.required');
  });
});
