import type { DbOrTx } from '../../db/database';
import type { Mode } from '../../domain/vocabulary';
import type { Clock } from '../../platform/clock';
import type { Policies } from '../../platform/policies';
import { applicationIdsOf, applicationsByIds, inGroup } from '../applications';
import { sessionsForApplications } from '../catalogue';
import type { ConnectionFact } from './attendance.rules';
import { attendanceOf } from './attendance.service';
import { currentConnections } from './connections.service';

export interface LearnerConnectionLine {
  applicationId: string;
  sessionCode: string;
  courseCode: string;
  title: string;
  mode: Mode;
  firstMeeting: string;
  lastMeeting: string;
  /** Minutes connected so far (outside the meetings a register credits), before the cap. */
  connectedMinutes: number;
  /** The attendance as the certification reads it: registers and connections, so far. */
  attendedMinutes: number;
  heldMinutes: number;
  soFarPercent: number | null;
  connections: (ConnectionFact & { minutes: number })[];
}

/** Issue 18: whether the learner holds a place in a remote or hybrid session (their account page links to their connection hours then). */
export async function followsRemoteUnit(db: DbOrTx, learnerId: string): Promise<boolean> {
  const held = (await applicationsByIds(db, await applicationIdsOf(db, learnerId))).filter((a) => inGroup('holdsPlace', a.status));
  if (held.length === 0) return false;
  const sessions = await sessionsForApplications(db, { ids: [...new Set(held.map((a) => a.sessionId))] });
  return sessions.some((s) => s.mode !== 'in_person');
}

/**
 * Issue 18: the learner's remote and hybrid enrolments (the places they hold) with their
 * connection hours and their attendance so far, newest session first. Only the learner's own:
 * the query is by learner.
 */
export async function learnerConnections(deps: { db: DbOrTx; clock: Clock; policies: Pick<Policies, 'justifiedAbsenceCountsAsPresence'> }, learnerId: string): Promise<LearnerConnectionLine[]> {
  const { db } = deps;
  const held = (await applicationsByIds(db, await applicationIdsOf(db, learnerId))).filter((a) => inGroup('holdsPlace', a.status));
  if (held.length === 0) return [];
  const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(held.map((a) => a.sessionId))] })).map((s) => [s.id, s]));
  const online = held.filter((a) => sessions.get(a.sessionId)?.mode !== 'in_person');
  if (online.length === 0) return [];
  const attendance = await attendanceOf(db, deps.clock.now(), deps.policies, online.map((a) => ({ id: a.id, sessionId: a.sessionId })));
  const connected = await currentConnections(db, online.map((a) => a.id));
  return online
    .map((a) => {
      const s = sessions.get(a.sessionId)!;
      const att = attendance.get(a.id)!;
      return {
        applicationId: a.id,
        sessionCode: s.code,
        courseCode: s.courseCode,
        title: s.title,
        mode: s.mode,
        firstMeeting: s.firstMeeting,
        lastMeeting: s.lastMeeting,
        connectedMinutes: att.connectedMinutes,
        attendedMinutes: att.attendedMinutes,
        heldMinutes: att.heldMinutes,
        soFarPercent: att.soFarPercent,
        connections: connected.get(a.id) ?? [],
      };
    })
    .sort((x, y) => y.firstMeeting.localeCompare(x.firstMeeting) || x.sessionCode.localeCompare(y.sessionCode));
}
