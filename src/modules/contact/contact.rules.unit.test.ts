import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactSubjects, roles, type ContactSubject } from '../../domain/vocabulary';
import { formatReference, mayAnswerContact, mayHandle, mayWrite, routeExplanation, routeFor, statusAfter, statusesOf, subjectNeedsSession, subjectTakesFile } from './contact.rules';

const session = { sessionId: 7, schoolId: 3 };

describe('contact rules (SVC-1)', () => {
  it('SVC-1 a refund or a name change goes to the central service, about a session or not', () => {
    for (const subject of ['refund', 'name_change'] as const) {
      assert.deepEqual(routeFor(subject, session), { route: 'central', sessionId: 7, schoolId: 3, explanation: 'contact.route.central' });
      assert.deepEqual(routeFor(subject, null), { route: 'central', sessionId: null, schoolId: null, explanation: 'contact.route.central' });
    }
  });

  it('SVC-1 the other subjects about a session go to its school; about none, to the central service', () => {
    for (const subject of ['payment', 'other'] as const) {
      assert.deepEqual(routeFor(subject, session), { route: 'school', sessionId: 7, schoolId: 3, explanation: 'contact.route.school' });
      assert.deepEqual(routeFor(subject, null), { route: 'central', sessionId: null, schoolId: null, explanation: 'contact.route.central' });
    }
  });

  it('SVC-1 CERT-5 the marks go to the school of the course, and the learner is told so; they need the course', () => {
    assert.deepEqual(routeFor('marks', session), { route: 'school', sessionId: 7, schoolId: 3, explanation: 'contact.route.marks' });
    assert.equal(routeExplanation('marks', 'school'), 'contact.route.marks');
    assert.deepEqual(
      contactSubjects.filter((s) => subjectNeedsSession(s)),
      ['marks'],
    );
  });

  it('SVC-1 the subjects that need a proof take a file: refund, name change, payment', () => {
    assert.deepEqual(
      contactSubjects.filter((s: ContactSubject) => subjectTakesFile(s)),
      ['refund', 'name_change', 'payment'],
    );
  });

  it('SVC-1 a reference reads on the phone: C-year-five digits at least', () => {
    assert.equal(formatReference(2026, 42), 'C-2026-00042');
    assert.equal(formatReference(2027, 1), 'C-2027-00001');
    assert.equal(formatReference(2026, 123456), 'C-2026-123456');
  });

  it('SVC-1 school heads, coordinators and admins answer; trainers, counsellors and learners do not', () => {
    assert.deepEqual(
      roles.filter((r) => mayAnswerContact(r)),
      ['school_head', 'coordinator', 'admin'],
    );
  });

  it('SVC-1 who may handle a message: admins all, school heads their schools’, coordinators the central service’s in their scope', () => {
    const school = { route: 'school' as const, sessionId: 7 };
    const centralAbout = { route: 'central' as const, sessionId: 7 };
    const centralNone = { route: 'central' as const, sessionId: null };
    const cases: [Parameters<typeof mayHandle>[0], typeof school | typeof centralAbout | typeof centralNone, boolean, boolean][] = [
      ['admin', school, false, true],
      ['admin', centralNone, false, true],
      ['school_head', school, true, true],
      ['school_head', school, false, false],
      ['school_head', centralAbout, true, false],
      ['school_head', centralNone, false, false],
      ['coordinator', centralNone, false, true],
      ['coordinator', centralAbout, true, true],
      ['coordinator', centralAbout, false, false],
      ['coordinator', school, true, false],
      ['trainer', school, true, false],
      ['counsellor', centralNone, false, false],
      ['learner', centralNone, false, false],
    ];
    for (const [role, message, inScope, expected] of cases) assert.equal(mayHandle(role, message, inScope), expected, `${role} ${message.route} ${inScope}`);
  });

  it('SVC-1 the status: the learner writing waits for the service, staff answer or close, a closed conversation takes nothing', () => {
    assert.equal(statusAfter({ fromStaff: false }), 'sent');
    assert.equal(statusAfter({ fromStaff: true }), 'answered');
    assert.equal(statusAfter({ fromStaff: true, close: true }), 'closed');
    assert.deepEqual(mayWrite('sent'), { ok: true });
    assert.deepEqual(mayWrite('answered'), { ok: true });
    assert.deepEqual(mayWrite('closed'), { ok: false, code: 'SVC-1', message: 'contact.error.closed' });
    assert.deepEqual(statusesOf('open'), ['sent']);
    assert.deepEqual(statusesOf('answered'), ['answered']);
    assert.deepEqual(statusesOf('all'), ['sent', 'answered', 'closed']);
  });
});
