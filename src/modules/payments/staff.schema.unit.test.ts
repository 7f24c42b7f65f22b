import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../messages';
import { parseForm } from '../../ui/forms';
import { cashSchema, chequeSchema, parseEuros, reportSchema } from './staff.schema';

describe('the cash desk’s forms (PAY-3)', () => {
  it('PAY-3 an amount is read as a person types it, in integer cents', () => {
    const cases: [string, number | null][] = [
      ['150', 15_000],
      ['150,50', 15_050],
      ['150.5', 15_050],
      ['12,50', 1_250],
      ['0,07', 7],
      ['1 500 €', 150_000],
      ['1\u202f500,00\u00a0€', 150_000],
      ['150EUR', 15_000],
      ['1e9', null],
      ['-5', null],
      ['+5', null],
      ['12,505', null],
      ['1.500,00', null],
      ['0x10', null],
      ['Infinity', null],
      ['NaN', null],
      ['', null],
      [',50', null],
    ];
    for (const [typed, cents] of cases) assert.equal(parseEuros(typed), cents, JSON.stringify(typed));
    assert.ok(parseEuros('99999999999999999999')! > 10_000_000, 'a huge amount stays a number, refused as too large');
  });

  it('PAY-3 the cash form says what is wrong next to the amount, what was typed kept', () => {
    const error = (tendered: string) => {
      const parsed = parseForm(cashSchema, { tendered, cashPayer: 'Awa Diallo' });
      assert.equal(parsed.ok, false, tendered);
      return !parsed.ok && { message: parsed.form.errors.tendered?.message, kept: parsed.form.values.tendered };
    };
    assert.deepEqual(error('1e9'), { message: 'pay.staff.error.amount', kept: '1e9' });
    assert.deepEqual(error('0'), { message: 'pay.staff.error.amount', kept: '0' });
    assert.deepEqual(error('99999999999'), { message: 'pay.staff.error.amountTooLarge', kept: '99999999999' });
    assert.deepEqual(error('100000,01'), { message: 'pay.staff.error.amountTooLarge', kept: '100000,01' });
    assert.deepEqual(error('15\u0000'), { message: 'field.invalidCharacters', kept: '15\u0000' });
    assert.deepEqual(error(''), { message: 'field.required', kept: '' });
    assert.deepEqual(parseForm(cashSchema, { tendered: ' 150,00 ', cashPayer: ' Awa Diallo ' }), { ok: true, data: { tendered: 15_000, cashPayer: 'Awa Diallo' } });
    const noPayer = parseForm(cashSchema, { tendered: '150' });
    assert.ok(!noPayer.ok && noPayer.form.errors.cashPayer?.message === 'field.required');
  });

  it('PAY-3 a cheque has its number in digits, its bank and its payer', () => {
    assert.deepEqual(parseForm(chequeSchema, { chequeNumber: '012 3456', bank: 'La Banque Postale', chequePayer: 'CCAS du 11e' }), {
      ok: true,
      data: { chequeNumber: '0123456', bank: 'La Banque Postale', chequePayer: 'CCAS du 11e' },
    });
    const bad = parseForm(chequeSchema, { chequeNumber: '12-AB', bank: '', chequePayer: 'x'.repeat(201) });
    assert.ok(!bad.ok);
    assert.deepEqual(
      Object.fromEntries(Object.entries(bad.form.errors).map(([k, v]) => [k, v?.message])),
      { chequeNumber: 'pay.staff.error.chequeNumber', bank: 'field.required', chequePayer: 'field.tooLong' },
    );
    const array = parseForm(chequeSchema, { chequeNumber: ['1', '2'], bank: 'B', chequePayer: 'P' });
    assert.ok(!array.ok && array.form.errors.chequeNumber);
  });

  it('the report’s filters: real dates in order, a school id, a method; anything else next to its field', () => {
    assert.deepEqual(parseForm(reportSchema, { du: '01/09/2026', au: '2026-09-30', ecole: '12', mode: 'cheque' }), {
      ok: true,
      data: { du: '2026-09-01', au: '2026-09-30', ecole: 12, mode: 'cheque' },
    });
    assert.deepEqual(parseForm(reportSchema, {}), { ok: true, data: {} });
    const errors = (query: Record<string, unknown>) => {
      const parsed = parseForm(reportSchema, query);
      return parsed.ok ? {} : Object.fromEntries(Object.entries(parsed.form.errors).map(([k, v]) => [k, v?.message]));
    };
    assert.deepEqual(errors({ du: '31/02/2026' }), { du: 'pay.staff.error.date' });
    assert.deepEqual(errors({ du: '30/09/2026', au: '01/09/2026' }), { au: 'pay.staff.error.dateOrder' });
    assert.deepEqual(errors({ ecole: '1e9' }), { ecole: 'field.invalidChoice' });
    assert.deepEqual(errors({ ecole: '99999999999' }), { ecole: 'field.invalidChoice' });
    assert.deepEqual(errors({ mode: 'bitcoin' }), { mode: 'field.invalidChoice' });
    assert.deepEqual(errors({ au: '01/09/2026\u0000' }), { au: 'field.invalidCharacters' });
  });
});
