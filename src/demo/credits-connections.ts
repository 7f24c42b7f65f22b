import type { Db } from '../db/database';
import { findUserByEmail } from '../modules/accounts';
import { importConnections, meetingsOf } from '../modules/attendance';
import { sessionsForApplications } from '../modules/catalogue';
import { enrolInUnit } from '../modules/payments';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../platform/passwords';
import { demoLearner } from './learners';

/**
 * The credits demo's remote attendance (issue 18, decision 030): the demo learner and three more
 * learners enrolled in a remote unit of this semester (GLG101: every remote unit's live class is
 * on one of four evenings: APP-3's same slot), and the learning
 * environment's connection hours of every weekly class held so far, imported through the
 * attendance module's import service from a CSV file written as the platform exports it
 * (docs/attendance-import.md). Each learner has their own habit: the demo learner misses a class
 * now and then and leaves some early, one is always there, one half the time, one dropped out
 * after three weeks. "Mes heures de connexion" and the staff's attendance views then show figures.
 */

/** Minutes connected in each weekly class (of 120), by habit, in turn. */
const HABITS: Record<string, number[]> = {
  demo: [120, 115, 0, 120, 95, 120, 110, 0, 120, 105],
  steady: [120],
  half: [120, 0, 60, 0, 120, 30],
  dropped: [120, 100, 90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

const OTHERS: [email: string, habit: keyof typeof HABITS][] = [
  ['distance1@demo.cursus.fr', 'steady'],
  ['distance2@demo.cursus.fr', 'half'],
  ['distance3@demo.cursus.fr', 'dropped'],
];

export async function seedCreditsConnections(
  db: Db,
  clock: Clock,
  options: { learnerEmail: string; password: string; year: number },
): Promise<{ enrolments: number; lines: number } | null> {
  const learner = await findUserByEmail(db, options.learnerEmail);
  if (!learner) return null;
  const passwordHash = await hashPassword(options.password);
  const people: { id: string; email: string; habit: string; sessions: string[] }[] = [{ id: learner.id, email: learner.email, habit: 'demo', sessions: [`GLG101-S1-${options.year}`] }];
  for (const [k, [email, habit]] of OTHERS.entries()) {
    const id = (await findUserByEmail(db, email))?.id ?? (await demoLearner(db, clock, { n: 40 + k, email, passwordHash }));
    people.push({ id, email, habit, sessions: [`GLG101-S1-${options.year}`] });
  }

  // Enrolled as a learner does (CRED-2), paying themselves (CRED-5's personal source: an amount due).
  const deps = { db, clock, baseUrl: '', secret: '', cashOffice: '', profile: 'credits' as const };
  let enrolments = 0;
  for (const p of people)
    for (const sessionCode of p.sessions) {
      const made = await enrolInUnit(deps, { learnerId: p.id, sessionCode, source: 'personal' });
      if (!made.ok) throw new Error(`the credits demo could not enrol ${p.email} in ${sessionCode}: ${made.message}`);
      enrolments++;
    }

  // The learning platform's export: one line per connection to the weekly live class held so far.
  const codes = [...new Set(people.flatMap((p) => p.sessions))];
  const sessions = await sessionsForApplications(db, { codes });
  const meetings = await meetingsOf(
    db,
    sessions.map((s) => s.id),
  );
  const now = clock.now();
  const lines = ['email,session,start,end'];
  for (const p of people)
    for (const code of p.sessions) {
      const session = sessions.find((s) => s.code === code)!;
      const held = meetings.get(session.id)!.filter((m) => m.cancelledAt === null && m.startsAt.getTime() + m.plannedMinutes * 60_000 <= now.getTime());
      const habit = HABITS[p.habit];
      held.forEach((m, i) => {
        const minutes = Math.min(habit[i % habit.length], m.plannedMinutes);
        if (minutes === 0) return;
        // Connected a few minutes late now and then; the platform counts to the second.
        const late = i % 3 === 1 ? 5 : 0;
        const start = new Date(m.startsAt.getTime() + late * 60_000);
        const end = new Date(start.getTime() + Math.min(minutes, m.plannedMinutes - late) * 60_000 + 17_000);
        lines.push(`${p.email},${code},${start.toISOString()},${end.toISOString()}`);
      });
    }
  if (lines.length === 1) return { enrolments, lines: 0 };
  const imported = await importConnections({ db, clock }, { importer: null, fileName: 'export-plateforme.csv', content: new TextEncoder().encode(`${lines.join('\n')}\n`), replace: false });
  if (!imported.ok) throw new Error(`the credits demo's connection hours are refused: ${JSON.stringify(imported)}`);
  return { enrolments, lines: imported.lines };
}
