import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import './messages';
import { smsTextOf, type LearnerMessage } from './modules/accounts';
import { applicationMessage, emailKeys } from './modules/applications/applications.service';
import type { LearnerEmail } from './modules/applications';
import { warningMessage } from './modules/attendance/incidents.service';
import type { SessionForApplication } from './modules/catalogue';
import { issuedMessage } from './modules/certification/certification.service';
import { exemptionMessage, marksMessage } from './modules/certification/requests.service';
import { refundMessage, type Refund } from './modules/payments/refunds.service';
import { noticeMessage } from './modules/privacy/retention.service';
import { locales, translator } from './platform/i18n';
import { smsSegments, toGsm7 } from './platform/sms';

/**
 * SVC-7: every message `tellLearner` may send by SMS, composed as it is sent (its own text or
 * `sms.generic` around the email's subject), in both languages, with long real-world values:
 * written in the GSM 7-bit alphabet (queueSms) it must stay GSM-7 and take at most 2 segments.
 * (src/sms-messages.unit.test.ts checks each `sms.*` template alone; this checks what goes out.)
 */
const BASE = 'https://inscriptions.cours-adultes.paris.fr';
const ID = '0b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b';
const TITLE = 'Anglais professionnel : communication écrite et orale (niveau B1)';
const session = {
  title: TITLE,
  schoolName: 'École élémentaire Saint-Exupéry (Paris 11e)',
  slots: [
    { weekday: 1, startsAt: '18:30', endsAt: '20:30' },
    { weekday: 4, startsAt: '18:30', endsAt: '20:30' },
  ],
  period: { code: 'P2026', name: '2026-2027', priorityOpensAt: new Date(), applicationsOpenAt: new Date(), applicationsCloseAt: new Date(), answersFrom: '2026-06-15' },
} as unknown as SessionForApplication;
const meetings = [{ startsAt: new Date('2026-09-07T16:30:00Z') }, { startsAt: new Date('2026-09-10T16:30:00Z') }];
const extra = {
  deadline: new Date('2026-09-30T21:59:00Z'),
  due: '30 septembre 2026',
  amount: '1 234,56 €',
  date: '30 septembre 2026',
  reason: (t: ReturnType<typeof translator>) => t('apps.withdrawn.offerExpired'),
  link: `${BASE}/candidatures/${ID}/paiement`,
};
const refund = (status: 'granted' | 'refused') =>
  ({ id: ID, status, amountCents: 123_456, refundedOn: '2026-10-01', method: 'transfer', refundReference: 'VIR-2026-000123456', decisionNote: 'Pièce justificative illisible' }) as unknown as Refund;

const messages: [string, LearnerMessage][] = [
  ...(Object.keys(emailKeys) as LearnerEmail[]).map((what): [string, LearnerMessage] => [`apps ${what}`, applicationMessage(BASE, session, what, extra)]),
  ['attendance warning', warningMessage(BASE, session, meetings)],
  ['certificate of attendance', issuedMessage(BASE, session, 'attendance', ID)],
  ['certificate of skills', issuedMessage(BASE, session, 'skills', ID)],
  ['exemption granted', exemptionMessage(BASE, session, ID, { grant: true, reason: 'Diplôme de niveau supérieur présenté' })],
  ['marks answered', marksMessage(BASE, session, ID, 'Écrit : 14/20, oral : 15/20. '.repeat(40))],
  ['refund granted', refundMessage(BASE, { session, applicationId: ID, refund: refund('granted'), withdrawn: true })],
  ['refund refused', refundMessage(BASE, { session, applicationId: ID, refund: refund('refused'), withdrawn: false })],
  [
    'retention notice',
    noticeMessage({ baseUrl: BASE, now: new Date('2026-09-01T08:00:00Z'), noticeDays: 30, fresh: [{ source: { name: 'privacy.inactive-account', notice: true, due: async () => [], end: 'close' }, items: [{ userId: ID, what: 'privacy.retention.email.subject', dueAt: new Date('2026-10-01T08:00:00Z') }] }] }),
  ],
];

describe('SVC-7 the SMS of every learner message, as sent', () => {
  it('SVC-7 there is one for each lifecycle message, the warning, certificates, requests, refunds and notices', () => {
    assert.ok(messages.length >= Object.keys(emailKeys).length + 8);
  });

  it('SVC-7 each, in French and English, is GSM-7 once written for it and at most 2 segments, and says where to read more', (t) => {
    for (const [name, message] of messages) {
      for (const locale of locales) {
        const composed = message.compose(translator(locale), { email: true });
        const sent = toGsm7(smsTextOf(translator(locale), composed));
        const { encoding, segments } = smsSegments(sent);
        t.diagnostic(`${name} (${locale}): ${sent.length} characters, ${encoding}, ${segments} segment(s)`);
        assert.equal(encoding, 'GSM-7', `${name} (${locale}): ${[...sent].filter((c) => smsSegments(c).encoding === 'UCS-2').join(' ')} in ${sent}`);
        assert.ok(segments <= 2, `${name} (${locale}): ${segments} segments (${sent.length} characters): ${sent}`);
        if (!composed.sms) assert.ok(composed.link && sent.includes(composed.link), `${name} (${locale}) gives its link: ${sent}`);
        assert.ok(!/\{\w+\}/.test(sent), `${name} (${locale}): a placeholder left: ${sent}`);
      }
    }
  });

  it('SVC-7 the SMS never carries what only the email should: a marks answer or a refund note stays in the email', () => {
    for (const locale of locales) {
      const t = translator(locale);
      const marks = smsTextOf(t, marksMessage(BASE, session, ID, 'Écrit : 14/20').compose(t, { email: true }));
      assert.ok(!marks.includes('14/20'), marks);
      const refused = smsTextOf(t, refundMessage(BASE, { session, applicationId: ID, refund: refund('refused'), withdrawn: false }).compose(t, { email: true }));
      assert.ok(!refused.includes('illisible'), refused);
    }
  });

  it('SVC-7 SEL-3 the selection outcomes are held until the answer window, SMS and email alike; a convocation goes at once', () => {
    for (const what of ['accepted', 'waiting_list', 'refused'] as const) assert.ok(applicationMessage(BASE, session, what).notBefore, what);
    assert.equal(applicationMessage(BASE, session, 'convoked').notBefore, undefined);
  });
});
