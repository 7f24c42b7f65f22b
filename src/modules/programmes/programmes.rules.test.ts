import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProgramme, programmeProgress, type ProgrammeRule } from './programmes.rules';

const earned = (entries: Record<string, number>) => new Map(Object.entries(entries));

// A certificate of 30 credits: two mandatory units, then 2 units among 4.
const certificate: ProgrammeRule = {
  requiredCredits: 30,
  lists: [
    { choose: null, units: ['NFA031', 'NFA032'] },
    { choose: 2, units: ['NFE107', 'NFE108', 'NFP121', 'GLG101'] },
  ],
};

describe('programme completion (CRED-1)', () => {
  it('CRED-1 nothing earned: every mandatory unit and every choice left, no credit', () => {
    const p = programmeProgress(certificate, new Map());
    assert.equal(p.creditsEarned, 0);
    assert.equal(p.creditsRequired, 30);
    assert.deepEqual(p.mandatoryLeft, ['NFA031', 'NFA032']);
    assert.equal(p.choicesLeft.length, 1);
    assert.equal(p.choicesLeft[0].left, 2);
    assert.deepEqual(p.choicesLeft[0].candidates, ['NFE107', 'NFE108', 'NFP121', 'GLG101']);
    assert.equal(p.complete, false);
  });

  it('CRED-1 the mandatory units and enough choices with enough credits complete the programme', () => {
    const p = programmeProgress(certificate, earned({ NFA031: 6, NFA032: 6, NFE107: 12, GLG101: 6 }));
    assert.deepEqual(p.mandatoryLeft, []);
    assert.deepEqual(p.choicesLeft, []);
    assert.equal(p.creditsEarned, 30);
    assert.equal(p.complete, true);
  });

  it('CRED-1 every unit required but too few credits: not complete, the credits say what is missing', () => {
    const p = programmeProgress(certificate, earned({ NFA031: 6, NFA032: 6, NFE107: 6, GLG101: 6 }));
    assert.deepEqual(p.mandatoryLeft, []);
    assert.deepEqual(p.choicesLeft, []);
    assert.equal(p.creditsEarned, 24);
    assert.equal(p.complete, false);
  });

  it('CRED-1 a mandatory unit missing: not complete even with the credits', () => {
    const p = programmeProgress(certificate, earned({ NFA031: 12, NFE107: 12, NFE108: 12, NFP121: 12 }));
    assert.deepEqual(p.mandatoryLeft, ['NFA032']);
    assert.equal(p.complete, false);
  });

  it('CRED-1 units earned outside the programme give it no credit', () => {
    const p = programmeProgress(certificate, earned({ NFA031: 6, XYZ999: 12 }));
    assert.equal(p.creditsEarned, 6);
  });

  it('CRED-1 a unit in two lists counts once: toward one list only, and its credits once', () => {
    const rule: ProgrammeRule = {
      requiredCredits: 12,
      lists: [
        { choose: 1, units: ['A', 'B'] },
        { choose: 1, units: ['A', 'C'] },
      ],
    };
    const onlyA = programmeProgress(rule, earned({ A: 6 }));
    assert.equal(onlyA.creditsEarned, 6);
    assert.equal(onlyA.choicesLeft.length, 1, 'A fills one list, not both');
    assert.equal(onlyA.complete, false);
    // A and B: A must go to the second list for both to be met (the matching finds it).
    const ab = programmeProgress(rule, earned({ B: 6, A: 6 }));
    assert.deepEqual(ab.choicesLeft, []);
    assert.deepEqual(ab.lists.map((l) => l.counted), [['B'], ['A']]);
    assert.equal(ab.complete, true);
  });

  it('CRED-1 a mandatory unit also in a choice list counts for the mandatory one only', () => {
    const rule: ProgrammeRule = { requiredCredits: 12, lists: [{ choose: null, units: ['A'] }, { choose: 1, units: ['A', 'B'] }] };
    const p = programmeProgress(rule, earned({ A: 6 }));
    assert.deepEqual(p.mandatoryLeft, []);
    assert.equal(p.choicesLeft[0].left, 1);
    assert.equal(p.complete, false);
  });

  it('CRED-1 a unit passed twice is one unit earned: its credits count once', () => {
    // The earned units are a map: a unit is there once whatever the number of passes.
    const twice = new Map([['NFA031', 6], ['NFA031', 6]]);
    assert.equal(programmeProgress(certificate, twice).creditsEarned, 6);
  });

  it('CRED-1 a list naming a unit twice asks for it once', () => {
    const rule: ProgrammeRule = { requiredCredits: 6, lists: [{ choose: null, units: ['A', 'A'] }] };
    assert.equal(programmeProgress(rule, earned({ A: 6 })).complete, true);
  });
});

describe('a programme the catalogue must be able to meet (CRED-1)', () => {
  const catalogue = new Map<string, number | null>([['NFA031', 6], ['NFA032', 6], ['NFE107', 12], ['NFE108', 6], ['NFP121', 8], ['GLG101', 4], ['COURS-1', null]]);

  it('CRED-1 a rule the catalogue meets has no problem', () => {
    assert.deepEqual(checkProgramme(certificate, catalogue), []);
  });

  it('CRED-1 a named unit that does not exist, or a course that is not a unit, is reported on its list', () => {
    const rule: ProgrammeRule = { requiredCredits: 6, lists: [{ choose: null, units: ['NFA031', 'NOPE01'] }, { choose: 1, units: ['COURS-1', 'NFA032'] }] };
    assert.deepEqual(checkProgramme(rule, catalogue), [
      { field: 'lists.0', message: 'prog.err.unknownUnits', params: { codes: 'NOPE01' } },
      { field: 'lists.1', message: 'prog.err.notAUnit', params: { codes: 'COURS-1' } },
    ]);
  });

  it('CRED-1 a choice list with fewer units than it asks for', () => {
    const rule: ProgrammeRule = { requiredCredits: 6, lists: [{ choose: 3, units: ['NFA031', 'NFA032'] }] };
    assert.deepEqual(checkProgramme(rule, catalogue)[0], { field: 'lists.0', message: 'prog.err.fewerThanChosen', params: { count: 2, choose: 3 } });
  });

  it('CRED-1 a choice list whose units other lists take (a unit counts once)', () => {
    const rule: ProgrammeRule = { requiredCredits: 6, lists: [{ choose: null, units: ['NFA031'] }, { choose: 2, units: ['NFA031', 'NFA032'] }] };
    assert.deepEqual(checkProgramme(rule, catalogue), [{ field: 'lists.1', message: 'prog.err.unitsTakenElsewhere', params: { choose: 2 } }]);
  });

  it('CRED-1 more credits required than all its units give', () => {
    const rule: ProgrammeRule = { requiredCredits: 60, lists: [{ choose: null, units: ['NFA031'] }, { choose: 1, units: ['NFE107', 'GLG101'] }] };
    assert.deepEqual(checkProgramme(rule, catalogue), [{ field: 'required_credits', message: 'prog.err.creditsUnreachable', params: { required: 60, max: 22 } }]);
  });

  it('CRED-1 a programme without any unit', () => {
    assert.deepEqual(checkProgramme({ requiredCredits: 6, lists: [] }, catalogue), [{ field: 'lists', message: 'prog.err.noUnit' }]);
  });
});
