import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { samples } from '../../../test/multipart';
import type { FixedClock } from '../../platform/clock';
import { auditLog, storedFiles } from '../../platform/platform.table';
import { courseSessions, schools } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { rateOf } from '.';
import * as apps from './applications.service';
import { applications } from './applications.table';
import * as proofs from './proofs.service';
import { rateProofs } from './proofs.table';

describe('half-rate proofs (PAY-6): the learner sends, the school decides, the payment reads the rate', () => {
  let t: TestApp;
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];
  let here: Applicant[];
  let elsewhere: Applicant;
  const staff: Record<string, proofs.Staff> = {};

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'P1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'P2', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'P-OTHER', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
    const [school] = await t.db.insert(schools).values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' }).returning();
    await t.db.update(courseSessions).set({ schoolId: school.id }).where(eq(courseSessions.code, 'P-OTHER'));
    here = await confirmedApplicants(deps, 'P1', 8, () => 'welfare_recipient');
    [elsewhere] = await confirmedApplicants(deps, 'P-OTHER', 1, () => 'welfare_recipient');
    for (const [name, role, scope] of [
      ['head', 'school_head', ['E-11-T']],
      ['otherHead', 'school_head', ['E-20-O']],
      ['coordinator', 'coordinator', ['E-11-T']],
      ['trainer', 'trainer', ['P1']],
      ['admin', 'admin', []],
    ] as const) {
      const made = await buildStaff(t.db, t.clock, role);
      // A trainer's scope is their sessions.
      if (role === 'trainer') await assignScope(t.db, { userId: made.userId, sessions: [...scope] });
      else if (role !== 'admin') await assignScope(t.db, { userId: made.userId, schools: [...scope] });
      staff[name] = { id: made.userId, role };
    }
  });
  after(() => t.close());

  const upload = (a: Applicant, over: Partial<{ proofDate: string; data: Buffer; name: string; allowance: 'rsa' | 'ass' | 'aah' }> = {}) =>
    proofs.uploadProof(deps, {
      learnerId: a.learnerId,
      applicationId: a.applicationId,
      allowance: over.allowance ?? 'rsa',
      proofDate: over.proofDate ?? '2026-10-01',
      file: { name: over.name ?? 'attestation.png', data: over.data ?? samples.png },
    });
  const decide = async (a: Applicant, who: proofs.Staff, accept: boolean, reason = '') => {
    const proof = await proofs.proofOf(t.db, a.applicationId);
    return proofs.decideProof(deps, { staff: who, applicationId: a.applicationId, proofId: proof?.id ?? '', accept, reason });
  };
  const proofRow = async (a: Applicant) => (await t.db.select().from(rateProofs).where(eq(rateProofs.applicationId, a.applicationId)))[0];
  const filesOf = async (a: Applicant) => t.db.select().from(storedFiles).where(and(eq(storedFiles.ownerId, a.learnerId), eq(storedFiles.purpose, proofs.PROOF_PURPOSE)));

  it('PAY-6 a learner sends a proof: it waits for the school, its file is theirs, the rate stays full; audited', async () => {
    const [a] = here;
    assert.deepEqual(await upload(a, { allowance: 'aah' }), { ok: true });
    const row = await proofRow(a);
    assert.equal(row.status, 'pending');
    assert.equal(row.allowance, 'aah');
    assert.equal(row.proofDate, '2026-10-01');
    const [file] = await filesOf(a);
    assert.equal(file.id, row.fileId);
    assert.equal(file.mediaType, 'image/png');
    assert.deepEqual(await rateOf(t.db, a.applicationId), { rate: 'full', allowance: null });
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'applications.proof_sent'));
    assert.equal(entry.actorId, a.learnerId);
    const view = (await apps.getApplication(t.db, t.clock, a.learnerId, a.applicationId))!;
    assert.equal(view.proof?.status, 'pending');
    assert.ok(view.actions.has('uploadProof'), 'a pending proof may be replaced');
  });

  it('PAY-6 a new proof replaces a pending one, and a refused one: the old file goes, the decision is cleared', async () => {
    const [, b] = here;
    await upload(b);
    const first = await proofRow(b);
    assert.deepEqual(await upload(b, { data: samples.pdf, name: 'scan.pdf', allowance: 'ass' }), { ok: true });
    const second = await proofRow(b);
    assert.equal((await t.db.select().from(rateProofs).where(eq(rateProofs.applicationId, b.applicationId))).length, 1, 'one proof per application');
    assert.notEqual(second.id, first.id, 'a new proof');
    assert.notEqual(second.fileId, first.fileId);
    assert.deepEqual((await filesOf(b)).map((f) => f.mediaType), ['application/pdf'], 'the old file is deleted');
    assert.deepEqual(await decide(b, staff.head, false, 'Document illisible.'), { ok: true });
    assert.equal((await proofRow(b)).status, 'refused');
    assert.deepEqual(await upload(b, { proofDate: '2026-11-20' }), { ok: true });
    const third = await proofRow(b);
    assert.equal(third.status, 'pending');
    assert.equal(third.reason, null);
    assert.equal(third.decidedAt, null);
    assert.equal((await filesOf(b)).length, 1);
  });

  it('PAY-6 the school head in scope accepts: half rate with the allowance; the learner can no longer replace it', async () => {
    const [, , c] = here;
    await upload(c, { allowance: 'ass' });
    assert.deepEqual(await decide(c, staff.head, true), { ok: true });
    const row = await proofRow(c);
    assert.equal(row.status, 'accepted');
    assert.equal(row.decidedBy, staff.head.id);
    assert.deepEqual(row.decidedAt, t.clock.now());
    assert.deepEqual(await rateOf(t.db, c.applicationId), { rate: 'half', allowance: 'ass' });
    assert.deepEqual(await upload(c), { ok: false, code: 'stale', message: 'proof.error.accepted' });
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'applications.proof_decided'), eq(auditLog.subjectId, c.learnerId)));
    assert.equal(entry.actorId, staff.head.id);
  });

  it('PAY-6 a refusal needs its reason, which the learner reads; the rate is full', async () => {
    const [, , , d] = here;
    await upload(d);
    assert.deepEqual(await decide(d, staff.admin, false, '   '), { ok: false, code: 'invalid', errors: { reason: { message: 'proof.decide.reasonRequired' } } });
    assert.equal((await proofRow(d)).status, 'pending', 'nothing decided');
    assert.deepEqual(await decide(d, staff.admin, false, ' Ce document est au nom d’une autre personne. '), { ok: true });
    const row = await proofRow(d);
    assert.equal(row.status, 'refused');
    assert.equal(row.reason, 'Ce document est au nom d’une autre personne.');
    assert.deepEqual(await rateOf(t.db, d.applicationId), { rate: 'full', allowance: null });
    const view = (await apps.getApplication(t.db, t.clock, d.learnerId, d.applicationId))!;
    assert.equal(view.proof?.reason, 'Ce document est au nom d’une autre personne.');
  });

  it('PAY-6 staff decide only in their scope and with the role: another school’s head finds nothing, a coordinator or a trainer is refused', async () => {
    await upload(elsewhere);
    assert.deepEqual(await decide(elsewhere, staff.head, true), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    const [, , , , e] = here;
    await upload(e);
    assert.deepEqual(await decide(e, staff.otherHead, true), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    for (const who of [staff.coordinator, staff.trainer]) assert.deepEqual(await decide(e, who, true), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    assert.equal((await proofRow(e)).status, 'pending', 'nothing decided');
    assert.equal(await proofs.proofForStaff(t.db, t.clock, staff.otherHead, e.applicationId), null);
    assert.equal(await proofs.proofFileForStaff(t.db, t.clock, staff.otherHead, e.applicationId), null);
    assert.equal(await proofs.proofFileForStaff(t.db, t.clock, staff.coordinator, e.applicationId), null, 'only those who decide open the file');
    assert.ok((await proofs.proofFileForStaff(t.db, t.clock, staff.head, e.applicationId))?.data.equals(samples.png));
    assert.ok(await proofs.proofFileForStaff(t.db, t.clock, staff.admin, elsewhere.applicationId));
    // Another learner's application or file is not found.
    assert.deepEqual(await proofs.uploadProof(deps, { learnerId: here[0].learnerId, applicationId: e.applicationId, allowance: 'rsa', proofDate: '2026-10-01', file: { name: 'a.png', data: samples.png } }), {
      ok: false,
      code: 'not_found',
      message: 'error.notFound.message',
    });
    assert.equal(await proofs.proofFileForLearner(t.db, here[0].learnerId, e.applicationId), null);
    assert.ok((await proofs.proofFileForLearner(t.db, e.learnerId, e.applicationId))?.data.equals(samples.png));
  });

  it('PAY-6 a proof dated three months or more before the validation, or after it, is refused next to its date; a bad file next to the file', async () => {
    const [, , , , , f] = here;
    const window = { from: '2026-08-24', to: '2026-11-23', months: 3 };
    assert.deepEqual(await upload(f, { proofDate: '2026-08-23' }), { ok: false, code: 'invalid', errors: { proofDate: { message: 'proof.date.window' } }, window });
    assert.deepEqual(await upload(f, { proofDate: '2026-11-24' }), { ok: false, code: 'invalid', errors: { proofDate: { message: 'proof.date.window' } }, window });
    assert.deepEqual(await upload(f, { proofDate: '2026-08-24', data: samples.text, name: 'faux.pdf' }), { ok: false, code: 'invalid', errors: { file: { message: 'upload.type' } }, window });
    assert.deepEqual(await upload(f, { proofDate: '2020-01-01', data: Buffer.alloc(0) }), {
      ok: false,
      code: 'invalid',
      errors: { proofDate: { message: 'proof.date.window' }, file: { message: 'upload.empty' } },
      window,
    });
    assert.equal(await proofRow(f), undefined, 'nothing stored');
    assert.equal((await filesOf(f)).length, 0);
    assert.deepEqual(await upload(f, { proofDate: '2026-08-24' }), { ok: true }, 'the first day that counts');
  });

  it('PAY-6 a proof sent with a preselection is checked against today, then against the validation day when the school decides', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'P2' });
    assert.ok(pre.ok);
    const a = { learnerId: learner.id, applicationId: pre.applicationId, email: learner.email };
    assert.deepEqual(await upload(a, { proofDate: '2026-08-24' }), { ok: true });
    // Validated six days later: the proof is now three months or more older than the validation.
    t.clock.advance(6 * 86_400_000);
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: a.applicationId, answers: { situation: 'welfare_recipient', allowance: 'rsa', objective: 'personal', motivations: 'Oui.' } });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: a.applicationId }), { ok: true });
    assert.deepEqual(await decide(a, staff.head, true), {
      ok: false,
      code: 'invalid',
      errors: { decision: { message: 'proof.decide.outOfWindow' } },
      window: { from: '2026-08-30', to: '2026-11-29', months: 3 },
    });
    assert.equal((await proofRow(a)).status, 'pending');
    assert.equal((await proofs.proofForStaff(t.db, t.clock, staff.head, a.applicationId))?.dateCounts, false);
    assert.deepEqual(await decide(a, staff.head, false, 'Daté de plus de trois mois à la validation.'), { ok: true });
    t.clock.advance(-6 * 86_400_000);
  });

  it('PAY-6 a decision on a proof replaced meanwhile is refused; once the enrolment is validated nothing changes any more', async () => {
    const [, , , , , , g, h] = here;
    await upload(g);
    const shown = (await proofs.proofOf(t.db, g.applicationId))!;
    await upload(g, { data: samples.jpeg, name: 'photo.jpg' });
    const stale = await proofs.decideProof(deps, { staff: staff.head, applicationId: g.applicationId, proofId: shown.id, accept: true, reason: '' });
    assert.deepEqual(stale, { ok: false, code: 'stale', message: 'proof.error.replaced' });
    assert.equal((await proofRow(g)).status, 'pending', 'the new proof is not decided unseen');
    await upload(h);
    await t.db.update(applications).set({ status: 'awaiting_payment' }).where(eq(applications.id, h.applicationId));
    assert.deepEqual(await upload(h), { ok: false, code: 'stale', message: 'proof.error.status' });
    assert.deepEqual(await decide(h, staff.head, true), { ok: false, code: 'stale', message: 'proof.error.decideStatus' });
    assert.deepEqual(await rateOf(t.db, h.applicationId), { rate: 'full', allowance: null }, 'no later change, no later refund of the difference');
  });

  it('APP-6 a preselection deleted takes its proof and file with it', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'P2' });
    assert.ok(pre.ok);
    const a = { learnerId: learner.id, applicationId: pre.applicationId, email: learner.email };
    await upload(a);
    assert.equal((await filesOf(a)).length, 1);
    assert.deepEqual(await apps.deletePreselection(deps, { learnerId: learner.id, applicationId: a.applicationId }), { ok: true });
    assert.equal((await filesOf(a)).length, 0);
    assert.deepEqual(await rateOf(t.db, a.applicationId), { rate: 'full', allowance: null });
    assert.deepEqual(await rateOf(t.db, 'not-a-uuid'), { rate: 'full', allowance: null });
  });
});
