import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLearner } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import { pdfText, squash } from '../../../test/pdf';
import { buildUnits } from '../../../test/units';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { defaultPolicies } from '../../platform/policies';
import { catalogueIds } from '../catalogue';
import { verifyDocument } from '../documents/documents.service';
import { certificationDataSets, earnedUnitsOf, recordEarnedUnit, transcript, unitAttestation } from './index';

describe('the academic record’s documents: attestations of success and transcripts (CRED-4)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string };
  let ids: Map<string, number>;
  const earn = (learnerId: string, code: string, earnedOn = '2026-06-01') => database.db.transaction((tx) => recordEarnedUnit(tx, clock, { learnerId, courseId: ids.get(code)!, earnedOn }));

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'https://cursus.example.org', secret: 'test-secret-that-is-at-least-32-characters-long' };
    await buildUnits(database.db, [
      { code: 'RA01', credits: 6, title: 'Algorithmique' },
      { code: 'RA02', credits: 12, title: 'Bases de données' },
    ]);
    ids = (await catalogueIds(database.db, { courses: ['RA01', 'RA02'] })).courses;
  });
  after(() => database.close());

  it('CRED-4 a unit earned gives its attestation of success, issued once and verifiable; a unit not earned gives none', async () => {
    const learner = await buildLearner(database.db, clock, { record: { firstName: 'Léa', lastName: 'Martin' } });
    await earn(learner.id, 'RA01');
    assert.deepEqual(await unitAttestation(deps, { learnerId: learner.id, unitCode: 'RA02', locale: 'fr' }), { ok: false, code: 'not_found' });
    assert.deepEqual(await unitAttestation(deps, { learnerId: learner.id, unitCode: '../../x', locale: 'fr' }), { ok: false, code: 'not_found' });
    const first = await unitAttestation(deps, { learnerId: learner.id, unitCode: 'ra01', locale: 'fr' });
    assert.ok(first.ok);
    const text = pdfText(first.pdf);
    for (const expected of ['Attestation de réussite', 'MARTIN Léa', 'RA01 – Algorithmique', '6 crédits ECTS', '1er juin 2026', 'acquise à vie', first.document.displayCode, 'cursus.example.org/verifier'])
      assert.ok(text.includes(squash(expected)), `${expected} in ${text}`);
    const again = await unitAttestation(deps, { learnerId: learner.id, unitCode: 'RA01', locale: 'en' });
    assert.ok(again.ok && again.document.id === first.document.id);
    assert.ok(pdfText(again.pdf).includes(squash('Attestation of success')));
    const verified = await verifyDocument({ db: database.db, clock }, { code: first.document.code, signature: new URL(first.document.verifyUrl).searchParams.get('s') });
    assert.ok(verified.found && verified.document.kind === 'unit_attestation' && verified.document.status === 'valid' && verified.signature === 'valid');
  });

  it('CRED-4 the transcript lists every unit and credit earned; downloaded again unchanged it is the same document; once a unit is earned, a new one replaces it', async () => {
    const learner = await buildLearner(database.db, clock);
    assert.deepEqual(await transcript(deps, { learnerId: learner.id, locale: 'fr' }), { ok: false, code: 'empty' });
    await earn(learner.id, 'RA01', '2026-01-20');
    const first = await transcript(deps, { learnerId: learner.id, locale: 'fr' });
    assert.ok(first.ok);
    const same = await transcript(deps, { learnerId: learner.id, locale: 'fr' });
    assert.ok(same.ok && same.document.id === first.document.id);
    await earn(learner.id, 'RA02', '2026-06-05');
    const second = await transcript(deps, { learnerId: learner.id, locale: 'fr' });
    assert.ok(second.ok && second.document.id !== first.document.id);
    const text = pdfText(second.pdf);
    for (const expected of ['Relevé de notes et de crédits', 'RA01', 'Algorithmique', 'RA02', 'Bases de données', '20 janvier 2026', '5 juin 2026', 'Total : 18 crédits ECTS, 2 unité(s)', second.document.displayCode])
      assert.ok(text.includes(squash(expected)), `${expected} in ${text}`);
    const old = await verifyDocument({ db: database.db, clock }, { code: first.document.code });
    assert.ok(old.found && old.document.status === 'replaced' && old.document.kind === 'transcript');
  });

  it('CRED-1, CRED-4 the academic record is kept for the documents’ period from the unit earned, then swept (ACC-14)', async () => {
    const learner = await buildLearner(database.db, clock);
    await earn(learner.id, 'RA01', '1970-01-10');
    await earn(learner.id, 'RA02', '2026-01-10');
    const set = certificationDataSets.find((s) => s.name === 'certification')!;
    const swept = await set.retention!.sweep!(database.db, { at: clock.now(), policies: defaultPolicies, limit: 100 });
    assert.equal(swept, 1);
    assert.deepEqual(((await earnedUnitsOf(database.db, [learner.id])).get(learner.id) ?? []).map((e) => e.earnedOn), ['2026-01-10']);
    // The column's declared rule is the documents' period, from the unit earned.
    const table = set.tables.find((t) => t.table === 'credits_earned')!;
    assert.deepEqual(table.personal.earned_on.retention, { policy: 'issuedDocumentRetentionYears', unit: 'years', from: 'privacy.from.unitEarned' });
  });
});
