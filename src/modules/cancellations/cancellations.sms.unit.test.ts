import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../messages';
import { smsTextOf } from '../accounts';
import { meetingCancelledSms } from '../attendance/registers.service';
import type { SessionForApplication } from '../catalogue';
import { locales, translator } from '../../platform/i18n';
import { smsSegments, toGsm7 } from '../../platform/sms';
import type { CancellationMoney } from '../payments';
import { composeCancelled, composeRemote } from './cancellations.service';

/**
 * SVC-2, SVC-7: the cancellations' SMS as they are sent (the session cancelled, moved to remote,
 * a meeting cancelled): at most 2 segments whatever the title's length (shortened, "..."), and
 * "details by email" only to a learner who gets the email too.
 */
const BASE = 'https://inscriptions.cours-adultes.paris.fr';
const LONG = `Anglais professionnel : ${'communication écrite et orale en entreprise, '.repeat(4)}(niveau B1)`;
const sessionOf = (title: string) =>
  ({ title, schoolName: 'École élémentaire Saint-Exupéry (Paris 11e)', slots: [{ weekday: 1, startsAt: '18:30', endsAt: '20:30' }] }) as unknown as SessionForApplication;
const paid = { applicationId: 'a', refundedCents: 15_000, dueCancelled: false } as unknown as CancellationMoney;

const smsOf = (locale: (typeof locales)[number], email: boolean, title: string) => {
  const t = translator(locale);
  const reach = { email };
  return {
    cancelled: smsTextOf(t, composeCancelled(t, reach, { baseUrl: BASE }, sessionOf(title), 'Trop peu d’inscrits.', paid)),
    remote: smsTextOf(t, composeRemote(t, reach, { baseUrl: BASE }, sessionOf(title), 'Travaux.')),
    meeting: meetingCancelledSms(t, reach, { title, date: '12/10/2026', time: '18:30', link: `${BASE}/candidatures` }),
  };
};

describe('SVC-2 SVC-7 the cancellations’ SMS', () => {
  it('SVC-2 SVC-7 a long course title is shortened so that each SMS takes at most 2 segments (GSM-7), its link kept whole', () => {
    for (const locale of locales)
      for (const email of [true, false])
        for (const [name, text] of Object.entries(smsOf(locale, email, LONG))) {
          const sent = toGsm7(text);
          const { encoding, segments } = smsSegments(sent);
          assert.equal(encoding, 'GSM-7', `${name} ${locale}: ${sent}`);
          assert.ok(segments <= 2, `${name} ${locale}: ${segments} segments: ${sent}`);
          assert.ok(sent.includes('Anglais professionnel'), `${name} ${locale}: the title's start is kept: ${sent}`);
          assert.ok(sent.includes('...'), `${name} ${locale}: shortened with an ellipsis: ${sent}`);
          assert.ok(sent.endsWith(`${BASE}/candidatures`), `${name} ${locale}: ${sent}`);
          assert.ok(!/\{\w+\}/.test(sent), `${name} ${locale}: a placeholder left: ${sent}`);
        }
  });

  it('SVC-2 SVC-7 a short title is sent whole', () => {
    for (const text of Object.values(smsOf('fr', true, 'Anglais A1'))) assert.ok(text.includes('"Anglais A1"') && !text.includes('...'), text);
  });

  it('SVC-2 SVC-7 "details by email" only to a learner the email goes to; a mobile-only learner is pointed to their account', () => {
    for (const text of Object.values(smsOf('fr', true, 'Anglais A1'))) assert.match(text, /Détails par courriel et dans votre espace : https:/);
    for (const text of Object.values(smsOf('en', true, 'Anglais A1'))) assert.match(text, /Details by email and in your account: https:/);
    for (const text of Object.values(smsOf('fr', false, 'Anglais A1'))) {
      assert.doesNotMatch(text, /courriel/);
      assert.match(text, /Détails dans votre espace : https:/);
    }
    for (const text of Object.values(smsOf('en', false, 'Anglais A1'))) {
      assert.doesNotMatch(text, /email/);
      assert.match(text, /Details in your account: https:/);
    }
  });
});
