import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import '../../messages';
import { BCRYPT_MAX_COST, checkAccountLine, checkEnrolmentLine, decoyBcrypt, decoyCosts, DUMMY_BCRYPT, fileKindOf, linkCodeHash, linkWaitMs, newLinkCode, parseLegacyHash, sha256LegacyHash, verifyLegacyPassword } from './legacy.rules';

const b2b = bcrypt.hashSync('Ancien-2016', 4);
const salt = '9f3c2a7b1e4d5c60';

describe('legacy password schemes (ACC-9)', () => {
  it('ACC-9 bcrypt hashes written $2a$, $2b$ and $2y$ are recognised, and verified with the old password only', async () => {
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const hash = b2b.replace('$2b$', prefix);
      assert.deepEqual(parseLegacyHash(hash), { ok: true, scheme: 'bcrypt', hash }, prefix);
      assert.equal(await verifyLegacyPassword('bcrypt', hash, 'Ancien-2016'), true, prefix);
      assert.equal(await verifyLegacyPassword('bcrypt', hash, 'ancien-2016'), false, prefix);
    }
  });

  it('ACC-9 salted SHA-256 in the documented format sha256$<salt hex>$<hash hex>: the documented example, any case, constant-time check', async () => {
    const documented = 'sha256$9f3c2a7b1e4d5c60$904b745ae237b851280f97fbfe6cc5a72d47f78859f79e2d40784c8373f73637';
    assert.equal(sha256LegacyHash('Soleil-2015', salt), documented);
    const parsed = parseLegacyHash(documented.toUpperCase().replace('SHA256', 'sha256'));
    assert.deepEqual(parsed, { ok: true, scheme: 'sha256', hash: documented }, 'hex digits in capitals are the same hash');
    assert.equal(await verifyLegacyPassword('sha256', documented, 'Soleil-2015'), true);
    assert.equal(await verifyLegacyPassword('sha256', documented, 'Soleil-2016'), false);
    assert.equal(await verifyLegacyPassword('sha256', sha256LegacyHash('é', 'ab'), 'é'), true, 'the password as UTF-8 bytes');
  });

  it('ACC-9 anything else is not a hash of a known scheme: refused with the same message', () => {
    const bad = [
      '',
      'Soleil-2015',
      '5f4dcc3b5aa765d61d8327deb882cf99', // MD5
      '$2x$10$mphz.VQb4w/cC2XEDBwA.OyiDFxTs8NkudDHCIm.KBHJZhGp8SvNG', // not a bcrypt version
      '$2b$03$mphz.VQb4w/cC2XEDBwA.OyiDFxTs8NkudDHCIm.KBHJZhGp8SvNG', // cost below 4
      '$2b$10$mphz.VQb4w/cC2XEDBwA.OyiDFxTs8NkudDHCIm.KBHJZhGp8SvN', // one character short
      '$2b$10$mphz.VQb4w/cC2XEDBwA.OyiDFxTs8NkudDHCIm.KBHJZhGp8Sv!G', // outside bcrypt's alphabet
      'sha256$abc$904b745ae237b851280f97fbfe6cc5a72d47f78859f79e2d40784c8373f73637', // odd salt
      'sha256$9f3c$904b745ae237b851280f97fbfe6cc5a72d47f78859f79e2d40784c8373f7363', // 63 digits
      'sha256$$904b745ae237b851280f97fbfe6cc5a72d47f78859f79e2d40784c8373f73637', // no salt
      'sha1$9f3c$904b745ae237b851280f97fbfe6cc5a72d47f788',
    ];
    for (const value of bad) assert.deepEqual(parseLegacyHash(value), { ok: false, message: 'legacy.import.err.hash' }, value);
  });

  it('ACC-9 a bcrypt cost above 12 is refused at import with its own message (each link try would cost seconds of CPU, cost 31 days), 04–12 accepted', () => {
    assert.equal(BCRYPT_MAX_COST, 12);
    const tail = 'mphz.VQb4w/cC2XEDBwA.OyiDFxTs8NkudDHCIm.KBHJZhGp8SvNG';
    for (const cost of ['04', '10', '12']) assert.equal(parseLegacyHash(`$2y$${cost}$${tail}`).ok, true, cost);
    for (const cost of [13, 14, 20, 31])
      assert.deepEqual(parseLegacyHash(`$2b$${cost}$${tail}`), { ok: false, message: 'legacy.import.err.bcryptCost', params: { cost, max: 12 } }, String(cost));
    const line = checkAccountLine({ ...account(), password_hash: `$2a$31$${tail}` });
    assert.deepEqual(line, { ok: false, problems: [{ column: 'password_hash', message: 'legacy.import.err.bcryptCost', params: { cost: 31, max: 12 } }] });
  });

  it('ACC-9 a stored bcrypt hash above the limit is never computed: a wrong password at once', async () => {
    const started = Date.now();
    assert.equal(await verifyLegacyPassword('bcrypt', '$2b$31$mphz.VQb4w/cC2XEDBwA.OyiDFxTs8NkudDHCIm.KBHJZhGp8SvNG', 'x'), false);
    assert.ok(Date.now() - started < 1000);
  });

  it('ACC-9 every link try costs the same bcrypt work: the decoys bring a cheaper hash (or none, or SHA-256) up to the cost of the hashes imported', async () => {
    assert.deepEqual(decoyCosts(null, 10), [10], 'an unknown address, a linked account or SHA-256: one decoy at the target cost');
    assert.deepEqual(decoyCosts(10, 10), [], 'a hash at the target cost is the work itself');
    assert.deepEqual(decoyCosts(12, 10), []);
    // 2^8 (the hash) + 2^8 + 2^9 (the decoys) = 2^10.
    assert.deepEqual(decoyCosts(8, 10), [8, 9]);
    for (let cost = 4; cost < 12; cost++) assert.equal(2 ** cost + decoyCosts(cost, 12).reduce((sum, c) => sum + 2 ** c, 0), 2 ** 12, String(cost));
    for (const cost of [4, 10, 12]) {
      const decoy = decoyBcrypt(cost);
      assert.deepEqual(parseLegacyHash(decoy), { ok: true, scheme: 'bcrypt', hash: decoy });
      assert.equal(decoy.slice(4, 6), String(cost).padStart(2, '0'));
    }
    assert.equal(await verifyLegacyPassword('bcrypt', decoyBcrypt(4), ''), false);
  });

  it('ACC-9 a malformed stored hash is a wrong password, never an error; the dummy hash verifies nothing known', async () => {
    assert.equal(await verifyLegacyPassword('bcrypt', 'not-a-hash', 'x'), false);
    assert.equal(await verifyLegacyPassword('sha256', 'sha256$zz$00', 'x'), false);
    assert.equal(parseLegacyHash(DUMMY_BCRYPT).ok, true, 'the dummy costs real bcrypt work');
    assert.equal(await verifyLegacyPassword('bcrypt', DUMMY_BCRYPT, ''), false);
  });
});

const account = (over: Record<string, string> = {}) => ({
  email: ' Camille.Martin@Example.org ',
  password_hash: b2b,
  last_name: 'Martin',
  first_name: 'Camille',
  civility: 'Madame',
  birth_date: '12/04/1988',
  birth_country: 'fr',
  postal_code: '75011',
  mobile_phone: '06 12 34 56 78',
  heard_from: 'town_hall',
  ...over,
});
const enrolment = (over: Record<string, string> = {}) => ({
  email: 'camille.martin@example.org',
  course_code: 'ESP-1',
  school: 'École Keller',
  period: '2015-2016',
  started_on: '21/09/2015',
  ended_on: '2016-06-13',
  attendance_percent: '87,5 %',
  attendance_certificate: 'Oui',
  outcome: 'réussi',
  certificate_on: '2016-07-04',
  certificate_number: 'CMA-2016-1',
  ...over,
});

describe('legacy import lines (ACC-9)', () => {
  it('ACC-9 a good account line: the address lower-cased, the dates in ISO, the civility and country normalised, empty columns null', () => {
    const checked = checkAccountLine(account());
    assert.ok(checked.ok);
    assert.equal(checked.row.email, 'camille.martin@example.org');
    assert.equal(checked.row.passwordScheme, 'bcrypt');
    assert.equal(checked.row.civility, 'MME');
    assert.equal(checked.row.birthDate, '1988-04-12');
    assert.equal(checked.row.birthCountry, 'FR');
    assert.equal(checked.row.birthName, null);
    assert.equal(checked.row.address, null);
  });

  it('ACC-9 a bad account line reports every problem of the line, each with its column', () => {
    const checked = checkAccountLine(account({ email: 'pas une adresse', password_hash: 'md5:abc', first_name: '', birth_date: '31/02/1988', civility: 'Dr', heard_from: 'radio', birth_country: 'France' }));
    assert.equal(checked.ok, false);
    const columns = !checked.ok ? checked.problems.map((p) => p.column) : [];
    assert.deepEqual(new Set(columns), new Set(['email', 'password_hash', 'first_name', 'birth_date', 'civility', 'heard_from', 'birth_country']));
    assert.ok(!checked.ok && checked.problems.find((p) => p.column === 'birth_date')?.message === 'legacy.import.err.date');
  });

  it('ACC-9 a good enrolment line: attendance rounded down, oui/non, the outcome in French or English', () => {
    const checked = checkEnrolmentLine(enrolment());
    assert.ok(checked.ok);
    assert.deepEqual(
      { ...checked.row },
      {
        email: 'camille.martin@example.org',
        courseCode: 'ESP-1',
        school: 'École Keller',
        period: '2015-2016',
        startedOn: '2015-09-21',
        endedOn: '2016-06-13',
        attendancePercent: 87,
        attendanceCertified: true,
        outcome: 'passed',
        certificateOn: '2016-07-04',
        certificateNumber: 'CMA-2016-1',
      },
    );
    for (const [word, outcome] of [['failed', 'failed'], ['Échoué', 'failed'], ['absent', 'absent'], ['', null], ['none', null]] as const) {
      const line = checkEnrolmentLine(enrolment({ outcome: word, certificate_on: '', certificate_number: '' }));
      assert.ok(line.ok, word);
      assert.equal(line.row.outcome, outcome, word);
    }
  });

  it('ACC-9 bad enrolment lines: dates, their order, a percentage over 100, a certificate without a pass, a course code', () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ started_on: '2015-13-01' }, 'started_on', 'legacy.import.err.date'],
      [{ ended_on: '' }, 'ended_on', 'legacy.import.err.required'],
      [{ ended_on: '2015-09-01' }, 'ended_on', 'legacy.import.err.endBeforeStart'],
      [{ attendance_percent: '120' }, 'attendance_percent', 'legacy.import.err.percent'],
      [{ attendance_percent: 'beaucoup' }, 'attendance_percent', 'legacy.import.err.percent'],
      [{ attendance_certificate: 'peut-être' }, 'attendance_certificate', 'legacy.import.err.yesNo'],
      [{ outcome: 'bien' }, 'outcome', 'legacy.import.err.oneOf'],
      [{ outcome: 'failed' }, 'certificate_on', 'legacy.import.err.certificateWithoutPass'],
      [{ course_code: 'ESP 1' }, 'course_code', 'legacy.import.err.code'],
      [{ school: '' }, 'school', 'legacy.import.err.required'],
    ];
    for (const [over, column, message] of cases) {
      const checked = checkEnrolmentLine(enrolment(over));
      assert.equal(checked.ok, false, JSON.stringify(over));
      assert.ok(!checked.ok && checked.problems.some((p) => p.column === column && p.message === message), `${JSON.stringify(over)}: ${JSON.stringify(!checked.ok && checked.problems)}`);
    }
  });

  it('ACC-9 the file kind is told by the header', () => {
    assert.equal(fileKindOf(['email', 'password_hash']), 'accounts');
    assert.equal(fileKindOf(['email', 'course_code']), 'enrolments');
    assert.equal(fileKindOf(['email', 'name']), null);
  });
});

describe('legacy link codes and throttle (ACC-9)', () => {
  it('ACC-9 codes are 8 digits; their hash ignores the spaces and dashes people type', () => {
    for (let i = 0; i < 50; i++) assert.match(newLinkCode(), /^\d{8}$/);
    assert.equal(linkCodeHash('1234 5678'), linkCodeHash('12345678'));
    assert.equal(linkCodeHash('1234-5678'), linkCodeHash('12345678'));
    assert.notEqual(linkCodeHash('12345679'), linkCodeHash('12345678'));
  });

  it('ACC-9 wrong old passwords: free tries, then a doubling wait per account (15 min at most), a minute at most per old address', () => {
    const now = new Date('2026-09-01T10:00:00Z');
    const none = { failures: 0, lastFailedAt: null };
    const at = (failures: number) => ({ failures, lastFailedAt: now });
    const limits = { perAccount: 5, perOldEmail: 100 };
    assert.equal(linkWaitMs({ account: none, oldEmail: none }, limits, now), 0);
    assert.equal(linkWaitMs({ account: at(4), oldEmail: at(4) }, limits, now), 0);
    assert.equal(linkWaitMs({ account: at(5), oldEmail: at(5) }, limits, now), 1000);
    assert.equal(linkWaitMs({ account: at(7), oldEmail: at(7) }, limits, now), 4000);
    assert.equal(linkWaitMs({ account: at(40), oldEmail: at(40) }, limits, now), 15 * 60_000);
    assert.equal(linkWaitMs({ account: none, oldEmail: at(500) }, limits, now), 60_000, 'others’ guesses slow the old address a minute at most');
    assert.equal(linkWaitMs({ account: at(5), oldEmail: at(5) }, limits, new Date(now.getTime() + 1000)), 0, 'the wait ends');
  });
});
