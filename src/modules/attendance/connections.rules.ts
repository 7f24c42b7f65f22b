import type { Mode } from '../../domain/vocabulary';
import type { MessageKey, Params } from '../../platform/i18n';

/**
 * Issue 18, remote attendance: the pure rules of a connection-hours file (docs/attendance-import.md):
 * its columns, a line's checks, the overlaps within the file and with the connections already
 * imported, what a correction supersedes. No I/O: the service gives the facts it read.
 */

export const connectionColumns = ['email', 'session', 'start', 'end'] as const;
export type ConnectionColumn = (typeof connectionColumns)[number];

/** A file at most this many lines of data (a semester of daily connections for a large group). */
export const MAX_CONNECTION_LINES = 20_000;
/** One connection lasts at most a day: longer, the platform left a session open. */
export const MAX_CONNECTION_MINUTES = 1_440;

export interface LineProblem {
  /** The line in the file (1 is the header; 0: the file as a whole). */
  line: number;
  column?: ConnectionColumn;
  message: MessageKey;
  params?: Params;
}

/** ISO 8601 with its offset (Z or ±hh:mm), to the minute at least: 2026-10-20T18:30:00+02:00. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** The instant of an ISO 8601 timestamp with an offset, or null (no offset, a day or an hour that does not exist). */
export function parseTimestamp(value: string): Date | null {
  const m = ISO.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', , oh = '0', om = '0'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || Number(oh) > 14 || Number(om) > 59) return null;
  // The day exists in that month (Date.UTC would roll 30 February over to March).
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** A session as the checks need it. */
export interface SessionFacts {
  id: number;
  mode: Mode;
  /** The session's first and last instants: its first day's midnight and the day after its last (Paris). */
  from: Date;
  until: Date;
  /** The person importing may take its attendance (their scope). */
  inScope: boolean;
}

export interface ConnectionLine {
  line: number;
  email: string;
  session: string;
  start: string;
  end: string;
}

export interface CheckedConnection {
  line: number;
  applicationId: string;
  sessionId: number;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
}

/** A current connection already imported, as the overlap check needs it. */
export interface ExistingConnection {
  applicationId: string;
  startsAt: Date;
  endsAt: Date;
}

export interface LineFacts {
  sessions: ReadonlyMap<string, SessionFacts>;
  /** The enrolment (application id) of an address in a session: `${sessionId} ${email}`. */
  enrolments: ReadonlyMap<string, string>;
  /** Addresses of learners that exist (to tell "unknown" from "not enrolled"). */
  knownEmails: ReadonlySet<string>;
}

export const normaliseEmail = (value: string) => value.trim().toLowerCase();
export const enrolmentKey = (sessionId: number, email: string) => `${sessionId} ${normaliseEmail(email)}`;

/** One line's own checks (its columns, its learner, its session, its dates). */
export function checkConnectionLine(l: ConnectionLine, facts: LineFacts): { ok: true; row: CheckedConnection } | { ok: false; problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const at = (column: ConnectionColumn, message: MessageKey, params?: Params) => problems.push({ line: l.line, column, message, ...(params ? { params } : {}) });
  const email = normaliseEmail(l.email);
  if (email === '') at('email', 'att.conn.err.required');
  const session = facts.sessions.get(l.session);
  if (l.session === '') at('session', 'att.conn.err.required');
  else if (!session) at('session', 'att.conn.err.unknownSession', { code: l.session.slice(0, 60) });
  else if (!session.inScope) at('session', 'att.conn.err.outOfScope', { code: l.session });
  else if (session.mode === 'in_person') at('session', 'att.conn.err.notRemote', { code: l.session });
  const startsAt = l.start === '' ? null : parseTimestamp(l.start);
  const endsAt = l.end === '' ? null : parseTimestamp(l.end);
  if (l.start === '') at('start', 'att.conn.err.required');
  else if (!startsAt) at('start', 'att.conn.err.timestamp');
  if (l.end === '') at('end', 'att.conn.err.required');
  else if (!endsAt) at('end', 'att.conn.err.timestamp');
  let applicationId: string | undefined;
  if (email !== '' && session?.inScope && session.mode !== 'in_person') {
    applicationId = facts.enrolments.get(enrolmentKey(session.id, email));
    if (!applicationId) at('email', facts.knownEmails.has(email) ? 'att.conn.err.notEnrolled' : 'att.conn.err.unknownLearner', { code: l.session });
  }
  if (startsAt && endsAt) {
    const minutes = Math.floor((endsAt.getTime() - startsAt.getTime()) / 60_000);
    if (endsAt <= startsAt) at('end', 'att.conn.err.endBeforeStart');
    else if (minutes > MAX_CONNECTION_MINUTES) at('end', 'att.conn.err.tooLong', { max: MAX_CONNECTION_MINUTES / 60 });
    else if (session && (startsAt < session.from || endsAt > session.until)) at('start', 'att.conn.err.outsideSession', { code: l.session });
    if (problems.length === 0 && applicationId && session) return { ok: true, row: { line: l.line, applicationId, sessionId: session.id, startsAt, endsAt, minutes } };
  }
  return { ok: false, problems };
}

const overlaps = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;
const same = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) => a.startsAt.getTime() === b.startsAt.getTime() && a.endsAt.getTime() === b.endsAt.getTime();

export interface ConnectionPlan {
  /** Lines to write. */
  add: CheckedConnection[];
  /** Lines already imported as they are (a file sent again): nothing written. */
  unchanged: CheckedConnection[];
  /** Enrolments whose current connections a correction supersedes (all of them, then its lines are written). */
  supersede: string[];
}

/**
 * What a checked file does, or the lines it refuses. Within the file, two periods of one
 * enrolment that overlap are refused (the later line names the first). An import adds: a line
 * the same as a connection already imported (same start and end) is unchanged, one that
 * overlaps another is refused (a correction is a `replace` import). A correction (`replace`)
 * replaces, for each enrolment it names, every current connection by its lines; an enrolment
 * whose lines are exactly what is recorded is left as it is.
 */
export function planConnections(rows: readonly CheckedConnection[], existing: readonly ExistingConnection[], replace: boolean): { ok: true; plan: ConnectionPlan } | { ok: false; problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const byEnrolment = new Map<string, CheckedConnection[]>();
  for (const row of [...rows].sort((a, b) => a.line - b.line)) {
    const before = byEnrolment.get(row.applicationId) ?? [];
    const clash = before.find((b) => overlaps(b, row));
    if (clash) problems.push({ line: row.line, column: 'start', message: 'att.conn.err.overlapInFile', params: { line: clash.line } });
    before.push(row);
    byEnrolment.set(row.applicationId, before);
  }
  const recorded = new Map<string, ExistingConnection[]>();
  for (const e of existing) recorded.set(e.applicationId, [...(recorded.get(e.applicationId) ?? []), e]);
  const plan: ConnectionPlan = { add: [], unchanged: [], supersede: [] };
  for (const [applicationId, lines] of byEnrolment) {
    const current = recorded.get(applicationId) ?? [];
    if (replace) {
      const identical = current.length === lines.length && lines.every((l) => current.some((c) => same(c, l)));
      if (identical) plan.unchanged.push(...lines);
      else {
        if (current.length) plan.supersede.push(applicationId);
        plan.add.push(...lines);
      }
      continue;
    }
    for (const l of lines) {
      if (current.some((c) => same(c, l))) plan.unchanged.push(l);
      else {
        const clash = current.find((c) => overlaps(c, l));
        if (clash) problems.push({ line: l.line, column: 'start', message: 'att.conn.err.overlapRecorded', params: { from: clash.startsAt.toISOString(), to: clash.endsAt.toISOString() } });
        else plan.add.push(l);
      }
    }
  }
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, plan };
}
