import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createEvents, type EventAttributes } from 'ics';
import type { Db, DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { foldOctets } from '../../platform/ics';
import { translator, type Locale, type Translator } from '../../platform/i18n';
import { getUser } from '../accounts';
import { inGroup, listApplications } from '../applications';
import { getCourseSheet, sessionsForApplications, type SessionForApplication } from '../catalogue';
import { calendarFeeds } from './attendance.table';
import { meetingsOf, type MeetingRow } from './meetings.service';

export interface CalendarDeps {
  db: Db;
  clock: Clock;
  /** The site's address: the course sheet's link, the meetings' UIDs, the feed's URL. */
  baseUrl: string;
}

/** A calendar to send: its text and the file name it is downloaded as. */
export interface CalendarFile {
  ics: string;
  name: string;
}

/** A session as a calendar shows it: where, and which course sheet. */
interface CalendarSession {
  id: number;
  code: string;
  courseCode: string;
  title: string;
  schoolName: string;
  location: string;
  /** SVC-2: the service cancelled the whole session. */
  cancelled: boolean;
}

/** The token of a private feed: 32 random bytes, base64url (43 characters). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const sheetUrl = (baseUrl: string, s: Pick<CalendarSession, 'courseCode' | 'code'>) => `${baseUrl}/formations/${encodeURIComponent(s.courseCode)}#${encodeURIComponent(s.code)}`;

/**
 * The `.ics` text of these sessions' meetings: one event per meeting, cancelled ones marked so
 * (with the reason); every meeting of a session the service cancelled too (SVC-2). A change is
 * one SEQUENCE more on the same UID, so that calendars replace the event they hold.
 */
function calendarText(deps: CalendarDeps, t: Translator, calName: string, sessions: CalendarSession[], meetings: Map<number, MeetingRow[]>): string {
  const host = new URL(deps.baseUrl).host;
  const now = deps.clock.now().getTime();
  const events: EventAttributes[] = [];
  for (const session of sessions) {
    const url = sheetUrl(deps.baseUrl, session);
    for (const meeting of meetings.get(session.id) ?? []) {
      const meetingCancelled = meeting.cancelledAt !== null;
      const cancelled = meetingCancelled || session.cancelled;
      const description = [
        t('att.calendar.group', { code: session.code, school: session.schoolName }),
        ...(session.cancelled ? [t('att.calendar.sessionCancelled')] : []),
        ...(meetingCancelled ? [meeting.cancelReason ? t('att.calendar.cancelledReason', { reason: meeting.cancelReason }) : t('att.calendar.cancelled')] : []),
        t('att.calendar.sheet', { url }),
      ].join('\n');
      // `timestamp` (DTSTAMP) is read by the package but missing from its types: the clock's, not the system's.
      const event: EventAttributes & { timestamp: number } = {
        // Stable: the same meeting keeps its event in the learner's calendar, a cancellation updates it.
        uid: `seance-${meeting.id}@${host}`,
        start: meeting.startsAt.getTime(),
        startInputType: 'utc',
        startOutputType: 'utc',
        duration: { hours: Math.floor(meeting.plannedMinutes / 60), minutes: meeting.plannedMinutes % 60 },
        title: cancelled ? t('att.calendar.cancelledTitle', { title: session.title }) : session.title,
        description,
        location: session.location,
        url,
        status: cancelled ? 'CANCELLED' : 'CONFIRMED',
        // One version per change: the meeting cancelled, then its whole session.
        sequence: (meetingCancelled ? 1 : 0) + (session.cancelled ? 1 : 0),
        timestamp: now,
      };
      events.push(event);
    }
  }
  const made = createEvents(events, { productId: '-//Cursus//Calendrier des cours//FR', method: 'PUBLISH', calName });
  if (made.error || !made.value) throw made.error ?? new Error('ics: no calendar');
  return foldOctets(made.value);
}

/** The sessions with their school's address (the course sheet has it), in the order given. */
async function calendarSessions(deps: CalendarDeps, sessions: SessionForApplication[]): Promise<CalendarSession[]> {
  const addresses = new Map<string, string>();
  for (const courseCode of new Set(sessions.map((s) => s.courseCode))) {
    const sheet = await getCourseSheet(deps.db, deps.clock, courseCode);
    for (const s of sheet?.sessions ?? []) addresses.set(s.code, `${s.school.name}, ${s.school.address}, ${s.school.postalCode} ${s.school.city}`);
  }
  return sessions.map((s) => ({ id: s.id, code: s.code, courseCode: s.courseCode, title: s.title, schoolName: s.schoolName, location: addresses.get(s.code) ?? s.schoolName, cancelled: s.cancelledAt !== null }));
}

/**
 * CAT-8: the `.ics` file of one session of the catalogue (public): every meeting, with its Paris
 * start (written in UTC) and planned length, the course, the school's address, and the meetings
 * the service cancelled marked as such (all of them, for a session it cancelled). Null when the course has no such session (404).
 */
export async function sessionCalendar(deps: CalendarDeps, locale: Locale, courseCode: string, sessionCode: string): Promise<CalendarFile | null> {
  const [session] = await sessionsForApplications(deps.db, { codes: [sessionCode] });
  if (!session || session.courseCode !== courseCode) return null;
  const [shown] = await calendarSessions(deps, [session]);
  const meetings = await meetingsOf(deps.db, [session.id]);
  const t = translator(locale);
  return { ics: calendarText(deps, t, t('att.calendar.sessionName', { title: session.title, school: session.schoolName }), [shown], meetings), name: `seances-${session.code}.ics` };
}

/** CAT-8: the learner's private feed: when its current token was made (null: none yet). */
export async function feedOf(db: DbOrTx, learnerId: string): Promise<{ createdAt: Date } | null> {
  const [row] = await db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.learnerId, learnerId));
  return row ?? null;
}

/**
 * CAT-8: makes the learner's feed a new secret token (the first, or instead of the old one, whose
 * URL stops answering at once). Only its SHA-256 is kept: the URL is returned here, once (with
 * the page that shows it). Audited.
 */
export async function renewFeed(deps: CalendarDeps, learnerId: string): Promise<{ made: { url: string; replaced: boolean }; page: FeedPage }> {
  const token = randomBytes(32).toString('base64url');
  const createdAt = deps.clock.now();
  const replaced = await deps.db.transaction(async (tx) => {
    const [before] = await tx.select({ learnerId: calendarFeeds.learnerId }).from(calendarFeeds).where(eq(calendarFeeds.learnerId, learnerId)).for('update');
    await tx
      .insert(calendarFeeds)
      .values({ learnerId, tokenHash: hashToken(token), createdAt })
      .onConflictDoUpdate({ target: calendarFeeds.learnerId, set: { tokenHash: hashToken(token), createdAt } });
    await audit(tx, deps.clock, { action: before ? 'calendar.feed_renewed' : 'calendar.feed_created', actorId: learnerId, subjectId: learnerId });
    return Boolean(before);
  });
  return { made: { url: feedUrl(deps.baseUrl, token), replaced }, page: await feedPage(deps, learnerId) };
}

export const feedUrl = (baseUrl: string, token: string) => `${baseUrl}/calendrier/${token}.ics`;

/** The sessions where the learner holds a place (accepted, awaiting payment, enrolled), by first meeting. */
async function heldSessions(deps: CalendarDeps, learnerId: string): Promise<SessionForApplication[]> {
  const apps = await listApplications(deps.db, deps.clock, learnerId);
  return apps
    .filter((a) => inGroup('holdsPlace', a.status))
    .map((a) => a.session)
    .sort((a, b) => a.firstMeeting.localeCompare(b.firstMeeting) || a.code.localeCompare(b.code));
}

export interface FeedPage {
  feed: { createdAt: Date } | null;
  /** The sessions the feed holds now. */
  sessions: SessionForApplication[];
}

/** CAT-8: the learner's page of their feed: when its link was made, and the sessions it holds. */
export async function feedPage(deps: CalendarDeps, learnerId: string): Promise<FeedPage> {
  return { feed: await feedOf(deps.db, learnerId), sessions: await heldSessions(deps, learnerId) };
}

/**
 * CAT-8: the private feed at `/calendrier/<token>.ics`: the meetings of every session where the
 * learner holds a place, cancellations included, in the learner's language. Null for a token
 * that is not one (malformed, unknown, replaced) or an account no longer active (404).
 */
export async function learnerFeed(deps: CalendarDeps, token: string): Promise<CalendarFile | null> {
  if (!TOKEN.test(token)) return null;
  const [feed] = await deps.db.select({ learnerId: calendarFeeds.learnerId }).from(calendarFeeds).where(eq(calendarFeeds.tokenHash, hashToken(token)));
  if (!feed) return null;
  const user = await getUser(deps.db, feed.learnerId);
  if (!user || user.status !== 'active' || user.role !== 'learner') return null;
  const sessions = await heldSessions(deps, user.id);
  const [shown, meetings] = [await calendarSessions(deps, sessions), await meetingsOf(deps.db, sessions.map((s) => s.id))];
  const t = translator(user.locale);
  return { ics: calendarText(deps, t, t('att.calendar.feedName', { service: t('service.name') }), shown, meetings), name: 'mes-cours.ics' };
}
