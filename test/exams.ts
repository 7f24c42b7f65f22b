import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { FixedClock } from '../src/platform/clock';
import { applications } from '../src/modules/applications/applications.table';
import { applyCatalogue } from '../src/modules/catalogue/catalogue.import';
import { courseSessions, schools } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import { buildLearner, buildStaff } from './app';

/**
 * Factory (CRED-3): three centres (a remote one, Montpellier, Lyon), two units of 6 credits with
 * a session each at Montpellier in the 2026-2027 academic year, learners enrolled in the first
 * unit's session (an `enrolled` application written directly, as test/history.ts does), and
 * staff: an administrator, a coordinator of Montpellier, one of Lyon, the trainer of UE1's session.
 */
export async function buildExamWorld(db: Db, clock: FixedClock, learners = 2) {
  const unit = (code: string) => ({
    code,
    title: `Unité ${code}`,
    domain: 'Informatique',
    objectives: 'Objectifs',
    audience: 'Adultes',
    prerequisites: 'Aucun',
    programme: 'Programme',
    level: null,
    previous_course: null,
    rhythm: 'semester1' as const,
    mode: 'in_person' as const,
    hourly_volume: 60,
    full_rate: 27_000,
    half_rate: 12_000,
    prepares_diploma: true,
    has_evaluation: true,
    admission_test: 'none' as const,
    ects_credits: 6 as const,
    semester: 1 as const,
  });
  const school = (code: string, name: string, city: string) => ({ code, name, arrondissement: null, area: city, address: '1 rue de la Gare', postal_code: '34000', city });
  const session = (code: string, course: string) => ({
    code,
    course,
    school: 'MTP',
    period: 'S1',
    trainer: null,
    capacity: 24,
    first_meeting: '2026-10-15',
    last_meeting: '2027-01-15',
    slots: [{ weekday: 1, startsAt: '18:30', endsAt: '21:30' }],
    runs_in_school_holidays: false,
  });
  await db.transaction((tx) =>
    applyCatalogue(tx, {
      periods: [{ code: 'S1', name: '1er semestre 2026-2027', applications_open_at: '2026-06-01T07:00:00Z', applications_close_at: '2027-01-15T22:00:00Z', answers_from: '2026-06-01', answers_until: '2027-01-15' }],
      schools: [school('ENF', 'Espace numérique', 'À distance'), school('MTP', 'Centre de Montpellier', 'Montpellier'), school('LYO', 'Centre de Lyon', 'Lyon')],
      courses: [unit('UE1'), unit('UE2')],
      sessions: [session('UE1-S1', 'UE1'), session('UE2-S1', 'UE2')],
    } as Parameters<typeof applyCatalogue>[1]),
  );
  const made = [];
  for (let i = 0; i < learners; i++) {
    const user = await buildLearner(db, clock);
    made.push({ learnerId: user.id, email: user.email, applicationId: await enrolDirectly(db, user.id, 'UE1-S1') });
  }
  const admin = await buildStaff(db, clock, 'admin');
  const coordinator = await buildStaff(db, clock, 'coordinator');
  const lyon = await buildStaff(db, clock, 'coordinator');
  const trainer = await buildStaff(db, clock, 'trainer');
  await assignScope(db, { userId: coordinator.userId, schools: ['MTP', 'ENF'] });
  await assignScope(db, { userId: lyon.userId, schools: ['LYO'] });
  await assignScope(db, { userId: trainer.userId, sessions: ['UE1-S1'] });
  const centre = async (code: string) => (await db.select().from(schools).where(eq(schools.code, code)))[0];
  return {
    learners: made,
    admin: { id: admin.userId, role: 'admin' as const, ...admin },
    coordinator: { id: coordinator.userId, role: 'coordinator' as const, ...coordinator },
    lyon: { id: lyon.userId, role: 'coordinator' as const, ...lyon },
    trainer: { id: trainer.userId, role: 'trainer' as const, ...trainer },
    centres: { ENF: await centre('ENF'), MTP: await centre('MTP'), LYO: await centre('LYO') },
  };
}

/** An enrolled application of a learner in a session, written directly. */
export async function enrolDirectly(db: Db, learnerId: string, sessionCode: string): Promise<string> {
  const [session] = await db.select().from(courseSessions).where(eq(courseSessions.code, sessionCode));
  const at = new Date('2026-09-01T10:00:00Z');
  const [row] = await db
    .insert(applications)
    .values({ learnerId, sessionId: session.id, courseId: session.courseId, status: 'enrolled', situation: 'employed', objective: 'professional', motivations: 'Valider l’unité.', rulesAcceptedAt: at, createdAt: at, confirmedAt: at })
    .returning({ id: applications.id });
  return row.id;
}
