import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notifyChannels } from '../../domain/vocabulary';
import { translator } from '../../platform/i18n';
import { smsSegments, toGsm7 } from '../../platform/sms';
import '../../messages';
import { channelsFor, mobileE164, smsTextOf } from './notify.rules';

describe('SVC-7 channelsFor: the channels a message goes by', () => {
  const all = { email: true, mobile: true };

  it('SVC-7 the learner’s choice, when what it needs is known: email, SMS, or both (email first)', () => {
    assert.deepEqual(channelsFor('email', all), ['email']);
    assert.deepEqual(channelsFor('sms', all), ['sms']);
    assert.deepEqual(channelsFor('both', all), ['email', 'sms']);
  });

  it('SVC-7 SMS only where a mobile is known: SMS chosen without one falls back on email; both gives email alone', () => {
    const noMobile = { email: true, mobile: false };
    assert.deepEqual(channelsFor('sms', noMobile), ['email']);
    assert.deepEqual(channelsFor('both', noMobile), ['email']);
    assert.deepEqual(channelsFor('email', noMobile), ['email']);
  });

  it('SVC-7 an account without an email address (registered with a mobile only) is told by SMS whatever its choice', () => {
    const noEmail = { email: false, mobile: true };
    for (const choice of notifyChannels) assert.deepEqual(channelsFor(choice, noEmail), ['sms'], choice);
  });

  it('SVC-7 nobody is left untold when anything is known; nothing known gives no channel', () => {
    for (const choice of notifyChannels) {
      for (const known of [all, { email: true, mobile: false }, { email: false, mobile: true }]) assert.ok(channelsFor(choice, known).length > 0, `${choice} ${JSON.stringify(known)}`);
      assert.deepEqual(channelsFor(choice, { email: false, mobile: false }), []);
    }
  });

  it('SVC-7 a channel is never given twice, and never one that is not known', () => {
    for (const choice of notifyChannels)
      for (const email of [true, false])
        for (const mobile of [true, false]) {
          const channels = channelsFor(choice, { email, mobile });
          assert.equal(new Set(channels).size, channels.length);
          if (!email) assert.ok(!channels.includes('email'));
          if (!mobile) assert.ok(!channels.includes('sms'));
        }
  });
});

describe('SVC-7 mobileE164: the number SMS go to', () => {
  it('SVC-7 a French mobile as people type it, in E.164; a landline, a foreign mobile with its prefix, nothing or garbage', () => {
    assert.equal(mobileE164('06 12 34 56 78'), '+33612345678');
    assert.equal(mobileE164('+33 6 98 76 54 32'), '+33698765432');
    assert.equal(mobileE164('0033698765432'), '+33698765432');
    assert.equal(mobileE164('01 43 00 00 00'), null, 'a landline gets no SMS');
    assert.equal(mobileE164('+44 7911 123456'), '+447911123456');
    assert.equal(mobileE164(''), null);
    assert.equal(mobileE164(null), null);
    assert.equal(mobileE164('not a number'), null);
  });
});

describe('SVC-7 smsTextOf: the SMS of a message', () => {
  const t = translator('fr');
  it('SVC-7 a message’s own SMS text is sent as it is; otherwise sms.generic around the subject and the link', () => {
    assert.equal(smsTextOf(t, { subject: 'Objet', sms: 'Texte court', link: 'https://x.fr' }), 'Texte court');
    assert.equal(smsTextOf(t, { subject: 'Votre candidature est acceptée', link: 'https://x.fr/candidatures' }), 'Cours municipaux d’adultes : Votre candidature est acceptée. Détails dans votre espace : https://x.fr/candidatures');
  });

  it('SVC-7 a subject too long for 2 segments (a very long course title) is shortened, the link kept whole', () => {
    const link = 'https://inscriptions.cours-adultes.paris.fr/candidatures/0b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b';
    const subject = `Votre candidature est acceptée : ${'Anglais professionnel, communication écrite et orale '.repeat(5)}`;
    const text = smsTextOf(t, { subject, link });
    assert.ok(smsSegments(toGsm7(text)).segments <= 2, `${toGsm7(text).length} characters`);
    assert.ok(text.endsWith(link));
    assert.match(text, /^Cours municipaux d’adultes : Votre candidature est acceptée : Anglais professionnel.*\.\.\.\. Détails/);
  });
});
