import type { Db } from '../src/db/database';
import { applyCatalogue, type SessionRow } from '../src/modules/catalogue/catalogue.import';
import type { Clock } from '../src/platform/clock';

const iso = (d: Date) => d.toISOString().slice(0, 10);
const DAY = 86_400_000;

/**
 * Factory (CRED-2): units (courses with ECTS credits) and their sessions, through the import
 * path, around `clock`'s day. Their registration period's window is long closed: enrolment all
 * year reads no window. `from`/`to`: the first and last meetings, in days from today.
 */
export async function buildUnitSessions(
  db: Db,
  clock: Clock,
  sessions: { code: string; unit: string; credits?: 4 | 6 | 8 | 12; semester?: 1 | 2; capacity?: number; weekday?: number; startsAt?: string; endsAt?: string; from?: number; to?: number }[],
) {
  const now = clock.now().getTime();
  const units = new Map(sessions.map((s) => [s.unit, s]));
  await db.transaction((tx) =>
    applyCatalogue(tx, {
      periods: [
        { code: 'S-PAST', name: 'Semestre', applications_open_at: new Date(now - 300 * DAY).toISOString(), applications_close_at: new Date(now - 200 * DAY).toISOString(), answers_from: iso(new Date(now - 199 * DAY)), answers_until: iso(new Date(now - 190 * DAY)) },
      ],
      schools: [{ code: 'ENF', name: 'Espace numérique de formation', arrondissement: null, area: null, address: '1 rue du Centre', postal_code: '34000', city: 'Montpellier' }],
      courses: [...units.values()].map((u) => ({
        code: u.unit,
        title: `Unité ${u.unit}`,
        domain: 'Informatique',
        objectives: 'Objectifs',
        audience: 'Adultes',
        prerequisites: 'Aucun',
        programme: 'Programme',
        level: null,
        previous_course: null,
        rhythm: 'semester1' as const,
        mode: 'remote' as const,
        hourly_volume: (u.credits ?? 6) * 10,
        full_rate: 30_000,
        half_rate: 15_000,
        prepares_diploma: true,
        has_evaluation: true,
        admission_test: 'none' as const,
        ects_credits: u.credits ?? 6,
        semester: u.semester ?? 1,
      })),
      sessions: sessions.map(
        (s): SessionRow => ({
          code: s.code,
          course: s.unit,
          school: 'ENF',
          period: 'S-PAST',
          trainer: null,
          capacity: s.capacity ?? 20,
          first_meeting: iso(new Date(now + (s.from ?? 10) * DAY)),
          last_meeting: iso(new Date(now + (s.to ?? 90) * DAY)),
          slots: [{ weekday: s.weekday ?? 2, startsAt: s.startsAt ?? '18:00', endsAt: s.endsAt ?? '20:00' }],
          runs_in_school_holidays: false,
        }),
      ),
    }),
  );
}
