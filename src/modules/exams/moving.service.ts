import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { audit } from '../../platform/audit';
import { getLearnerProfile, lockUser, parisDay, updateContactDetails, type ContactDetails } from '../accounts';
import { unitsOf } from '../catalogue';
import { earnedUnitsOf } from '../certification';
import { centresById, sessionAt, upcomingRegistrations, type ExamDeps } from './exams.service';
import { examRegistrations, examSessions, learnerCentres } from './exams.table';

/**
 * Moving (issue 18, the FAQ's « Je dois déménager »): the learner's centre of record changes
 * with their address, in one step; their units and credits are theirs and follow them; the exam
 * sessions to come move to the session held at the new centre, or stay where they are with the
 * suggestion to ask to sit at another centre (decision 028).
 */

export async function centreOfRecord(db: DbOrTx, learnerId: string): Promise<number | null> {
  const [row] = await db.select().from(learnerCentres).where(eq(learnerCentres.learnerId, learnerId));
  return row?.centreId ?? null;
}

/** What « Je déménage » shows: the address on record, the centre of record and the centres. */
export async function movingPage(db: DbOrTx, learnerId: string) {
  const profile = await getLearnerProfile(db, learnerId);
  const centres = [...(await centresById(db)).values()];
  return { profile, centreId: await centreOfRecord(db, learnerId), centres };
}

/**
 * Moving: where the learner stands at their centre of record: the exam sessions to come sat
 * there, those sat elsewhere (not held there: the « another centre » request is suggested), and
 * the units earned with their credits, which are the learner's wherever they live.
 */
export async function movingSummary(db: DbOrTx, clock: Clock, learnerId: string): Promise<MoveOutcome | null> {
  const centreId = await centreOfRecord(db, learnerId);
  if (centreId === null) return null;
  const centres = await centresById(db);
  const upcoming = await upcomingRegistrations(db, learnerId, parisDay(clock.now()));
  const earned = (await earnedUnitsOf(db, [learnerId])).get(learnerId) ?? [];
  const units = new Map((await unitsOf(db, { ids: [...upcoming.map((u) => u.session.courseId), ...earned.map((e) => e.courseId)] })).map((u) => [u.id, u]));
  const code = (courseId: number) => units.get(courseId)?.code ?? String(courseId);
  const outcome: MoveOutcome = { centre: centres.get(centreId)?.name ?? '—', moved: [], notHeld: [], earned: [], credits: 0 };
  for (const { registration, session } of upcoming) {
    if (registration.centreId === centreId) outcome.moved.push({ unit: code(session.courseId), heldOn: session.heldOn });
    else outcome.notHeld.push({ registrationId: registration.id, unit: code(session.courseId), heldOn: session.heldOn, centre: centres.get(registration.centreId)?.name ?? '—' });
  }
  outcome.earned = earned.map((e) => {
    const unit = units.get(e.courseId);
    return { unit: unit ? `${unit.code} – ${unit.title}` : String(e.courseId), credits: e.credits };
  });
  outcome.credits = earned.reduce((sum, e) => sum + e.credits, 0);
  return outcome;
}

export interface MoveOutcome {
  centre: string;
  /** The exam sessions to come now sat at the new centre. */
  moved: { unit: string; heldOn: string }[];
  /** Those not held there: the learner may ask to sit them at the new centre. */
  notHeld: { registrationId: string; unit: string; heldOn: string; centre: string }[];
  /** The units earned, with their credits: they follow the learner. */
  earned: { unit: string; credits: number }[];
  credits: number;
}

/**
 * Moving: the address (the accounts module's record update) and the centre of record in one
 * transaction, under the learner's lock; the exam sessions to come follow when the new centre
 * holds them, still to come and not published. An unknown centre is refused next to its field.
 */
export async function moveLearner(
  deps: Pick<ExamDeps, 'db' | 'clock'>,
  input: { learnerId: string; contact: ContactDetails; centre: string },
): Promise<{ ok: true; outcome: MoveOutcome } | { ok: false; code: 'invalid'; errors: { centre: { message: 'exams.err.centre' } } } | { ok: false; code: 'no_record' }> {
  const { db, clock } = deps;
  const centres = await centresById(db);
  const centre = [...centres.values()].find((c) => c.code === input.centre);
  if (!centre) return { ok: false, code: 'invalid', errors: { centre: { message: 'exams.err.centre' } } };
  if (!(await getLearnerProfile(db, input.learnerId))) return { ok: false, code: 'no_record' };
  return db.transaction(async (tx) => {
    await lockUser(tx, input.learnerId);
    await updateContactDetails({ db: tx, clock }, { userId: input.learnerId, contact: input.contact });
    await tx
      .insert(learnerCentres)
      .values({ learnerId: input.learnerId, centreId: centre.id, setBy: 'learner', setAt: clock.now() })
      .onConflictDoUpdate({ target: learnerCentres.learnerId, set: { centreId: centre.id, setBy: 'learner', setAt: clock.now() } });
    let moved = 0;
    const today = parisDay(clock.now());
    for (const { registration, session } of await upcomingRegistrations(tx, input.learnerId, today)) {
      if (registration.centreId === centre.id) continue;
      const there = await sessionAt(tx, session, centre.id);
      // The new centre's session must still be to come: held on an earlier day, it is over there.
      if (!there || there.heldOn < today) continue;
      // Marks and publishing lock an exam session for update (recordMarks, publishResults). Both
      // sessions are held here for share, in one order, so that neither is marked nor published
      // while the registration moves; one published meanwhile keeps its registrations as they are.
      const held = await tx
        .select({ id: examSessions.id, publishedAt: examSessions.publishedAt })
        .from(examSessions)
        .where(inArray(examSessions.id, [session.id, there.id]))
        .orderBy(examSessions.id)
        .for('share');
      if (held.length !== 2 || held.some((s) => s.publishedAt)) continue;
      const done = await tx
        .update(examRegistrations)
        .set({ examSessionId: there.id, centreId: centre.id })
        .where(and(eq(examRegistrations.id, registration.id), isNull(examRegistrations.markTenths), eq(examRegistrations.absent, false)))
        .returning({ id: examRegistrations.id });
      moved += done.length;
    }
    const outcome = (await movingSummary(tx, clock, input.learnerId))!;
    await audit(tx, clock, { action: 'exams.moved', actorId: input.learnerId, subjectId: input.learnerId, data: { centre: centre.code, moved, notHeld: outcome.notHeld.length } });
    return { ok: true as const, outcome };
  });
}

/** Moving: sets a learner's centre of record by its code (the demo; the first enrolment does it in the app). */
export async function setCentreOfRecord(db: DbOrTx, clock: Clock, input: { learnerId: string; centre: string; setBy: 'enrolment' | 'learner' }): Promise<boolean> {
  const centre = [...(await centresById(db)).values()].find((c) => c.code === input.centre);
  if (!centre) return false;
  await db
    .insert(learnerCentres)
    .values({ learnerId: input.learnerId, centreId: centre.id, setBy: input.setBy, setAt: clock.now() })
    .onConflictDoUpdate({ target: learnerCentres.learnerId, set: { centreId: centre.id, setBy: input.setBy, setAt: clock.now() } });
  return true;
}
