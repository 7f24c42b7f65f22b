import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { catalogueCode, type IncidentKind, type IncidentStatus, type Role } from '../../domain/vocabulary';
import { audit, traceFileViewed } from '../../platform/audit';
import { type MessageKey, type Translator } from '../../platform/i18n';
import { enqueueJob, type JobHandlers } from '../../platform/jobs';
import { getPolicies, type Policies } from '../../platform/policies';
import { smsSegments, toGsm7 } from '../../platform/sms';
import { slotText } from '../../ui/format';
import { getUser, learnerNames, lockUser, notifySettings, tellLearner, type LearnerMessage } from '../accounts';
import { applicationById, applicationsByIds, applicationsOf, availableActions, inGroup, transition, type Action, type Application, type ApplicationDeps, type EventReason } from '../applications';
import { sessionExists, sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import { absenceState, type AbsenceState, type Streak, type Streaks } from './attendance.rules';
import { attendanceOf, type LearnerAttendance } from './attendance.service';
import { attendanceIncidents, incidentEvents } from './attendance.table';
import { registerSaved } from './hooks';
import { CONDUCT_REASON_MAX } from './incidents.schema';
import { meetingsOf, type MeetingRow } from './meetings.service';
import './incidents.messages';

/**
 * ATT-2, ATT-3, ATT-5: absences and their consequences. Each register saved (`registerSaved`, in
 * its transaction) updates the streaks of the learners whose marks changed: a threshold reached
 * raises an incident, once per streak (named by its first meeting), with its history; a learner
 * back (marked present) closes theirs. The warning of absences from the first meetings goes after
 * a cooling-off (a job), re-checked then, once per streak, by email and SMS. Staff act through the
 * lifecycle's rows (`transition`): removal by the service, exclusion by the trainer, release of
 * the place, exclusion for conduct. None is refunded.
 */

export type Incident = typeof attendanceIncidents.$inferSelect;
export type IncidentEvent = typeof incidentEvents.$inferSelect;
export type Staff = { id: string; role: Role };
export type IncidentDeps = ApplicationDeps;
export type IncidentFailure = { ok: false; code: 'not_found' | 'forbidden' | 'refused'; message: MessageKey };

export const incidentJobKinds = { warn: 'attendance.warn' } as const;
/** ATT-5: the cooling-off before the warning goes: a register corrected meanwhile (present) cancels it. */
export const WARNING_DELAY_MS = 30 * 60_000;

const failure = (code: IncidentFailure['code'], message: MessageKey): IncidentFailure => ({ ok: false, code, message });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

type IncidentPolicies = Pick<Policies, 'consecutiveAbsencesForRemoval' | 'absencesBeforeWarning'>;

/** The streak each kind of incident follows, when it has reached its threshold (else null). */
export function thresholdStreaks(s: Streaks, policies: IncidentPolicies): Record<IncidentKind, Streak | null> {
  return {
    first_meetings: s.fromStart.count >= policies.absencesBeforeWarning ? s.fromStart : null,
    removable: s.unjustified.count >= policies.consecutiveAbsencesForRemoval ? s.unjustified : null,
    excludable: s.any.count > policies.consecutiveAbsencesForRemoval ? s.any : null,
  };
}

async function addEvent(tx: DbOrTx, incidentId: string, at: Date, event: string, data: Record<string, unknown> = {}, actorId: string | null = null) {
  await tx.insert(incidentEvents).values({ incidentId, at, actorId, event, data });
}

async function eventsOf(db: DbOrTx, incidentIds: string[]): Promise<Map<string, IncidentEvent[]>> {
  const result = new Map<string, IncidentEvent[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return result;
  const rows = await db.select().from(incidentEvents).where(inArray(incidentEvents.incidentId, incidentIds)).orderBy(asc(incidentEvents.id));
  for (const row of rows) result.get(row.incidentId)!.push(row);
  return result;
}

const countOf = (e: IncidentEvent) => (typeof (e.data as { count?: unknown }).count === 'number' ? ((e.data as { count: number }).count) : 0);

/**
 * ATT-5: the warning of absences from the first meetings, if it went: the first 'warned' event of
 * any first_meetings incident of these (one application's). There is one such streak per
 * enrolment: a register filled in late that moves the streak's first meeting back raises a new
 * incident, but the learner was warned already (no second warning).
 */
function warningOf(incidents: readonly Incident[], events: Map<string, IncidentEvent[]>): IncidentEvent | null {
  const warned = incidents
    .filter((i) => i.kind === 'first_meetings')
    .flatMap((i) => (events.get(i.id) ?? []).filter((e) => e.event === 'warned'))
    .sort((a, b) => a.id - b.id);
  return warned[0] ?? null;
}

/**
 * ATT-5: the first-meetings streak's length when the warning went, counted in today's streak (null:
 * not warned): up to the latest meeting the warning named that is still in it, so that an earlier
 * register filled in late is not taken for an absence "since" the warning; the warning's count
 * when none of its meetings is left in the streak.
 */
function warnedCount(fromStart: Streak, warning: IncidentEvent | null): number | null {
  if (!warning) return null;
  const named = (warning.data as { meetingIds?: unknown }).meetingIds;
  const last = Array.isArray(named) ? Math.max(-1, ...named.map((id) => fromStart.meetingIds.indexOf(id as number))) : -1;
  return last >= 0 ? last + 1 : countOf(warning);
}

async function enqueueWarning(tx: DbOrTx, incidentId: string, at: Date) {
  await enqueueJob(tx, { kind: incidentJobKinds.warn, payload: { incidentId }, runAt: new Date(at.getTime() + WARNING_DELAY_MS) });
}

/**
 * ATT-2, ATT-5: follows the streaks of these applications at `at` (a register was saved): raises
 * the incidents of the thresholds reached (once per streak: the unique key decides under
 * concurrency), records how a streak grows, closes the incidents of a streak that ended (the
 * learner came back) and reopens one a correction brought back. In the caller's transaction.
 */
export async function followStreaks(tx: Tx, input: { applicationIds: string[]; at: Date; actorId: string | null }): Promise<void> {
  if (input.applicationIds.length === 0) return;
  const { at } = input;
  const policies = await getPolicies(tx);
  // The incidents locked first, then the applications read again: an action on the absences
  // (actOnAbsences, which locks them too) committed meanwhile is seen, never undone.
  const incidents = await tx
    .select()
    .from(attendanceIncidents)
    .where(inArray(attendanceIncidents.applicationId, input.applicationIds))
    .orderBy(asc(attendanceIncidents.id))
    .for('update');
  const apps = (await applicationsByIds(tx, input.applicationIds)).filter((a) => inGroup('holdsPlace', a.status));
  if (apps.length === 0) return;
  const attendance = await attendanceOf(tx, at, policies, apps);
  const events = await eventsOf(tx, incidents.map((i) => i.id));
  /** Only if it is still as read: a status changed meanwhile is not overwritten. */
  const setStatus = async (incident: Incident, values: { status: IncidentStatus; closedAt: Date | null }) => {
    const updated = await tx
      .update(attendanceIncidents)
      .set(values)
      .where(and(eq(attendanceIncidents.id, incident.id), eq(attendanceIncidents.status, incident.status)))
      .returning({ id: attendanceIncidents.id });
    return updated.length > 0;
  };
  for (const application of apps) {
    const current = thresholdStreaks(attendance.get(application.id)!.streaks, policies);
    const own = incidents.filter((i) => i.applicationId === application.id);
    const warned = warningOf(own, events) !== null;
    for (const incident of own) {
      const streak = current[incident.kind];
      const same = streak !== null && streak.startMeetingId === incident.streakStartMeetingId;
      const history = events.get(incident.id)!;
      if (incident.status === 'open' && !same) {
        if (!(await setStatus(incident, { status: 'closed', closedAt: at }))) continue;
        await addEvent(tx, incident.id, at, 'closed', {}, input.actorId);
      } else if (incident.status === 'closed' && same) {
        if (!(await setStatus(incident, { status: 'open', closedAt: null }))) continue;
        await addEvent(tx, incident.id, at, 'reopened', { count: streak.count, meetingIds: streak.meetingIds }, input.actorId);
        if (incident.kind === 'first_meetings' && !warned) await enqueueWarning(tx, incident.id, at);
      } else if (incident.status === 'open' && same && streak.count > Math.max(0, ...history.map(countOf))) {
        await addEvent(tx, incident.id, at, 'grew', { count: streak.count, meetingIds: streak.meetingIds }, input.actorId);
      }
    }
    for (const [kind, streak] of Object.entries(current) as [IncidentKind, Streak | null][]) {
      if (!streak || streak.startMeetingId === null) continue;
      if (own.some((i) => i.kind === kind && i.streakStartMeetingId === streak.startMeetingId)) continue;
      const [raised] = await tx
        .insert(attendanceIncidents)
        .values({ applicationId: application.id, sessionId: application.sessionId, kind, streakStartMeetingId: streak.startMeetingId, raisedAt: at })
        .onConflictDoNothing()
        .returning({ id: attendanceIncidents.id });
      if (!raised) continue;
      await addEvent(tx, raised.id, at, 'raised', { count: streak.count, meetingIds: streak.meetingIds }, input.actorId);
      if (kind === 'first_meetings' && !warned) await enqueueWarning(tx, raised.id, at);
    }
  }
}

registerSaved.subscribe((tx, event) => followStreaks(tx, { applicationIds: event.applicationIds, at: event.at, actorId: event.actorId }));

// ---- ATT-5: the warning ----------------------------------------------------------------------

const shortDates = new Map<string, Intl.DateTimeFormat>();
/** A meeting's day as an SMS gives it: 08/09. */
const shortDate = (t: Translator, d: Date) => {
  let format = shortDates.get(t.locale);
  if (!format) shortDates.set(t.locale, (format = new Intl.DateTimeFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { day: '2-digit', month: '2-digit', timeZone: 'Europe/Paris' })));
  return format.format(d);
};

/** The meetings' days, oldest first, as an email gives them. */
export const datesText = (t: Translator, meetings: readonly Pick<MeetingRow, 'startsAt'>[]) => meetings.map((m) => t.date(m.startsAt, 'date')).join(', ');

/**
 * ATT-5: the warning's SMS, in the GSM 7-bit alphabet and at most two segments: a course title
 * too long for that is shortened (the email has it whole).
 */
export function warningSms(t: Translator, input: { title: string; meetings: readonly Pick<MeetingRow, 'startsAt'>[] }): string {
  const dates = input.meetings.map((m) => shortDate(t, m.startsAt)).join(', ');
  let title = input.title;
  let text = toGsm7(t('sms.attendance.warning', { dates, title }));
  while (smsSegments(text).segments > 2 && title.length > 10) {
    title = `${[...title].slice(0, Math.max(10, [...title].length - 10)).join('').trimEnd()}...`.replace(/\.{3}\.{3}$/, '...');
    text = toGsm7(t('sms.attendance.warning', { dates, title }));
  }
  return text;
}


/** ATT-5: the warning, as `tellLearner` sends it: the email, and the SMS's own short text (`warningSms`). */
export function warningMessage(baseUrl: string, session: Pick<SessionForApplication, 'title' | 'schoolName' | 'slots'>, absences: readonly Pick<MeetingRow, 'startsAt'>[]): LearnerMessage {
  return {
    purpose: 'sms.attendance.warning',
    // ATT-5: "warned by email and SMS": the place is at stake, so the warning goes by every known
    // channel whatever the learner chose (like SVC-2's cancellations).
    urgent: true,
    compose: (t) => {
      const params = {
        title: session.title,
        school: session.schoolName,
        slots: session.slots.map((s) => slotText(t, s)).join(' ; '),
        dates: datesText(t, absences),
        link: `${baseUrl}/candidatures`,
      };
      return { subject: t('att.warning.subject', params), text: t('att.warning.body', params), sms: warningSms(t, { title: session.title, meetings: absences }), link: params.link };
    },
  };
}

/**
 * ATT-5: the cooling-off is over: if the incident is still open, its learner still holds a place
 * and is still absent from the first meetings of this streak, the warning goes once, in their
 * language, by the channels they chose (SVC-7: email, SMS to the record's mobile, or both; no
 * mobile known: email, noted). Otherwise nothing is
 * sent (a correction to present closes the incident). Once per enrolment: the locks of the
 * application's first_meetings incidents and their 'warned' events make a job run twice, or a
 * second incident raised by a register filled in late, send nothing more.
 */
export async function sendWarning(deps: IncidentDeps, incidentId: string): Promise<boolean> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const [found] = await tx.select().from(attendanceIncidents).where(eq(attendanceIncidents.id, incidentId));
    if (!found || found.kind !== 'first_meetings') return false;
    // Every first_meetings incident of the application locked: one warning per enrolment, even with two jobs at once.
    const siblings = await tx
      .select()
      .from(attendanceIncidents)
      .where(and(eq(attendanceIncidents.applicationId, found.applicationId), eq(attendanceIncidents.kind, 'first_meetings')))
      .orderBy(asc(attendanceIncidents.id))
      .for('update');
    const incident = siblings.find((i) => i.id === found.id);
    if (!incident || incident.status !== 'open') return false;
    if (warningOf(siblings, await eventsOf(tx, siblings.map((i) => i.id))) !== null) return false;
    const now = clock.now();
    const application = await applicationById(tx, incident.applicationId);
    if (!application || !inGroup('holdsPlace', application.status)) {
      await tx.update(attendanceIncidents).set({ status: 'closed', closedAt: now }).where(eq(attendanceIncidents.id, incident.id));
      await addEvent(tx, incident.id, now, 'ended');
      return false;
    }
    const policies = await getPolicies(tx);
    const streak = (await attendanceOf(tx, now, policies, [application])).get(application.id)!.streaks.fromStart;
    if (streak.startMeetingId !== incident.streakStartMeetingId || streak.count < policies.absencesBeforeWarning) {
      await tx.update(attendanceIncidents).set({ status: 'closed', closedAt: now }).where(eq(attendanceIncidents.id, incident.id));
      await addEvent(tx, incident.id, now, 'closed');
      return false;
    }
    // One after the other: a transaction is one connection.
    const user = await getUser(tx, application.learnerId);
    const [session] = await sessionsForApplications(tx, { ids: [application.sessionId] });
    const sessionMeetings = await meetingsOf(tx, [application.sessionId]);
    const ids = new Set(streak.meetingIds);
    const absences = (sessionMeetings.get(application.sessionId) ?? []).filter((m) => ids.has(m.id));
    // SVC-7: by the channels the learner chose (email by default); the SMS is the warning's own text.
    const told = user ? await tellLearner(tx, user.id, warningMessage(deps.baseUrl, session, absences)) : { channels: [] };
    const channels: string[] = told.channels;
    const mobile = user ? (await notifySettings(tx, user.id))?.mobile : null;
    await addEvent(tx, incident.id, now, 'warned', { count: streak.count, meetingIds: streak.meetingIds, channels, ...(mobile ? {} : { noMobile: true }) });
    return true;
  });
}

/** The background work of attendance, for the worker. */
export function attendanceJobs(deps: IncidentDeps): JobHandlers {
  return {
    [incidentJobKinds.warn]: async (payload) => {
      if (typeof payload.incidentId === 'string') await sendWarning(deps, payload.incidentId);
    },
  };
}

// ---- the staff page --------------------------------------------------------------------------

/** The actions of the page, each a row of the lifecycle's table. */
export const absenceActions = ['removeForAbsences', 'excludeForAbsences', 'releaseAbsent', 'excludeForConduct'] as const satisfies readonly Action[];
export type AbsenceAction = (typeof absenceActions)[number];

/** Who sees a session's attendance page: whoever may keep its register or act on its absences. */
export const attendanceViewers: Role[] = ['trainer', 'school_head', 'coordinator', 'admin'];

/** The session of this code in the staff member's scope; else why not (403 outside it, 404 unknown: docs/decisions/008). */
async function sessionInScope(db: DbOrTx, staff: Staff, code: string): Promise<SessionForApplication | IncidentFailure> {
  if (!catalogueCode.test(code)) return notFound;
  const [scoped] = await sessionsInScope(db, await scopeOf(db, staff), { code });
  if (!scoped) return (await sessionExists(db, code)) ? forbidden : notFound;
  const [session] = await sessionsForApplications(db, { ids: [scoped.id] });
  return session ?? notFound;
}

export interface IncidentView {
  incident: Incident;
  events: IncidentEvent[];
}

export interface LearnerAbsences {
  application: Application;
  name: string;
  attendance: LearnerAttendance;
  state: AbsenceState;
  /** Open incidents, with their history. */
  incidents: IncidentView[];
  /** What this staff member may do now (the lifecycle's table). */
  actions: AbsenceAction[];
}

/** What the lifecycle's guards are given of a learner's absences, with what the emails say of them. */
function absenceFacts(streaks: Streaks, policies: Policies, incidents: readonly Incident[], events: Map<string, IncidentEvent[]>) {
  return absenceState(streaks, policies, warnedCount(streaks.fromStart, warningOf(incidents, events)));
}

/**
 * ATT-2, ATT-5 (and ATT-4's "so far"): a session's attendance page for staff in scope: each
 * learner holding a place with their attendance so far and at most reachable, their current
 * streaks, their open incidents and history, and the actions the lifecycle allows this person.
 */
export async function sessionAbsences(deps: IncidentDeps, staff: Staff, code: string): Promise<{ ok: true; session: SessionForApplication; rows: LearnerAbsences[] } | IncidentFailure> {
  if (!attendanceViewers.includes(staff.role)) return forbidden;
  const { db, clock } = deps;
  const session = await sessionInScope(db, staff, code);
  if ('ok' in session) return session;
  const apps = await applicationsOf(db, { sessionId: session.id, group: 'holdsPlace' });
  const now = clock.now();
  const policies = await getPolicies(db);
  const [attendance, names] = [await attendanceOf(db, now, policies, apps), await learnerNames(db, [...new Set(apps.map((a) => a.learnerId))])];
  const incidents = apps.length ? await db.select().from(attendanceIncidents).where(inArray(attendanceIncidents.applicationId, apps.map((a) => a.id))).orderBy(asc(attendanceIncidents.raisedAt)) : [];
  const events = await eventsOf(db, incidents.map((i) => i.id));
  const rows = apps.map((application): LearnerAbsences => {
    const own = incidents.filter((i) => i.applicationId === application.id);
    const learner = attendance.get(application.id)!;
    const state = absenceFacts(learner.streaks, policies, own, events);
    const allowed = availableActions({ status: application.status, period: session.period, absences: state }, { role: staff.role, now });
    return {
      application,
      name: names.get(application.learnerId) ?? '',
      attendance: learner,
      state,
      incidents: own.filter((i) => i.status === 'open').map((incident) => ({ incident, events: events.get(incident.id)! })),
      actions: absenceActions.filter((a) => allowed.has(a)),
    };
  });
  rows.sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.application.id.localeCompare(b.application.id));
  return { ok: true, session, rows };
}

/** One learner of the page (the conduct form's), in scope. */
export async function learnerAbsences(deps: IncidentDeps, staff: Staff, code: string, applicationId: string): Promise<{ ok: true; session: SessionForApplication; row: LearnerAbsences } | IncidentFailure> {
  const page = await sessionAbsences(deps, staff, code);
  if (!page.ok) return page;
  const row = page.rows.find((r) => r.application.id === applicationId);
  if (!row) return notFound;
  await traceFileViewed(deps.db, deps.clock, { staffId: staff.id, learnerId: row.application.learnerId, page: 'attendance' }); // ACC-11: one learner's absences
  return { ok: true, session: page.session, row };
}

/** The incident each action answers (conduct answers none). */
const incidentOfAction: Record<AbsenceAction, IncidentKind | null> = {
  removeForAbsences: 'removable',
  excludeForAbsences: 'excludable',
  releaseAbsent: 'first_meetings',
  excludeForConduct: null,
};
/** The application event's reason (the applications module's `apps.reason.*`). */
const eventReasons: Record<AbsenceAction, EventReason> = {
  removeForAbsences: 'absences',
  excludeForAbsences: 'excluded_absences',
  releaseAbsent: 'absent_from_start',
  excludeForConduct: 'conduct',
};

/**
 * ATT-2, ATT-3, ATT-5: one action of the page on a learner of a session in scope, through the
 * lifecycle's row (`transition`: the guard on the absences, the status, the event, the email, the
 * place released to the waiting list), audited, the incident it answers marked 'acted' and the
 * learner's other open incidents closed. Under the learner's lock then the application's, with
 * the facts read again there: a second removal (two clicks, two staff) is refused, nothing
 * written. No refund is created.
 */
export async function actOnAbsences(
  deps: IncidentDeps,
  staff: Staff,
  input: { sessionCode: string; applicationId: string; action: AbsenceAction; reason?: string },
): Promise<{ ok: true } | IncidentFailure> {
  const { db, clock } = deps;
  const session = await sessionInScope(db, staff, input.sessionCode);
  if ('ok' in session) return session;
  const found = await applicationById(db, input.applicationId);
  if (!found || found.sessionId !== session.id || !inGroup('validated', found.status)) return notFound;
  const reason = input.reason?.trim() ?? '';
  if (input.action === 'excludeForConduct' && reason.length === 0) return failure('refused', 'field.required');
  if (input.action === 'excludeForConduct' && reason.length > CONDUCT_REASON_MAX) return failure('refused', 'field.tooLong');
  return db.transaction(async (tx) => {
    await lockUser(tx, found.learnerId);
    const application = await applicationById(tx, found.id, { lock: true });
    if (!application || application.sessionId !== session.id) return notFound;
    if (!inGroup('holdsPlace', application.status)) return failure('refused', 'att.incidents.error.alreadyClosed');
    const now = clock.now();
    const policies = await getPolicies(tx);
    const streaks = (await attendanceOf(tx, now, policies, [application])).get(application.id)!.streaks;
    const incidents = await tx.select().from(attendanceIncidents).where(eq(attendanceIncidents.applicationId, application.id)).for('update');
    const events = await eventsOf(tx, incidents.map((i) => i.id));
    const state = absenceFacts(streaks, policies, incidents, events);
    const streak = input.action === 'removeForAbsences' ? streaks.unjustified : input.action === 'excludeForAbsences' ? streaks.any : streaks.fromStart;
    const ids = new Set(streak.meetingIds);
    const absences = ((await meetingsOf(tx, [session.id])).get(session.id) ?? []).filter((m) => ids.has(m.id));
    const count = input.action === 'excludeForAbsences' ? policies.consecutiveAbsencesForRemoval : streak.count;
    const done = await transition(tx, deps, {
      application,
      action: input.action,
      actor: staff,
      session,
      facts: { absences: { removable: state.removable, excludable: state.excludable, releasable: state.releasable } },
      reason: eventReasons[input.action],
      extra: { count: String(count), dates: (t: Translator) => datesText(t, absences), reason },
    });
    if (!done.ok) return failure(done.code === 'role' ? 'forbidden' : 'refused', done.message);
    await audit(tx, clock, {
      action: `attendance.${input.action}`,
      actorId: staff.id,
      subjectId: application.id,
      data: { session: session.code, ...(input.action === 'excludeForConduct' ? { reason } : { count: streak.count, meetingIds: streak.meetingIds }) },
    });
    const kind = incidentOfAction[input.action];
    for (const incident of incidents) {
      if (incident.status !== 'open') continue;
      const answered = kind !== null && incident.kind === kind && incident.streakStartMeetingId === streak.startMeetingId;
      await tx
        .update(attendanceIncidents)
        .set({ status: answered ? 'acted' : 'closed', closedAt: now })
        .where(eq(attendanceIncidents.id, incident.id));
      await addEvent(tx, incident.id, now, answered ? 'acted' : 'ended', { action: input.action }, staff.id);
    }
    return { ok: true as const };
  });
}
