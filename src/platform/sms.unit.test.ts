import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smsSegments, toGsm7 } from './sms';
import { isSmsReportSignature, smsReportSignature, smsReportUrl } from './sms/provider';

describe('SMS text: the GSM 7-bit alphabet and segments (issue 13)', () => {
  it('one letter outside GSM-7 makes the whole message UCS-2: 160 characters fit in one SMS, then only 70', () => {
    assert.deepEqual(smsSegments('a'.repeat(160)), { encoding: 'GSM-7', segments: 1 });
    assert.deepEqual(smsSegments('a'.repeat(161)), { encoding: 'GSM-7', segments: 2 });
    // ê is not in the GSM alphabet (é, è, à, ù are).
    assert.deepEqual(smsSegments(`ê${'a'.repeat(69)}`), { encoding: 'UCS-2', segments: 1 });
    assert.deepEqual(smsSegments(`ê${'a'.repeat(70)}`), { encoding: 'UCS-2', segments: 2 });
    assert.deepEqual(smsSegments(`é${'a'.repeat(159)}`), { encoding: 'GSM-7', segments: 1 }, 'é is in the alphabet');
  });

  it('a long message is cut in parts of 153 characters (GSM-7) or 67 (UCS-2), the header taking the rest', () => {
    assert.equal(smsSegments('a'.repeat(306)).segments, 2);
    assert.equal(smsSegments('a'.repeat(307)).segments, 3);
    assert.equal(smsSegments('a'.repeat(459)).segments, 3);
    assert.equal(smsSegments(`ê${'a'.repeat(133)}`).segments, 2, '134 = 2 × 67');
    assert.equal(smsSegments(`ê${'a'.repeat(134)}`).segments, 3);
  });

  it('the extension table’s characters (€ [ ] { } ~ ^ | \\) take two places', () => {
    assert.deepEqual(smsSegments('€'.repeat(80)), { encoding: 'GSM-7', segments: 1 });
    assert.deepEqual(smsSegments('€'.repeat(81)), { encoding: 'GSM-7', segments: 2 });
    assert.equal(smsSegments(`${'a'.repeat(159)}€`).segments, 2, '159 + 2 = 161');
    assert.equal(smsSegments(`${'a'.repeat(158)}[`).segments, 1, '158 + 2 = 160');
  });

  it('toGsm7 keeps the letters the alphabet has, takes the accents off the others and plain forms of typography', () => {
    assert.equal(toGsm7('é è à ù É Ç ñ ü'), 'é è à ù É Ç ñ ü');
    assert.equal(toGsm7('être, forêt, leçon, maïs, où, Noël, cœur'), 'etre, foret, lecon, mais, où, Noel, coeur');
    assert.equal(toGsm7('l’école « demain » – 9 h…'), 'l\'école "demain" - 9 h...');
    assert.equal(toGsm7('10\u202f€\u00a0'), '10 € ');
    assert.equal(toGsm7('😀'), '😀', 'what cannot be written in GSM-7 stays (the message is then UCS-2)');
  });

  it('a French text of a warning: written for GSM-7 it is one SMS fewer', () => {
    const text =
      'Cours municipaux d’adultes : vous n’êtes pas venu·e aux 2 premières séances (lundi 5 et lundi 12 octobre) d’« Anglais B1 ». Sans nouvelles de vous, votre place sera proposée à une personne en liste d’attente.';
    const raw = smsSegments(text);
    const written = smsSegments(toGsm7(text));
    assert.equal(raw.encoding, 'UCS-2');
    assert.equal(raw.segments, 4, `${[...text].length} characters in parts of 67`);
    assert.equal(written.encoding, 'GSM-7');
    assert.equal(written.segments, 2, `${toGsm7(text).length} characters in parts of 153`);
    assert.match(toGsm7(text), /vous n'etes pas venu.e aux 2 premières séances/);
  });
});

describe('SMS delivery reports: each message’s own signed address', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const reference = '0b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b';
  it('is the reference signed by SMS_REPORT_SECRET; another reference, secret or signature does not verify', () => {
    const signature = smsReportSignature(secret, reference);
    assert.match(signature, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(smsReportUrl('https://cursus.example.fr', secret, reference), `https://cursus.example.fr/sms/rapports/${reference}/${signature}`);
    assert.ok(isSmsReportSignature(secret, reference, signature));
    assert.ok(!isSmsReportSignature(secret, '1b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b', signature));
    assert.ok(!isSmsReportSignature(`${secret}x`, reference, signature));
    assert.ok(!isSmsReportSignature(secret, reference, signature.slice(0, 42)));
    assert.ok(!isSmsReportSignature(secret, reference, `${signature.slice(0, 42)}${signature[42] === 'A' ? 'B' : 'A'}`));
  });
});
