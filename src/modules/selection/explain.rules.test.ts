import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import '../../messages';
import { objectives, situations } from '../../domain/vocabulary';
import { defaultPolicies } from '../../platform/policies';
import { locales, translator } from '../../platform/i18n';
import { lineText, type Line } from '../../ui/explanation';
import { criteriaLines, explainDecision, publicAdjustmentReasons, tiedApplicants, waitingLines, type ExplainFacts, type ExplainOutcome, type WaitingStanding } from './explain.rules';
import { sentenceProblems, sentencesOf } from './falc.rules';
import { criteriaPointsOf, criteriaScore, rankApplicants, type Applicant } from './selection.rules';

const points = criteriaPointsOf(defaultPolicies);
const facts = (more: Partial<ExplainFacts> = {}): ExplainFacts => ({
  situation: 'employed',
  objective: 'personal',
  previousLevel: false,
  previousAttendancePercent: null,
  previousCertificate: false,
  evaluated: false,
  evaluation: null,
  adjustment: null,
  assisted: false,
  refusalReason: null,
  ...more,
});
const ranked = (more: Partial<Extract<ExplainOutcome, { outcome: 'accepted' | 'waiting_list' }>> = {}): ExplainOutcome => ({
  outcome: 'accepted',
  rank: 3,
  ranked: 30,
  places: 20,
  heldForAssisted: 0,
  tied: false,
  ...more,
});
const keys = (lines: Line[]): string[] => lines.map((l) => l.key);
const total = (lines: Line[]) => lines.find((l) => l.key === 'sel.why.total')!.params!.points;
const fr = translator('fr');

describe('SEL-12 every decision explained (pure)', () => {
  it('SEL-12 each situation and objective says its points, as the policies count them (never a literal)', () => {
    for (const situation of situations)
      for (const objective of objectives) {
        const lines = criteriaLines(facts({ situation, objective }), points);
        const s = points.situation[situation];
        const o = points.objective[objective];
        assert.equal(lines[0].key, s ? 'sel.why.situation' : 'sel.why.situationNone', situation);
        assert.deepEqual(lines[0].params, { situation: { key: `apps.situation.${situation}` }, points: s });
        assert.equal(lines[1].key, o ? 'sel.why.objective' : 'sel.why.objectiveNone', objective);
        assert.equal(total(lines), s + o);
      }
    // Other policy values: the sentences follow them.
    const other = criteriaPointsOf({ ...defaultPolicies, pointsJobSeeker: 7, pointsDiplomaObjective: 4 });
    const lines = criteriaLines(facts({ situation: 'job_seeker', objective: 'diploma' }), other);
    assert.equal(lines[0].params!.points, 7);
    assert.equal(lines[1].params!.points, 4);
    assert.equal(total(lines), 11);
  });

  it('SEL-12 the previous level: attendance at the threshold or above gives its points, below says the threshold, unknown says so, none says nothing', () => {
    const threshold = points.previousAttendance.atLeastPercent;
    const cases: [Partial<ExplainFacts>, string[], number][] = [
      [{ previousLevel: false }, [], 0],
      [{ previousLevel: true }, ['sel.why.previousUnknown'], 0],
      [{ previousLevel: true, previousAttendancePercent: threshold }, ['sel.why.attendance', 'sel.why.certificateNone'], points.previousAttendance.points],
      [{ previousLevel: true, previousAttendancePercent: 100, previousCertificate: true }, ['sel.why.attendance', 'sel.why.certificate'], points.previousAttendance.points + points.previousCertificate],
      [{ previousLevel: true, previousAttendancePercent: threshold - 1 }, ['sel.why.attendanceNone', 'sel.why.certificateNone'], 0],
      [{ previousLevel: true, previousAttendancePercent: 0, previousCertificate: true }, ['sel.why.attendanceNone', 'sel.why.certificate'], points.previousCertificate],
      [{ previousLevel: true, previousCertificate: true }, ['sel.why.certificate'], points.previousCertificate],
    ];
    for (const [more, expected, sum] of cases) {
      const lines = criteriaLines(facts(more), points);
      assert.deepEqual(keys(lines).slice(2, -1), expected, JSON.stringify(more));
      assert.equal(total(lines), sum, JSON.stringify(more));
      const attendance = lines.find((l) => l.key.startsWith('sel.why.attendance'));
      if (attendance) assert.equal(attendance.params!.threshold, threshold);
    }
  });

  it('SEL-12 an adjustment says its public reason (up or down), or only its points for one made before public reasons', () => {
    for (const reason of publicAdjustmentReasons) {
      const up = criteriaLines(facts({ adjustment: { points: 3, publicReason: reason } }), points);
      assert.deepEqual(up.at(-2), { key: 'sel.why.adjustUp', params: { points: 3, reason: { key: `sel.publicReason.${reason}` } } });
      assert.equal(total(up), 3);
      const down = criteriaLines(facts({ situation: 'job_seeker', adjustment: { points: -2, publicReason: reason } }), points);
      assert.deepEqual(down.at(-2), { key: 'sel.why.adjustDown', params: { points: 2, reason: { key: `sel.publicReason.${reason}` } } });
      assert.equal(total(down), points.situation.job_seeker - 2);
    }
    assert.equal(criteriaLines(facts({ adjustment: { points: 1, publicReason: null } }), points).at(-2)!.key, 'sel.why.adjustUpNoReason');
    assert.equal(criteriaLines(facts({ adjustment: { points: -1, publicReason: null } }), points).at(-2)!.key, 'sel.why.adjustDownNoReason');
    assert.ok(!keys(criteriaLines(facts({ adjustment: { points: 0, publicReason: null } }), points)).some((k) => k.startsWith('sel.why.adjust')));
  });

  it('SEL-12 SEL-2 the total the learner reads is the score the ranking used (criteria and adjustment), for any applicant', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...situations),
        fc.constantFrom(...objectives),
        fc.option(fc.integer({ min: 0, max: 100 })),
        fc.boolean(),
        fc.integer({ min: -20, max: 20 }),
        (situation, objective, attendance, certificate, adjustment) => {
          const a: Applicant = { applicationId: 'a', situation, objective, prerequisitesMet: true, previousAttendancePercent: attendance, previousCertificate: certificate, evaluation: null, adjustment };
          const [r] = rankApplicants([a], { seed: 's', evaluated: false, points }).ranked;
          const lines = criteriaLines(facts({ situation, objective, previousLevel: true, previousAttendancePercent: attendance, previousCertificate: certificate, adjustment: { points: adjustment, publicReason: 'correction' } }), points);
          assert.equal(total(lines), r.score);
          assert.equal(r.score, criteriaScore(a, points) + adjustment);
        },
      ),
    );
  });

  it('SEL-12 the evaluation comes first where the course has one: the mark, or no mark; nothing where it has none', () => {
    const cases: [Partial<ExplainFacts>, string[]][] = [
      [{ evaluated: false, evaluation: null }, []],
      [{ evaluated: true, evaluation: 14.5 }, ['sel.why.mark', 'sel.why.markFirst']],
      [{ evaluated: true, evaluation: null }, ['sel.why.noMark', 'sel.why.markFirst']],
    ];
    for (const [more, expected] of cases) {
      const lines = explainDecision(facts(more), points, ranked());
      assert.deepEqual(keys(lines).slice(0, expected.length), expected);
      if (more.evaluation) assert.equal(lines[0].params!.mark, 14.5);
    }
  });

  it('SEL-12 the outcome: rank of the ranked, the places, and why (within the places, below them, places held for the help desk, a draw for ties)', () => {
    const cases: [Partial<ExplainFacts>, ExplainOutcome, string[]][] = [
      [{}, ranked({ rank: 3 }), ['sel.why.rank', 'sel.why.places', 'sel.why.accepted']],
      [{}, ranked({ tied: true }), ['sel.why.tie', 'sel.why.rank', 'sel.why.places', 'sel.why.accepted']],
      [{}, ranked({ outcome: 'waiting_list', rank: 25, waitingRank: 5 }), ['sel.why.rank', 'sel.why.places', 'sel.why.waiting', 'sel.why.waitingRank']],
      [{}, ranked({ outcome: 'waiting_list', rank: 4, heldForAssisted: 3 }), ['sel.why.rank', 'sel.why.places', 'sel.why.waitingHeld']],
      [{}, ranked({ outcome: 'waiting_list', rank: 25, heldForAssisted: 3 }), ['sel.why.rank', 'sel.why.places', 'sel.why.waiting']],
      [{ assisted: true }, ranked({ rank: 24, heldForAssisted: 3 }), ['sel.why.rank', 'sel.why.places', 'sel.why.acceptedHeld']],
      [{}, ranked({ outcome: 'waiting_list', rank: 22, waitingRank: 2, offeredLater: true }), ['sel.why.rank', 'sel.why.places', 'sel.why.waiting', 'sel.why.waitingRank', 'sel.why.offered']],
    ];
    for (const [more, decision, expected] of cases) {
      const lines = explainDecision(facts(more), points, decision);
      assert.deepEqual(keys(lines).slice(-expected.length), expected, JSON.stringify(decision));
      assert.ok(keys(lines).includes('sel.why.total'));
      const d = decision as Extract<ExplainOutcome, { rank: number }>;
      assert.deepEqual(lines.find((l) => l.key === 'sel.why.rank')!.params, { rank: d.rank, count: d.ranked });
      assert.deepEqual(lines.find((l) => l.key === 'sel.why.places')!.params, { places: d.places });
    }
  });

  it('SEL-12 SEL-1 a refusal says what was missing and that it was not ranked (no points: they did not apply)', () => {
    assert.deepEqual(explainDecision(facts({ refusalReason: 'L’attestation du niveau A1' }), points, { outcome: 'refused' }), [
      { key: 'sel.why.refused', params: { reason: 'L’attestation du niveau A1' } },
      { key: 'sel.why.notRanked' },
    ]);
    assert.deepEqual(keys(explainDecision(facts(), points, { outcome: 'refused' })), ['sel.why.refusedNoReason', 'sel.why.notRanked']);
  });

  it('SEL-12 SEL-3 a convocation says the course chooses by test or interview, that everyone has one, that the mark counts first, and the points so far', () => {
    for (const kind of ['test', 'interview'] as const) {
      const lines = explainDecision(facts({ evaluated: true, situation: 'welfare_recipient' }), points, { outcome: 'convoked', kind });
      assert.deepEqual(keys(lines).slice(0, 4), [`sel.why.convoked.${kind}`, 'sel.why.everyoneInvited', 'sel.why.markFirst', 'sel.why.situation']);
      assert.ok(!keys(lines).includes('sel.why.rank'));
      assert.equal(total(lines), points.situation.welfare_recipient);
    }
  });

  it('SEL-2 SEL-12 ties: those whose order only the draw decided (same mark where there is one, same points)', () => {
    const r = (applicationId: string, score: number, evaluation: number | null) => ({ applicationId, score, evaluation });
    assert.deepEqual([...tiedApplicants([r('a', 3, 12), r('b', 3, 12), r('c', 3, 14), r('d', 1, null)], true)].sort(), ['a', 'b']);
    assert.deepEqual([...tiedApplicants([r('a', 3, 12), r('b', 3, 10), r('c', 3, 14), r('d', 1, null)], false)].sort(), ['a', 'b', 'c']);
    assert.equal(tiedApplicants([], false).size, 0);
  });
});

describe('SEL-11 waiting lists you can follow (pure)', () => {
  const standing = (more: Partial<WaitingStanding> = {}): WaitingStanding => ({ position: 3, waitingRank: 7, places: 20, lastOffered: 4, replyHours: 72, endsOn: '2027-02-01', ...more });
  it('SEL-11 the position now and those before, the number on the list, the last number offered, the places, and what happens next', () => {
    assert.deepEqual(waitingLines(standing()), [
      { key: 'sel.wait.position', params: { position: 3, ahead: 2 } },
      { key: 'sel.wait.number', params: { rank: 7 } },
      { key: 'sel.wait.lastOffered', params: { rank: 4 } },
      { key: 'sel.wait.places', params: { places: 20 } },
      { key: 'sel.wait.next' },
      { key: 'sel.wait.reply', params: { hours: 72 } },
      { key: 'sel.wait.end', params: { date: { day: '2027-02-01' } } },
    ]);
    const cases: [Partial<WaitingStanding>, string, string][] = [
      [{ position: 1 }, 'sel.wait.first', 'sel.wait.lastOffered'],
      [{ lastOffered: null }, 'sel.wait.position', 'sel.wait.noneOffered'],
      [{ position: 1, lastOffered: null, waitingRank: null }, 'sel.wait.first', 'sel.wait.noneOffered'],
    ];
    for (const [more, first, offered] of cases) {
      const lines = waitingLines(standing(more));
      assert.equal(lines[0].key, first);
      assert.ok(keys(lines).includes(offered));
      assert.equal(keys(lines).includes('sel.wait.number'), more.waitingRank !== null);
    }
    assert.equal(lineText(fr, waitingLines(standing({ replyHours: 48 }))[5]), 'Vous avez alors 48 heures pour répondre.');
  });
});

describe('SEL-11 SEL-12 the explanations are plain words in both languages', () => {
  // Every line any case can give, with long values (the longest situation, a refusal's reason).
  const every: Line[] = [
    ...situations.flatMap((situation) => objectives.flatMap((objective) => criteriaLines(facts({ situation, objective }), points))),
    ...criteriaLines(facts({ previousLevel: true }), points),
    ...criteriaLines(facts({ previousLevel: true, previousAttendancePercent: 90, previousCertificate: true }), points),
    ...criteriaLines(facts({ previousLevel: true, previousAttendancePercent: 10 }), points),
    ...publicAdjustmentReasons.flatMap((r) => [...criteriaLines(facts({ adjustment: { points: 2, publicReason: r } }), points), ...criteriaLines(facts({ adjustment: { points: -2, publicReason: r } }), points)]),
    ...criteriaLines(facts({ adjustment: { points: 2, publicReason: null } }), points),
    ...criteriaLines(facts({ adjustment: { points: -2, publicReason: null } }), points),
    ...explainDecision(facts({ evaluated: true, evaluation: 12 }), points, ranked({ tied: true })),
    ...explainDecision(facts({ evaluated: true }), points, ranked({ outcome: 'waiting_list', waitingRank: 2, offeredLater: true })),
    ...explainDecision(facts(), points, ranked({ outcome: 'waiting_list', heldForAssisted: 2 })),
    ...explainDecision(facts({ assisted: true }), points, ranked({ rank: 25, heldForAssisted: 2 })),
    ...explainDecision(facts({ refusalReason: 'x' }), points, { outcome: 'refused' }),
    ...explainDecision(facts(), points, { outcome: 'refused' }),
    ...explainDecision(facts(), points, { outcome: 'convoked', kind: 'test' }),
    ...explainDecision(facts(), points, { outcome: 'convoked', kind: 'interview' }),
    ...waitingLines({ position: 3, waitingRank: 7, places: 20, lastOffered: 4, replyHours: 72, endsOn: '2027-02-01' }),
    ...waitingLines({ position: 1, waitingRank: 1, places: 20, lastOffered: null, replyHours: 72, endsOn: '2027-02-01' }),
  ];

  it('SEL-12 SVC-7 every sentence keeps the easy-read rules (15 words at most, one idea, common words), in French and English', () => {
    for (const locale of locales) {
      const t = translator(locale);
      for (const line of every) {
        const text = lineText(t, line);
        assert.ok(!text.includes('{'), `${locale} ${line.key}: a placeholder left: ${text}`);
        assert.notEqual(text, line.key, `${locale} ${line.key}: no message`);
        for (const sentence of sentencesOf(text)) assert.deepEqual(sentenceProblems(sentence, locale), [], `${locale} ${line.key}: ${sentence}`);
      }
    }
  });

  it('SEL-12 a line reads its parameters in the reader’s language: a situation’s name, a day', () => {
    const [situation] = criteriaLines(facts({ situation: 'job_seeker' }), points);
    assert.equal(lineText(fr, situation), `Votre situation : Demandeur ou demandeuse d’emploi. Points : ${points.situation.job_seeker}.`);
    assert.equal(lineText(translator('en'), { key: 'sel.wait.end', params: { date: { day: '2027-02-01' } } }), 'With no place by 1 February 2027, your application closes: lack of places.');
  });
});
