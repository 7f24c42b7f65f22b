import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fundingSources } from '../../domain/vocabulary';
import { academicYearOf, checkPrice, defaultPrices, feeFor, MAX_PRICE_CENTS, payerOf, priceList, semesterLoad } from './funding.rules';

describe('funding rules (CRED-5)', () => {
  it('CRED-5 a price per credit is the amount times the unit’s credits; per unit, the amount whatever the credits', () => {
    for (const credits of [4, 6, 8, 12]) {
      assert.equal(feeFor({ source: 'personal', basis: 'credit', amountCents: 4_000 }, { credits }).feeCents, 4_000 * credits);
      assert.equal(feeFor({ source: 'personal', basis: 'unit', amountCents: 25_000 }, { credits }).feeCents, 25_000);
    }
  });

  it('CRED-5 the learner pays a personal enrolment; with any funder the learner pays 0 and the funder is invoiced the fee', () => {
    const personal = feeFor({ source: 'personal', basis: 'credit', amountCents: 4_000 }, { credits: 6 });
    assert.deepEqual([personal.payer, personal.learnerCents, personal.funderCents], ['learner', 24_000, 0]);
    for (const source of fundingSources.filter((s) => s !== 'personal')) {
      const fee = feeFor({ source, basis: 'credit', amountCents: 8_000 }, { credits: 12 });
      assert.deepEqual([fee.payer, fee.learnerCents, fee.funderCents, fee.feeCents], ['funder', 0, 96_000, 96_000], source);
      assert.equal(payerOf(source), 'funder');
    }
    // A funder's line may be 0: nothing invoiced, nothing for the learner.
    assert.equal(feeFor({ source: 'region', basis: 'unit', amountCents: 0 }, { credits: 6 }).feeCents, 0);
  });

  it('CRED-5 the fee keeps the line it was computed with (basis, amount, credits)', () => {
    assert.deepEqual(feeFor({ source: 'cpf', basis: 'unit', amountCents: 50_000 }, { credits: 8 }), {
      source: 'cpf',
      basis: 'unit',
      unitPriceCents: 50_000,
      credits: 8,
      feeCents: 50_000,
      payer: 'funder',
      learnerCents: 0,
      funderCents: 50_000,
    });
  });

  it('CRED-5 amounts outside 0 to 5 000 € or credits that are not a positive whole number are a programming error', () => {
    assert.throws(() => feeFor({ source: 'personal', basis: 'credit', amountCents: -1 }, { credits: 6 }), RangeError);
    assert.throws(() => feeFor({ source: 'personal', basis: 'credit', amountCents: MAX_PRICE_CENTS + 1 }, { credits: 6 }), RangeError);
    assert.throws(() => feeFor({ source: 'personal', basis: 'credit', amountCents: 10.5 }, { credits: 6 }), RangeError);
    assert.throws(() => feeFor({ source: 'personal', basis: 'credit', amountCents: 100 }, { credits: 0 }), RangeError);
  });

  it('CRED-5 the administrator’s line: 0 to 5 000 €, and a personal enrolment is never free', () => {
    assert.equal(checkPrice({ source: 'personal', basis: 'credit', amountCents: 0 }), 'personal_free');
    assert.equal(checkPrice({ source: 'cpf', basis: 'unit', amountCents: 0 }), null);
    assert.equal(checkPrice({ source: 'employer', basis: 'unit', amountCents: MAX_PRICE_CENTS }), null);
    assert.equal(checkPrice({ source: 'employer', basis: 'unit', amountCents: MAX_PRICE_CENTS + 1 }), 'out_of_range');
  });

  it('CRED-5 the price list has every source: the lines set, the defaults for the others', () => {
    const list = priceList([{ source: 'cpf', basis: 'unit', amountCents: 123 }]);
    assert.deepEqual(Object.keys(list), [...fundingSources]);
    assert.deepEqual(list.cpf, { source: 'cpf', basis: 'unit', amountCents: 123 });
    assert.deepEqual(list.personal, defaultPrices.personal);
    for (const source of fundingSources) assert.equal(checkPrice(defaultPrices[source]), null, source);
  });
});

describe('the FAQ’s advice of 2 to 3 units a semester (CRED-2)', () => {
  it('CRED-2 an academic year starts in August: a second semester in February is the year before’s', () => {
    assert.equal(academicYearOf('2026-10-15'), 2026);
    assert.equal(academicYearOf('2027-02-15'), 2026);
    assert.equal(academicYearOf('2026-07-31'), 2025);
  });

  it('CRED-2 a fourth unit in the same semester of the same year goes beyond the advice; the third does not', () => {
    const s1 = (day: string) => ({ semester: 1 as const, firstMeeting: day });
    assert.deepEqual(semesterLoad(s1('2026-10-15'), [s1('2026-10-16'), s1('2026-10-20')]), { units: 3, beyondAdvice: false });
    assert.deepEqual(semesterLoad(s1('2026-10-15'), [s1('2026-10-16'), s1('2026-10-20'), s1('2026-11-02')]), { units: 4, beyondAdvice: true });
  });

  it('CRED-2 units of the other semester, or of the same semester another year, do not count', () => {
    const held = [
      { semester: 2 as const, firstMeeting: '2027-02-15' },
      { semester: 2 as const, firstMeeting: '2027-02-16' },
      { semester: 1 as const, firstMeeting: '2025-10-15' },
      { semester: 1 as const, firstMeeting: '2027-10-15' },
    ];
    assert.deepEqual(semesterLoad({ semester: 1, firstMeeting: '2026-10-15' }, held), { units: 1, beyondAdvice: false });
  });
});
