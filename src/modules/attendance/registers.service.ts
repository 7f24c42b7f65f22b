import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { catalogueCode, type AttendanceMark, type Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { parisWallTime, type Clock } from '../../platform/clock';
import type { MessageKey, Params, Translator } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies } from '../../platform/policies';
import type { FieldError } from '../../ui/context';
import { fitSms, getUsers, learnerNames, smsDetails, tellLearner, type Reach } from '../accounts';
import { applicationIdsIn, applicationsByIds, applicationsOf, refusal, roleMay, type ApplicationStatus } from '../applications';
import { sessionExists, sessionsForApplications, sessionsInScope, type ScopedSession } from '../catalogue';
import { scopeOf } from '../scopes';
import { attendanceOf } from './attendance.service';
import { attendanceEntries, meetings, registerSubmissions } from './attendance.table';
import { registerSaved } from './hooks';
import { meetingOf, meetingsOf, unscheduledMeetings, type MeetingRow } from './meetings.service';
import { conflictsOf, entriesToWrite, mayCancelMeetings, meetingState, minutesInRange, registerRefusal, type CurrentEntry, type MeetingState } from './registers.rules';
import { missedField, type MarkInput } from './registers.schema';

/**
 * Meetings and registers (SPEC ATT-1): a session's meetings with their state, one meeting's
 * register, its save and the cancellation of a meeting by the service. Trainers, school heads
 * and administrators take registers (the lifecycle's `markAttendance`), in their scope; the
 * scope is checked here as well as by the routes: out of scope is `forbidden`, unknown
 * `not_found`. A save is one transaction under the meeting's row lock: two trainers or two tabs
 * saving one meeting are serialised; a form's token saves it once however often it is sent.
 */

export interface Staff {
  id: string;
  role: Role;
}
export interface RegisterDeps {
  db: DbOrTx;
  clock: Clock;
  /** The site's address, for the links of the messages to learners (SVC-2: a meeting cancelled). */
  baseUrl?: string;
}

export type RegisterFailure = {
  ok: false;
  code: 'not_found' | 'forbidden' | 'refused' | 'invalid' | 'conflict';
  message: MessageKey;
  params?: Params;
  /** For `invalid`: the message next to each field. */
  errors?: Record<string, FieldError>;
  /** For `conflict`: the learners marked by someone else since the form was drawn, not written (the others were). */
  conflicts?: RegisterConflict[];
  /** For `conflict`: the applications whose marks this submission did change. */
  changed?: string[];
};
/** ATT-1: a learner whose mark someone else saved after this form was drawn, with the mark now recorded. */
export interface RegisterConflict {
  applicationId: string;
  name: string;
  mark: AttendanceMark;
  minutesMissed: number;
  entryId: number;
  enteredByName: string;
  enteredAt: Date;
}
const failure = (code: RegisterFailure['code'], message: MessageKey, more: Partial<Pick<RegisterFailure, 'params' | 'errors' | 'conflicts' | 'changed'>> = {}): RegisterFailure => ({ ok: false, code, message, ...more });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

/** The session of this code in the staff member's scope; out of scope: forbidden; unknown: not found. */
async function sessionFor(db: DbOrTx, staff: Staff, code: string): Promise<ScopedSession | RegisterFailure> {
  if (!catalogueCode.test(code)) return notFound;
  const [session] = await sessionsInScope(db, await scopeOf(db, staff), { code });
  if (session) return session;
  return (await sessionExists(db, code)) ? forbidden : notFound;
}
/** 18:30, in Paris. */
const wallTime = (at: Date) => {
  const w = parisWallTime(at.getTime());
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};
const isFailure = (value: unknown): value is RegisterFailure => typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

const mayOpenMeetings = (role: Role) => roleMay(role, 'markAttendance') || mayCancelMeetings(role);
const staffName = (user: { displayName: string | null; email: string } | undefined) => (user ? (user.displayName ?? user.email) : '');

// ---- a session's meetings ----

export interface MeetingLine {
  meeting: MeetingRow;
  state: MeetingState;
  /** CAT-7: not cancelled, but the catalogue no longer computes it (a holiday added): the service cancels it. */
  unscheduled: boolean;
}
export interface MeetingsPage {
  session: ScopedSession;
  meetings: MeetingLine[];
  /** Held meetings whose register is missing. */
  missing: number;
  /** This person takes registers (the register's link) / cancels meetings (the form). */
  mayMark: boolean;
  mayCancel: boolean;
}

/**
 * ATT-1: the session's meetings (those CAT-7's dates gained written first), each with its state;
 * those the catalogue no longer computes are kept and marked `unscheduled`.
 */
export async function meetingsPage(deps: RegisterDeps, staff: Staff, sessionCode: string): Promise<MeetingsPage | RegisterFailure> {
  if (!mayOpenMeetings(staff.role)) return forbidden;
  const session = await sessionFor(deps.db, staff, sessionCode);
  if (isFailure(session)) return session;
  const rows = (await meetingsOf(deps.db, [session.id])).get(session.id) ?? [];
  const taken = rows.length
    ? new Set(
        (await deps.db.selectDistinct({ meetingId: registerSubmissions.meetingId }).from(registerSubmissions).where(inArray(registerSubmissions.meetingId, rows.map((r) => r.id)))).map(
          (r) => r.meetingId,
        ),
      )
    : new Set<number>();
  const unscheduled = await unscheduledMeetings(deps.db, session.id, rows);
  const now = deps.clock.now();
  const lines = rows.map((meeting) => ({ meeting, state: meetingState(meeting, now, taken.has(meeting.id)), unscheduled: unscheduled.has(meeting.id) }));
  return { session, meetings: lines, missing: lines.filter((l) => l.state === 'missing').length, mayMark: roleMay(staff.role, 'markAttendance'), mayCancel: mayCancelMeetings(staff.role) };
}

// ---- one meeting's register ----

export interface RegisterLearner {
  applicationId: string;
  learnerId: string;
  name: string;
  status: ApplicationStatus;
  /** The current mark (the latest entry: its id, the form's "seen"), who wrote it and when; null: not marked. */
  current: (CurrentEntry & { entryId: number; minutesAttended: number; enteredByName: string; enteredAt: Date }) | null;
  /** ATT-4: attendance so far and at most reachable, in percent (null before the first meeting). */
  soFarPercent: number | null;
  reachablePercent: number | null;
}
export interface RegisterPage {
  session: ScopedSession;
  meeting: MeetingRow;
  /** Why the register is not taken now (cancelled, not yet started), or null. */
  refusal: 'cancelled' | 'not_started' | null;
  learners: RegisterLearner[];
  lastSubmission: { name: string; at: Date } | null;
  graceMinutes: number;
}

/** The learners holding a place in the session (accepted, awaiting payment, enrolled), by name. */
async function holders(db: DbOrTx, sessionId: number) {
  const ids = await applicationIdsIn(db, { sessionIds: [sessionId], group: 'holdsPlace' });
  const apps = await applicationsByIds(db, ids);
  const names = await learnerNames(db, apps.map((a) => a.learnerId));
  const collator = new Intl.Collator('fr');
  return apps
    .map((a) => ({ applicationId: a.id, learnerId: a.learnerId, status: a.status, name: names.get(a.learnerId) ?? '' }))
    .sort((a, b) => collator.compare(a.name, b.name) || a.applicationId.localeCompare(b.applicationId));
}

/** The current entry of each learner marked in this meeting (the latest one). */
async function currentEntries(db: DbOrTx, meetingId: number) {
  const rows = await db
    .selectDistinctOn([attendanceEntries.applicationId], {
      id: attendanceEntries.id,
      applicationId: attendanceEntries.applicationId,
      mark: attendanceEntries.mark,
      minutesMissed: attendanceEntries.minutesMissed,
      minutesAttended: attendanceEntries.minutesAttended,
      enteredBy: attendanceEntries.enteredBy,
      enteredAt: attendanceEntries.enteredAt,
    })
    .from(attendanceEntries)
    .where(eq(attendanceEntries.meetingId, meetingId))
    .orderBy(attendanceEntries.applicationId, desc(attendanceEntries.id));
  return new Map(rows.map((r) => [r.applicationId, r]));
}

/** The meeting of this session in the staff member's scope, for the register's roles. */
async function meetingFor(db: DbOrTx, staff: Staff, sessionCode: string, meetingId: number): Promise<{ session: ScopedSession; meeting: MeetingRow } | RegisterFailure> {
  if (!roleMay(staff.role, 'markAttendance')) return forbidden;
  if (!Number.isSafeInteger(meetingId) || meetingId < 1 || meetingId > 2_147_483_647) return notFound;
  const session = await sessionFor(db, staff, sessionCode);
  if (isFailure(session)) return session;
  const meeting = await meetingOf(db, session.id, meetingId);
  return meeting ? { session, meeting } : notFound;
}

/**
 * ATT-1, ATT-4: one meeting's register: every learner holding a place, their current mark with
 * who wrote it and when, their attendance so far and at most reachable, and the last save.
 */
export async function registerPage(deps: RegisterDeps, staff: Staff, sessionCode: string, meetingId: number): Promise<RegisterPage | RegisterFailure> {
  const found = await meetingFor(deps.db, staff, sessionCode, meetingId);
  if (isFailure(found)) return found;
  const { session, meeting } = found;
  const now = deps.clock.now();
  const policies = await getPolicies(deps.db);
  const learners = await holders(deps.db, session.id);
  const entries = await currentEntries(deps.db, meeting.id);
  const attendance = await attendanceOf(deps.db, now, policies, learners.map((l) => ({ id: l.applicationId, sessionId: session.id })));
  const [last] = await deps.db.select().from(registerSubmissions).where(eq(registerSubmissions.meetingId, meeting.id)).orderBy(desc(registerSubmissions.submittedAt)).limit(1);
  const users = await getUsers(deps.db, [...new Set([...[...entries.values()].map((e) => e.enteredBy), ...(last ? [last.submittedBy] : [])])]);
  return {
    session,
    meeting,
    refusal: registerRefusal(meeting, now),
    learners: learners.map((l) => {
      const entry = entries.get(l.applicationId);
      const a = attendance.get(l.applicationId);
      return {
        ...l,
        current: entry ? { entryId: entry.id, mark: entry.mark, minutesMissed: entry.minutesMissed, minutesAttended: entry.minutesAttended, enteredByName: staffName(users.get(entry.enteredBy)), enteredAt: entry.enteredAt } : null,
        soFarPercent: a?.soFarPercent ?? null,
        reachablePercent: a?.reachablePercent ?? null,
      };
    }),
    lastSubmission: last ? { name: staffName(users.get(last.submittedBy)), at: last.submittedAt } : null,
    graceMinutes: policies.lateGraceMinutes,
  };
}

export interface SaveRegisterInput {
  sessionCode: string;
  meetingId: number;
  /** The form's token (a UUID made when the page was drawn). */
  token: string;
  marks: MarkInput[];
}

/**
 * ATT-1: saves a meeting's register, in one transaction under the meeting's row lock. A token
 * already used saves nothing and answers "saved" (a double click, a reload, the back button).
 * Refused: a meeting cancelled or not yet started, a learner who holds no place in the session
 * (the lifecycle's `markAttendance`: nothing is saved), minutes missed outside 0 to the meeting's
 * length (`invalid`, next to the field). Lost updates: each mark carries the id of the entry the
 * form showed (`seenEntryId`, 0: none); a learner whose current entry is another one (someone
 * saved since the form was drawn) and whose mark sent differs from it is not written: the answer
 * is `conflict`, with those learners and the mark now recorded, the other learners' changes being
 * saved. Writes a new entry only where the mark or the minutes differ from the current one (a
 * correction is a new entry, never an update), with the minutes attended by the policies; then
 * `registerSaved` with the applications whose marks changed, and an audit entry. Errors:
 * not_found, forbidden (role, scope), refused, invalid, conflict.
 */
export async function saveRegister(deps: RegisterDeps, staff: Staff, input: SaveRegisterInput): Promise<{ ok: true; saved: boolean; changed: string[] } | RegisterFailure> {
  const found = await meetingFor(deps.db, staff, input.sessionCode, input.meetingId);
  if (isFailure(found)) return found;
  if (!isUuid(input.token)) return failure('refused', 'att.register.error.token');
  const { session } = found;
  const ids = input.marks.map((m) => m.applicationId);
  if (ids.some((id) => !isUuid(id)) || new Set(ids).size !== ids.length) return failure('refused', 'att.register.error.notEnrolled');
  const [sessionFacts] = await sessionsForApplications(deps.db, { ids: [session.id] });
  const policies = await getPolicies(deps.db);
  return deps.db.transaction(async (tx) => {
    const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, found.meeting.id)).for('update');
    const [used] = await tx.select({ id: registerSubmissions.id }).from(registerSubmissions).where(eq(registerSubmissions.id, input.token));
    if (used) return { ok: true as const, saved: false, changed: [] };
    const now = deps.clock.now();
    const why = registerRefusal(meeting, now);
    if (why) return failure('refused', why === 'cancelled' ? 'att.register.error.cancelled' : 'att.register.error.notStarted');
    const apps = new Map((await applicationsByIds(tx, ids, { sessionIds: [session.id] })).map((a) => [a.id, a]));
    for (const mark of input.marks) {
      const app = apps.get(mark.applicationId);
      if (!app) return failure('refused', 'att.register.error.notEnrolled');
      const no = refusal('markAttendance', { status: app.status, period: sessionFacts.period }, { role: staff.role, now });
      if (no?.code === 'role') return forbidden;
      if (no) return failure('refused', no.code === 'status' ? 'att.register.error.notEnrolled' : no.message);
    }
    const errors: Record<string, FieldError> = {};
    for (const mark of input.marks)
      if ((mark.mark === 'late' || mark.mark === 'left_early') && !minutesInRange(mark.minutesMissed, meeting.plannedMinutes))
        errors[missedField(mark.applicationId)] = { message: 'att.register.error.missed', params: { max: meeting.plannedMinutes } };
    if (Object.keys(errors).length) return failure('invalid', 'att.register.error.missed', { errors, params: { max: meeting.plannedMinutes } });
    const [submission] = await tx.insert(registerSubmissions).values({ id: input.token, meetingId: meeting.id, submittedBy: staff.id, submittedAt: now }).onConflictDoNothing().returning();
    if (!submission) return { ok: true as const, saved: false, changed: [] };
    const current = await currentEntries(tx, meeting.id);
    const conflicting = conflictsOf(input.marks, current);
    const entries = entriesToWrite(
      input.marks.filter((m) => !conflicting.has(m.applicationId)),
      current,
      meeting.plannedMinutes,
      policies,
    );
    if (entries.length)
      await tx.insert(attendanceEntries).values(entries.map((e) => ({ ...e, meetingId: meeting.id, enteredBy: staff.id, enteredAt: now, submissionId: submission.id })));
    const changed = entries.map((e) => e.applicationId);
    if (changed.length) await registerSaved.emit(tx, { meetingId: meeting.id, sessionId: session.id, applicationIds: changed, actorId: staff.id, at: now });
    await audit(tx, deps.clock, {
      action: 'attendance.register_saved',
      actorId: staff.id,
      subjectId: submission.id,
      data: {
        sessionCode: session.code,
        meetingId: meeting.id,
        marks: input.marks.length,
        changed: entries.map((e) => ({ applicationId: e.applicationId, mark: e.mark, minutesMissed: e.minutesMissed })),
        ...(conflicting.size ? { conflicts: [...conflicting] } : {}),
      },
    });
    if (conflicting.size) {
      const names = new Map((await holders(tx, session.id)).map((h) => [h.applicationId, h.name]));
      const users = await getUsers(tx, [...new Set([...conflicting].map((id) => current.get(id)!.enteredBy))]);
      const conflicts = input.marks.flatMap((m) => {
        const entry = conflicting.has(m.applicationId) ? current.get(m.applicationId)! : null;
        if (!entry) return [];
        return [{ applicationId: m.applicationId, name: names.get(m.applicationId) ?? '', mark: entry.mark, minutesMissed: entry.minutesMissed, entryId: entry.id, enteredByName: staffName(users.get(entry.enteredBy)), enteredAt: entry.enteredAt }];
      });
      return failure('conflict', 'att.register.conflict', { conflicts, changed });
    }
    return { ok: true as const, saved: true, changed };
  });
}

/**
 * SVC-2, SVC-7: the SMS of a meeting cancelled: at most 2 segments (a long course title
 * shortened), "details by email" only to whom an email goes (else: in the account).
 */
export function meetingCancelledSms(t: Translator, reach: Reach, params: { title: string; date: string; time: string; link: string }): string {
  return fitSms((title) => t('sms.attendance.meetingCancelled', { ...params, title, details: smsDetails(t, reach, params.link) }), params.title);
}

/**
 * ATT-1: the service (school head, coordinator, administrator, in their scope) cancels a meeting,
 * with its reason: it no longer counts for anyone's attendance, its register is refused, and the
 * calendars say so; `registerSaved` is emitted, in the same transaction, for the learners who had
 * a mark in it (their streaks are read again). Audited. Errors: not_found, forbidden, refused (already cancelled), invalid
 * (the reason).
 */
export async function cancelMeeting(deps: RegisterDeps, staff: Staff, input: { sessionCode: string; meetingId: number; reason: string }): Promise<{ ok: true; meeting: MeetingRow } | RegisterFailure> {
  if (!mayCancelMeetings(staff.role)) return forbidden;
  const session = await sessionFor(deps.db, staff, input.sessionCode);
  if (isFailure(session)) return session;
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 500) return failure('invalid', 'att.meetings.error.reason', { errors: { reason: { message: 'att.meetings.error.reason' } } });
  if (!Number.isSafeInteger(input.meetingId) || input.meetingId < 1 || input.meetingId > 2_147_483_647) return failure('invalid', 'field.invalidChoice', { errors: { meeting: { message: 'field.invalidChoice' } } });
  return deps.db.transaction(async (tx) => {
    const [meeting] = await tx
      .select()
      .from(meetings)
      .where(and(eq(meetings.id, input.meetingId), eq(meetings.sessionId, session.id)))
      .for('update');
    if (!meeting) return failure('invalid', 'field.invalidChoice', { errors: { meeting: { message: 'field.invalidChoice' } } });
    if (meeting.cancelledAt) return failure('refused', 'att.meetings.error.alreadyCancelled');
    const now = deps.clock.now();
    const [cancelled] = await tx.update(meetings).set({ cancelledAt: now, cancelledBy: staff.id, cancelReason: reason }).where(eq(meetings.id, meeting.id)).returning();
    // ATT-2, ATT-5: the streaks of those marked in it are read again (the meeting no longer counts).
    const marked = [...(await currentEntries(tx, meeting.id)).keys()];
    if (marked.length) await registerSaved.emit(tx, { meetingId: meeting.id, sessionId: session.id, applicationIds: marked, actorId: staff.id, at: now });
    // SVC-2: the learners holding a place are told at once, by every channel known (an SMS too); no refund.
    const link = `${deps.baseUrl ?? ''}/candidatures`;
    let told = 0;
    for (const application of await applicationsOf(tx, { sessionId: session.id, group: 'holdsPlace' })) {
      const result = await tellLearner(tx, application.learnerId, {
        purpose: 'sms.attendance.meetingCancelled',
        urgent: true,
        compose: (t, reach) => {
          const params = { title: session.title, school: session.schoolName, date: t.date(meeting.startsAt, 'date'), time: wallTime(meeting.startsAt), reason, link };
          const sms = meetingCancelledSms(t, reach, params);
          return { subject: t('att.meetings.email.cancelled.subject', params), text: t('att.meetings.email.cancelled.body', params), sms, link };
        },
      });
      if (result.channels.length) told++;
    }
    await audit(tx, deps.clock, { action: 'attendance.meeting_cancelled', actorId: staff.id, data: { sessionCode: session.code, meetingId: meeting.id, startsAt: meeting.startsAt.toISOString(), reason, told } });
    return { ok: true as const, meeting: cancelled };
  });
}
