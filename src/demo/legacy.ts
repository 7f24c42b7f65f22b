import { readFileSync } from 'node:fs';
import type { Db } from '../db/database';
import { importLegacyFiles } from '../modules/legacy';
import type { Clock } from '../platform/clock';

/**
 * ACC-9's demo: the documented example files (docs/examples/legacy/) imported as the former
 * system's accounts. The demo learner links the first one from "Mon ancien compte" with its old
 * address and password, and finds their 2014–2016 courses in "Mon parcours".
 */
export const DEMO_LEGACY_EMAIL = 'camille.martin@ancien.demo.cursus.fr';
export const DEMO_LEGACY_PASSWORD = 'Ancien-CMA-2016';

const example = (name: string) => ({ name, content: readFileSync(new URL(`../../docs/examples/legacy/${name}`, import.meta.url)) });

/** Imports the example files once (the import refuses the same files again: then nothing to do). */
export async function seedLegacyDemo(db: Db, clock: Clock): Promise<{ accounts: number } | null> {
  const report = await importLegacyFiles({ db, clock }, [example('accounts.csv'), example('enrolments.csv')]);
  return report.ok ? { accounts: report.accounts } : null;
}
