import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translator } from '../../platform/i18n';
import { smsSegments } from '../../platform/sms';
import { defaultPolicies } from '../../platform/policies';
import { streaks, type MarkFact, type MeetingFact } from './attendance.rules';
import { mobileE164 } from '../accounts';
import { thresholdStreaks, warningSms } from './incidents.service';

const day = 86_400_000;
const start = new Date('2026-09-07T16:00:00Z');
const meetings: MeetingFact[] = Array.from({ length: 6 }, (_, i) => ({ id: i + 1, startsAt: new Date(start.getTime() + i * 7 * day), plannedMinutes: 120, cancelled: false }));
const now = new Date(start.getTime() + 60 * day);
const marks = (list: MarkFact['mark'][]): MarkFact[] => list.map((mark, i) => ({ meetingId: i + 1, mark, minutesAttended: mark === 'present' ? 120 : 0 }));

describe('absence incidents: thresholds and the warning’s texts (ATT-2, ATT-5)', () => {
  it('ATT-2 ATT-5 each incident follows its streak once the threshold is reached (2 from the start; 3 unjustified; more than 3 whatever the reason)', () => {
    const policies = { consecutiveAbsencesForRemoval: 3, absencesBeforeWarning: 2 };
    const of = (list: MarkFact['mark'][]) => {
      const t = thresholdStreaks(streaks(meetings, marks(list), now), policies);
      return { first: t.first_meetings?.startMeetingId ?? null, removable: t.removable?.count ?? null, excludable: t.excludable?.count ?? null };
    };
    assert.deepEqual(of(['absent']), { first: null, removable: null, excludable: null });
    assert.deepEqual(of(['absent', 'absent']), { first: 1, removable: null, excludable: null });
    assert.deepEqual(of(['present', 'absent', 'absent', 'absent']), { first: null, removable: 3, excludable: null });
    assert.deepEqual(of(['present', 'absent', 'justified', 'absent', 'absent']), { first: null, removable: 3, excludable: 4 });
    assert.deepEqual(of(['present', 'justified', 'justified', 'justified', 'absent']), { first: null, removable: null, excludable: 4 });
    assert.deepEqual(of(['absent', 'absent', 'present']), { first: null, removable: null, excludable: null });
  });

  it('ATT-5 the warning SMS is GSM-7 and at most 2 segments, even with the longest course title (200 characters) and three dates', () => {
    const long = 'Français langue étrangère – préparation au DELF B2, expression écrite et orale, compréhension, grammaire ; cours du soir pour adultes à l’École élémentaire Oberkampf, niveau intermédiaire avancé ç ê â'.padEnd(200, 'x').slice(0, 200);
    for (const locale of ['fr', 'en'] as const) {
      const t = translator(locale);
      const short = warningSms(t, { title: 'Anglais A2', meetings: meetings.slice(0, 2) });
      assert.deepEqual(smsSegments(short), { encoding: 'GSM-7', segments: 1 }, short);
      assert.ok(short.includes('07/09, 14/09'), short);
      const text = warningSms(t, { title: long, meetings: meetings.slice(0, 3) });
      const counted = smsSegments(text);
      assert.equal(counted.encoding, 'GSM-7', text);
      assert.ok(counted.segments <= 2, `${counted.segments} segments: ${text}`);
    }
  });

  it('ATT-5 the mobile from the record in E.164; none, or a number that does not parse, gives no SMS', () => {
    assert.equal(mobileE164('06 12 34 56 78'), '+33612345678');
    assert.equal(mobileE164('+33612345678'), '+33612345678');
    assert.equal(mobileE164('0033 6 12 34 56 78'), '+33612345678');
    assert.equal(mobileE164(null), null);
    assert.equal(mobileE164('12'), null);
  });

  it('the policies the thresholds read have their defaults (3 in a row, 2 from the start)', () => {
    assert.equal(defaultPolicies.consecutiveAbsencesForRemoval, 3);
    assert.equal(defaultPolicies.absencesBeforeWarning, 2);
  });
});
