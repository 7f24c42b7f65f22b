import type { Db } from '../db/database';
import { addLearnerAccount, createLearnerRecord, findUserByEmail } from '../modules/accounts';
import { catalogueIds } from '../modules/catalogue';
import { recordEarnedUnit } from '../modules/certification';
import { followProgramme, requestDiploma } from '../modules/programmes';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../platform/passwords';

/** The credits demo's second learner: every unit of the professional licence earned (CRED-4). */
export const DEMO_GRADUATE = 'laureat@demo.cursus.fr';

/**
 * The units the graduate earned over the last three years: the licence LP-INFO complete (its five
 * mandatory units, three of its six, one language, one of the last list: 64 credits of 60), and
 * with them the certificate CC13 (30 credits), whose diploma they asked for already.
 */
const GRADUATE_EARNED: [code: string, earnedOn: (year: number) => string][] = [
  ['NFA031', (y) => `${y - 3}-01-22`],
  ['NFA035', (y) => `${y - 3}-01-26`],
  ['UTC501', (y) => `${y - 3}-01-29`],
  ['NFA032', (y) => `${y - 3}-06-15`],
  ['NFE114', (y) => `${y - 3}-06-18`],
  ['NFE107', (y) => `${y - 2}-01-21`],
  ['GLG101', (y) => `${y - 2}-01-25`],
  ['ANG320', (y) => `${y - 2}-01-28`],
  ['NFE204', (y) => `${y - 2}-06-16`],
  ['RSX101', (y) => `${y - 1}-01-23`],
];

/**
 * The credits demo's documents (CRED-4, decision 029), written through the services: the demo
 * learner's units earned are what their transcript and attestations show ("Mes cursus"); the
 * graduate has completed the licence LP-INFO (they ask for its diploma from "Mes cursus") and
 * the certificate CC13, whose diploma request waits for the administrator (/personnel/diplomes).
 * Idempotent: nothing happens once the graduate exists.
 */
export async function seedCreditsDocuments(db: Db, clock: Clock, options: { year: number; password: string; baseUrl: string; secret: string }): Promise<{ graduate: string; pending: string } | null> {
  if (await findUserByEmail(db, DEMO_GRADUATE)) return null;
  const graduate = await addLearnerAccount(db, clock, { email: DEMO_GRADUATE, passwordHash: await hashPassword(options.password), mobilePhone: '+33623456789' });
  const created = await createLearnerRecord(
    { db, clock },
    {
      userId: graduate.id,
      record: {
        civility: 'M',
        lastName: 'Benali',
        birthName: null,
        firstName: 'Karim',
        birthDate: '1984-09-03',
        birthCountry: 'FR',
        address: '4 place de la Comédie',
        addressComplement1: null,
        addressComplement2: null,
        postalCode: '34000',
        city: 'Montpellier',
        country: 'FR',
        mobilePhone: '+33623456789',
        landlinePhone: null,
        heardFrom: 'internet',
      },
    },
  );
  if (created !== 'created') throw new Error(`the credits demo's graduate record is refused: ${created}`);
  const ids = (await catalogueIds(db, { courses: GRADUATE_EARNED.map(([code]) => code) })).courses;
  await db.transaction(async (tx) => {
    for (const [code, on] of GRADUATE_EARNED) {
      const earned = await recordEarnedUnit(tx, clock, { learnerId: graduate.id, courseId: ids.get(code)!, earnedOn: on(options.year) });
      if (!earned.ok) throw new Error(`the credits demo's unit ${code} is not a unit`);
    }
  });
  for (const code of ['LP-INFO', 'CC13']) await followProgramme({ db, clock }, { learnerId: graduate.id, code });
  const asked = await requestDiploma({ db, clock, baseUrl: options.baseUrl, secret: options.secret }, { learnerId: graduate.id, code: 'CC13' });
  if (!asked.ok) throw new Error(`the credits demo's diploma request is refused: ${JSON.stringify(asked)}`);
  return { graduate: DEMO_GRADUATE, pending: 'CC13' };
}
