import type { Db } from '../src/db/database';
import { applyCatalogue } from '../src/modules/catalogue/catalogue.import';

/**
 * Factory (CRED-1): teaching units written through the import path, each a course with its
 * credits (about 10 hours a credit) and semester; `credits: null` makes a plain course.
 */
export async function buildUnits(db: Db, units: { code: string; credits: 4 | 6 | 8 | 12 | null; semester?: 1 | 2; title?: string }[]) {
  await db.transaction((tx) =>
    applyCatalogue(tx, {
      periods: [],
      schools: [],
      courses: units.map((u) => ({
        code: u.code,
        title: u.title ?? `Unité ${u.code}`,
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
        ects_credits: u.credits,
        semester: u.credits === null ? null : (u.semester ?? 1),
      })),
      sessions: [],
    }),
  );
}
