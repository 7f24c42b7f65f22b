import { randomBytes } from 'node:crypto';
import { readTogether } from '../../db/statements';
import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { enqueueJob, jobPending, type JobHandlers } from '../../platform/jobs';
import { getPolicies } from '../../platform/policies';
import type { PruneTask } from '../../platform/worker';
import { applicationFigures } from '../applications';
import { listPeriods, sessionsForApplications, sessionWindows, windowOpenings } from '../catalogue';
import { catalogueCode } from '../../domain/vocabulary';
import { COMMIT_AHEAD_MS, commitmentOf, committedLate, drawOrder, windowOpensAt } from './draw.rules';
import { criteriaPointsOf, type CriteriaPoints } from './selection.rules';
import { offers, selectionDraws } from './selection.table';

/**
 * SEL-2: the committed draw of each session (docs/decisions/017-committed-draw.md). A seed is drawn and its
 * commitment published before the session's application window opens (the job below, the
 * demo and the test factories); a session ranked without one gets it then, recorded as late.
 * The seed is revealed when the session is first decided; the public page shows it with the
 * order of the draw, and SEL-12's anonymised figures.
 */

export const COMMIT_DRAWS_JOB = 'selection.commit-draws';

export type Draw = typeof selectionDraws.$inferSelect;

/** The session's draw, if committed. */
export async function drawOf(db: DbOrTx, sessionId: number): Promise<Draw | null> {
  const [row] = await db.select().from(selectionDraws).where(eq(selectionDraws.sessionId, sessionId));
  return row ?? null;
}

const newDraw = (sessionId: number, now: Date, opensAt: Date, by: string | null) => {
  const seed = randomBytes(16).toString('hex');
  return { sessionId, seed, commitment: commitmentOf(seed), committedAt: now, late: committedLate(now, opensAt), createdAt: now, createdBy: by };
};

/**
 * SEL-2: the session's draw, committed now if it had none (then `late` when its window has
 * opened: the ranking would otherwise use a seed nobody saw before). Never changes a draw.
 */
export async function ensureDraw(db: DbOrTx, now: Date, session: { id: number; period: { priorityOpensAt: Date | null; applicationsOpenAt: Date } }, by: string | null): Promise<Draw> {
  const known = await drawOf(db, session.id);
  if (known) return known;
  await db.insert(selectionDraws).values(newDraw(session.id, now, windowOpensAt(session.period), by)).onConflictDoNothing();
  return (await drawOf(db, session.id))!;
}

/**
 * SEL-2: commits the draw of every session whose window opens within a day (or has opened and
 * not closed) and has none yet. Idempotent; returns how many were committed.
 */
export async function commitDueDraws(deps: { db: DbOrTx; clock: Clock }): Promise<number> {
  const now = deps.clock.now();
  const due = await sessionWindows(deps.db, { opensBy: new Date(now.getTime() + COMMIT_AHEAD_MS), closesAfter: now });
  if (due.length === 0) return 0;
  let committed = 0;
  for (let i = 0; i < due.length; i += 1000) {
    const chunk = due.slice(i, i + 1000);
    const rows = await deps.db
      .insert(selectionDraws)
      .values(chunk.map((s) => newDraw(s.sessionId, now, s.opensAt, null)))
      .onConflictDoNothing()
      .returning({ sessionId: selectionDraws.sessionId });
    committed += rows.length;
  }
  return committed;
}

/**
 * For a catalogue seeded at once (the demo, the test factories): commits the draws as the job
 * would have, just before each window opened (their world existed before today). Windows
 * opening later are left to the job. Never used by the running service.
 */
export async function commitDrawsAsTheJobWould(db: DbOrTx, clock: Clock): Promise<number> {
  const now = clock.now();
  let committed = 0;
  for (const period of await listPeriods(db)) {
    const opens = windowOpensAt(period);
    if (opens.getTime() > now.getTime() + COMMIT_AHEAD_MS) continue;
    const at = new Date(Math.min(now.getTime(), opens.getTime() - 60_000));
    committed += await commitDueDraws({ db, clock: { now: () => at } });
  }
  return committed;
}

/**
 * When the job runs next: daily, and just before and at each window's opening within the day
 * (five minutes before catches the sessions created since the last run; at the opening, those
 * created in the last minutes, then late by seconds at most).
 */
async function nextRun(db: DbOrTx, now: Date): Promise<Date> {
  const soon = new Date(now.getTime() + COMMIT_AHEAD_MS);
  const candidates = (await windowOpenings(db, now, 5)).map((at) => (at.getTime() - 300_000 > now.getTime() ? new Date(at.getTime() - 300_000) : at));
  return [soon, ...candidates].reduce((a, b) => (b < a ? b : a));
}

/** The job: commit what is due, then queue the next run (unless one is queued). */
async function commitDrawsJob(deps: { db: Db; clock: Clock }) {
  await commitDueDraws(deps);
  const now = deps.clock.now();
  if (!(await jobPending(deps.db, { kind: COMMIT_DRAWS_JOB, payload: {}, notStarted: true }))) await enqueueJob(deps.db, { kind: COMMIT_DRAWS_JOB, runAt: await nextRun(deps.db, now) });
}

export function drawJobs(deps: { db: Db; clock: Clock }): JobHandlers {
  return { [COMMIT_DRAWS_JOB]: () => commitDrawsJob(deps) };
}

/** The worker's periodic check that the commitment job is queued (a fresh database, or a run that gave up). */
export const drawCommitTask: PruneTask = async ({ db, clock }) => {
  if (!(await jobPending(db, { kind: COMMIT_DRAWS_JOB, payload: {} }))) await enqueueJob(db, { kind: COMMIT_DRAWS_JOB, runAt: clock.now() });
};

/**
 * SEL-2: at a decision, the seed is revealed (once: the first decision's instant stays), the
 * references ranked are added to the published draw, and SEL-12's last rank admitted is kept
 * from the first decision that admitted someone, as are the criteria points it ranked with (the
 * page shows those, not the settings of the day they are read).
 */
export async function revealDraw(tx: DbOrTx, now: Date, sessionId: number, input: { references: string[]; lastRankAdmitted: number | null; points: CriteriaPoints }) {
  await tx
    .update(selectionDraws)
    .set({
      revealedAt: sql`coalesce(${selectionDraws.revealedAt}, ${now})`,
      drawnReferences: sql`array(select distinct r from unnest(${selectionDraws.drawnReferences} || ${sql.param(input.references)}::text[]) as r order by r)`,
      lastRankAdmitted: sql`coalesce(${selectionDraws.lastRankAdmitted}, ${input.lastRankAdmitted})`,
      points: sql`coalesce(${selectionDraws.points}, ${JSON.stringify(input.points)}::jsonb)`,
    })
    .where(eq(selectionDraws.sessionId, sessionId));
}

/** What the public selection page of a session shows, and its JSON (the file `draw --file` checks). */
export interface PublicSelection {
  session: { code: string; title: string; school: string; capacity: number; cancelled: boolean; evaluated: boolean; windowOpensAt: Date; windowClosesAt: Date };
  /** Null: not committed yet (the window opens in more than a day). */
  draw: {
    commitment: string;
    committedAt: Date;
    late: boolean;
    /** Null until the session is first decided. */
    revealedAt: Date | null;
    seed: string | null;
    /** The references in the order of the draw (empty before the reveal). */
    order: string[];
    /** Revealed, but decided before the order was kept (the session's order was never published). */
    orderUnpublished: boolean;
  } | null;
  /**
   * SEL-2: after the decision, the points it ranked with; before, the policy's (how they will
   * be counted). Null: decided before the points used were kept (the page says so).
   */
  points: CriteriaPoints | null;
  /** SEL-12: after selection, the anonymised figures; null before. */
  figures: {
    applications: number;
    places: number;
    accepted: number;
    waiting: number;
    refused: number;
    lastRankAdmitted: number | null;
    offeredFromWaitingList: number;
  } | null;
}

/** SEL-2, SEL-12: the public selection facts of a session by its code; null for an unknown code. Never a name. */
export async function publicSelection(db: DbOrTx, code: string): Promise<PublicSelection | null> {
  if (!catalogueCode.test(code)) return null;
  const [session] = await sessionsForApplications(db, { codes: [code] });
  if (!session) return null;
  const [draw, policies] = await readTogether(db, [async () => drawOf(db, session.id), async () => getPolicies(db)]);
  const revealed = Boolean(draw?.revealedAt);
  let figures: PublicSelection['figures'] = null;
  if (draw && revealed) {
    const [counts, [offered]] = await readTogether(db, [
      async () => applicationFigures(db, { sessionIds: [session.id] }),
      async () => db.select({ n: sql<number>`count(*)::int` }).from(offers).where(sql`${offers.sessionId} = ${session.id} and ${offers.kind} = 'waiting_list'`),
    ]);
    const c = counts.get(session.id);
    figures = {
      applications: c?.applications ?? 0,
      places: session.capacity,
      accepted: c?.accepted ?? 0,
      waiting: c?.waiting ?? 0,
      refused: c?.refused ?? 0,
      lastRankAdmitted: draw.lastRankAdmitted,
      offeredFromWaitingList: offered?.n ?? 0,
    };
  }
  return {
    session: {
      code: session.code,
      title: session.title,
      school: session.schoolName,
      capacity: session.capacity,
      cancelled: session.cancelledAt !== null,
      evaluated: session.admissionEvaluation,
      windowOpensAt: windowOpensAt(session.period),
      windowClosesAt: session.period.applicationsCloseAt,
    },
    draw: draw
      ? {
          commitment: draw.commitment,
          committedAt: draw.committedAt,
          late: draw.late,
          revealedAt: draw.revealedAt,
          seed: revealed ? draw.seed : null,
          order: revealed ? drawOrder(draw.seed, draw.drawnReferences) : [],
          // A decision now keeps the references it ranked and its points: neither means one made before they were kept.
          orderUnpublished: revealed && draw.drawnReferences.length === 0 && draw.points === null,
        }
      : null,
    points: revealed ? (draw?.points ?? null) : criteriaPointsOf(policies),
    figures,
  };
}
