import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableActions, refusal, target, type Facts } from './lifecycle';

const period: Facts['period'] = { applicationsOpenAt: new Date('2025-06-01T00:00:00Z'), applicationsCloseAt: new Date('2025-07-01T00:00:00Z') };
const now = new Date('2026-12-02T10:00:00Z');
const open: Facts = { status: 'accepted', period, profile: 'credits', unit: true, sessionEnded: false, freePlaces: 1, funding: 'personal' };

describe('the lifecycle’s enrolUnit row (CRED-2, CRED-5)', () => {
  it('CRED-2 a learner enrols in a unit with a free place whatever the registration window (closed long ago here)', () => {
    assert.equal(refusal('enrolUnit', open, { role: 'learner', now }), null);
    assert.equal(refusal('enrolUnit', open, { role: 'counsellor', now })?.code, 'role', 'no help desk route enrols in a unit yet');
    assert.equal(refusal('enrolUnit', open, { role: 'coordinator', now })?.code, 'role');
  });

  it('CRED-2 refused in the municipal profile, for a course that is not a unit, a session ended, or one without a free place', () => {
    assert.deepEqual(refusal('enrolUnit', { ...open, profile: 'municipal' }, { role: 'learner', now }), { ok: false, code: 'CRED-2', message: 'cred.enrol.error.profile' });
    assert.deepEqual(refusal('enrolUnit', { ...open, profile: undefined }, { role: 'learner', now })?.code, 'CRED-2');
    assert.equal(refusal('enrolUnit', { ...open, unit: false }, { role: 'learner', now })?.message, 'cred.enrol.error.notUnit');
    assert.equal(refusal('enrolUnit', { ...open, sessionEnded: true }, { role: 'learner', now })?.message, 'cred.enrol.error.ended');
    assert.deepEqual(refusal('enrolUnit', { ...open, freePlaces: 0 }, { role: 'learner', now }), { ok: false, code: 'SEL-6', message: 'cred.enrol.error.full' });
    assert.equal(refusal('enrolUnit', { ...open, sessionCancelled: true }, { role: 'learner', now })?.message, 'session.cancelled');
    assert.equal(refusal('enrolUnit', { ...open, repeatsUsedUp: true }, { role: 'learner', now })?.code, 'CERT-3');
  });

  it('CRED-5 a personal enrolment awaits payment (PAY-2’s path); a funder’s is enrolled at once', () => {
    assert.equal(target('enrolUnit', open), 'awaiting_payment');
    for (const funding of ['cpf', 'region', 'aif', 'employer'] as const) assert.equal(target('enrolUnit', { ...open, funding }), 'enrolled', funding);
  });

  it('CRED-2 the municipal pages never offer it: their facts carry no profile', () => {
    assert.ok(!availableActions({ status: 'accepted', period }, { role: 'learner', now }).has('enrolUnit'));
  });
});
