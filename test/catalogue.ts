import type { Db } from '../src/db/database';
import { applyCatalogue, type SessionRow } from '../src/modules/catalogue/catalogue.import';
import type { Clock } from '../src/platform/clock';
import { commitDrawsAsTheJobWould } from '../src/modules/selection/draw.service';

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Factory: a small catalogue around `clock`'s day, written through the import path: one period
 * open for applications, one closed, one school, and the sessions asked for (each its own
 * course unless `course` says otherwise), each with its draw committed before its window opened (SEL-2).
 */
export async function buildCatalogue(
  db: Db,
  clock: Clock,
  sessions: { code: string; course?: string; weekday: number; startsAt: string; endsAt: string; period?: 'open' | 'closed' }[],
) {
  const day = 86_400_000;
  const now = clock.now().getTime();
  const courseCodes = [...new Set(sessions.map((s) => s.course ?? `C-${s.code}`))];
  await db.transaction((tx) =>
    applyCatalogue(tx, {
      periods: [
        { code: 'open', name: 'Période ouverte', applications_open_at: new Date(now - 7 * day).toISOString(), applications_close_at: new Date(now + 7 * day).toISOString(), answers_from: iso(new Date(now + 8 * day)), answers_until: iso(new Date(now + 30 * day)) },
        { code: 'closed', name: 'Période fermée', applications_open_at: new Date(now - 30 * day).toISOString(), applications_close_at: new Date(now - 20 * day).toISOString(), answers_from: iso(new Date(now - 19 * day)), answers_until: iso(new Date(now - 10 * day)) },
      ],
      schools: [{ code: 'E-11-T', name: 'École test', arrondissement: 11, area: null, address: '1 rue Test', postal_code: '75011', city: 'Paris' }],
      courses: courseCodes.map((code) => ({
        code,
        title: `Cours ${code}`,
        domain: 'Langue française',
        objectives: 'Objectifs',
        audience: 'Adultes',
        prerequisites: 'Aucun',
        programme: 'Programme',
        level: null,
        previous_course: null,
        rhythm: 'annual' as const,
        mode: 'in_person' as const,
        hourly_volume: 60,
        full_rate: 15_000,
        half_rate: 7_500,
        prepares_diploma: false,
        has_evaluation: false,
        admission_test: 'none' as const,
      })),
      sessions: sessions.map(
        (s): SessionRow => ({
          code: s.code,
          course: s.course ?? `C-${s.code}`,
          school: 'E-11-T',
          period: s.period ?? 'open',
          trainer: null,
          capacity: 20,
          first_meeting: iso(new Date(now + 40 * day)),
          last_meeting: iso(new Date(now + 250 * day)),
          slots: [{ weekday: s.weekday, startsAt: s.startsAt, endsAt: s.endsAt }],
          runs_in_school_holidays: false,
        }),
      ),
    }),
  );
  // SEL-2: each session's draw committed before its window opened, as the job does.
  await commitDrawsAsTheJobWould(db, clock);
}
