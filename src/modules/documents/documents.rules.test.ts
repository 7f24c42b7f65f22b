import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CODE_ALPHABET, CODE_LENGTH, checkCode, effectiveStatus, formatCode, initials, newCode, sameClaims, signedClaims } from './documents.rules';

describe('PAY-10 short codes', () => {
  it('PAY-10 the alphabet has none of the characters people confuse (0/O, 1/I/L), and no character twice', () => {
    for (const ambiguous of '0O1IL') assert.ok(!CODE_ALPHABET.includes(ambiguous), ambiguous);
    assert.equal(new Set(CODE_ALPHABET).size, CODE_ALPHABET.length);
    assert.match(CODE_ALPHABET, /^[2-9A-Z]+$/);
    assert.equal(CODE_ALPHABET.length, 31);
  });

  it('PAY-10 a code is 12 characters (8 or more) of the alphabet, drawn from crypto random, and passes its own check', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const code = newCode();
      assert.equal(code.length, CODE_LENGTH);
      assert.ok(CODE_LENGTH >= 8);
      assert.ok([...code].every((c) => CODE_ALPHABET.includes(c)), code);
      assert.deepEqual(checkCode(code), { ok: true, code });
      seen.add(code);
    }
    assert.equal(seen.size, 2_000, 'no two alike in 2 000 draws');
  });

  it('PAY-10 every character of the alphabet is drawn, each about as often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3_000; i++) for (const c of newCode().slice(0, 11)) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 31);
    const expected = (3_000 * 11) / 31;
    for (const [c, n] of counts) assert.ok(Math.abs(n - expected) < expected * 0.25, `${c}: ${n} (expected about ${Math.round(expected)})`);
  });

  it('PAY-10 a code typed with lowercase, spaces, dashes or full-width characters is normalised', () => {
    const code = newCode();
    const shown = formatCode(code);
    assert.match(shown, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    for (const typed of [shown, shown.toLowerCase(), ` ${shown.replaceAll('-', ' ')} `, shown.replaceAll('-', '–'), code.replace(/(.{3})/g, '$1.'), [...code].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')])
      assert.deepEqual(checkCode(typed), { ok: true, code }, typed);
  });

  it('PAY-10 malformed input is refused, never thrown: wrong length, foreign or ambiguous characters, NUL bytes, huge strings, not a string', () => {
    const code = newCode();
    for (const raw of ['', code.slice(0, 11), `${code}2`, `${code.slice(0, 11)}O`, `${code.slice(0, 6)}\u0000${code.slice(6)}`, 'A'.repeat(100_000), '../../etc/passwd', '<script>', '😀'.repeat(12), undefined, null, 42, ['x'], {}])
      assert.deepEqual(checkCode(raw), { ok: false, reason: 'shape' }, String(raw).slice(0, 30));
  });

  it('PAY-10 the check character catches any single wrong character and any swap of two different characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CODE_LENGTH - 1 }), fc.integer({ min: 1, max: 30 }), (position, shift) => {
        const code = newCode();
        const wrong = CODE_ALPHABET[(CODE_ALPHABET.indexOf(code[position]) + shift) % 31];
        const typo = code.slice(0, position) + wrong + code.slice(position + 1);
        assert.deepEqual(checkCode(typo), { ok: false, reason: 'checksum' });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CODE_LENGTH - 1 }), fc.integer({ min: 0, max: CODE_LENGTH - 1 }), (i, j) => {
        const code = newCode();
        if (code[i] === code[j]) return;
        const chars = [...code];
        [chars[i], chars[j]] = [chars[j], chars[i]];
        assert.deepEqual(checkCode(chars.join('')), { ok: false, reason: 'checksum' });
      }),
    );
  });

  it('PAY-10 the draw takes its randomness from the source it is given (crypto by default)', () => {
    assert.equal(newCode(() => 0).slice(0, 11), '2'.repeat(11));
    assert.ok(checkCode(newCode(() => 30)).ok);
  });
});

describe('PAY-10 what the public page shows', () => {
  it('PAY-10 initials only: each word, hyphenated parts kept, accents kept, nothing else of the name', () => {
    assert.equal(initials('DURAND-MARTIN Léa'), 'D.-M. L.');
    assert.equal(initials('  élodie   N’Diaye '), 'É. N.');
    assert.equal(initials('DE LA TOUR Jean-Pierre'), 'D. L. T. J.-P.');
    assert.equal(initials('O’Brien Seán'), 'O. S.');
    assert.equal(initials('123 ---'), '');
  });

  it('PAY-10 expired is read from the last day of validity and the day (in Paris); replaced and revoked stay as they are', () => {
    const cases: [Parameters<typeof effectiveStatus>[0], string, string][] = [
      [{ status: 'valid', validUntil: '2027-01-12' }, '2027-01-12', 'valid'],
      [{ status: 'valid', validUntil: '2027-01-12' }, '2027-01-13', 'expired'],
      [{ status: 'valid', validUntil: null }, '2099-01-01', 'valid'],
      [{ status: 'replaced', validUntil: '2027-01-12' }, '2027-02-01', 'replaced'],
      [{ status: 'revoked', validUntil: null }, '2027-02-01', 'revoked'],
    ];
    for (const [row, today, expected] of cases) assert.equal(effectiveStatus(row, today), expected, `${row.status} ${row.validUntil} on ${today}`);
  });

  it('PAY-10 the signed claims are minimal (code, kind, initials, day of issue, valid until) and compared exactly', () => {
    const claims = signedClaims({ code: 'ABCDEFGHJKMN', kind: 'convocation', holderName: 'DURAND Léa', issuedDay: '2026-11-23', validUntil: '2027-01-12' });
    assert.deepEqual(claims, { c: 'ABCDEFGHJKMN', k: 'convocation', n: 'D. L.', i: '2026-11-23', u: '2027-01-12' });
    assert.ok(sameClaims(JSON.parse(JSON.stringify(claims)), claims));
    assert.ok(!sameClaims({ ...claims, n: 'X. Y.' }, claims));
    assert.ok(!sameClaims({ ...claims, extra: 1 }, claims));
    assert.ok(!sameClaims(null, claims));
    assert.ok(!sameClaims('claims', claims));
  });
});
