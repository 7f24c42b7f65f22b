import type { Clock } from '../platform/clock';
import { createLearnerRecord, createStaffAccount, findUserByEmail } from '../modules/accounts/accounts.service';
import { hashPassword } from '../platform/passwords';
import { users, type Role } from '../modules/accounts/accounts.table';
import type { Db } from './database';

export const DEMO_PASSWORD = 'Cursus-demo-2026';

/** Fixed TOTP secrets of the demo staff, so the README can tell them (demo only). */
export const demoStaff: { email: string; role: Exclude<Role, 'learner'>; displayName: string; totpSecret: string }[] = [
  { email: 'formatrice@demo.cursus.fr', role: 'trainer', displayName: 'Inès Formatrice', totpSecret: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD' },
  { email: 'direction@demo.cursus.fr', role: 'school_head', displayName: 'Paul Directeur', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
  { email: 'coordination@demo.cursus.fr', role: 'coordinator', displayName: 'Awa Coordinatrice', totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' },
  { email: 'admin@demo.cursus.fr', role: 'admin', displayName: 'Louis Administrateur', totpSecret: 'ONSWG4TFOQQHIZLTOQQGC3TEEBZWK5DV' },
];
export const DEMO_LEARNER = 'apprenant@demo.cursus.fr';

/**
 * Seeds the demo: one learner with a complete record and one staff account of each role, all
 * with the password above. Idempotent; refused in production by the caller.
 */
export async function seedDemo(db: Db, clock: Clock): Promise<boolean> {
  if (await findUserByEmail(db, DEMO_LEARNER)) return false;
  const [learner] = await db
    .insert(users)
    .values({
      email: DEMO_LEARNER,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      status: 'active',
      createdAt: clock.now(),
      activatedAt: clock.now(),
      termsAcceptedAt: clock.now(),
      mobilePhone: '+33612345678',
    })
    .returning({ id: users.id });
  await createLearnerRecord(
    { db, clock },
    {
      userId: learner.id,
      record: {
        civility: 'MME',
        lastName: 'Martin',
        birthName: null,
        firstName: 'Camille',
        birthDate: '1988-04-12',
        birthCountry: 'FR',
        address: '12 rue de la Roquette',
        addressComplement1: null,
        addressComplement2: null,
        postalCode: '75011',
        city: 'Paris',
        country: 'FR',
        mobilePhone: '+33612345678',
        landlinePhone: null,
        heardFrom: 'town_hall',
      },
    },
  );
  for (const staff of demoStaff) await createStaffAccount({ db, clock }, { ...staff, password: DEMO_PASSWORD });
  return true;
}
