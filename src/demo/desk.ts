import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import { findUserByEmail } from '../modules/accounts';
import { addHelpDesk, assignCounsellor, desksOf, setDeskServes } from '../modules/desk';
import { assignScope } from '../modules/scopes';
import type { Clock } from '../platform/clock';

/**
 * SVC-5's demo: a help desk (seed 001, "Orientation et inscription du public de langue
 * étrangère en difficulté") and its counsellor (a demo staff account, `demoStaff`), whose scope
 * is the demo's first school of the 11th arrondissement and the French-language domain; the desk
 * serves that school.
 * Idempotent: null when there was nothing to do.
 */
export const DEMO_DESK = { code: 'accueil-paris-11', name: 'Accueil des cours municipaux – Paris 11e', address: '12 place Léon-Blum, 75011 Paris', hours: 'du lundi au vendredi, de 9 h à 12 h 30 et de 14 h à 17 h' };

export async function seedDeskDemo(db: Db, clock: Clock, counsellorEmail: string): Promise<{ desk: string } | null> {
  const counsellor = await findUserByEmail(db, counsellorEmail);
  if (!counsellor || (await desksOf(db, counsellor.id)).length) return null;
  const desk = await addHelpDesk(db, clock, DEMO_DESK);
  await assignCounsellor(db, { deskId: desk.id, userId: counsellor.id });
  const school = await db.execute<{ code: string }>(sql`select code from schools where arrondissement = 11 order by code limit 1`);
  // What the desk serves (the administrator's page, /personnel/admin/accueils, shows and changes it).
  await setDeskServes(db, desk.id, { schools: school.rows.map((r) => r.code), arrondissements: [] });
  await assignScope(db, { userId: counsellor.id, schools: school.rows.map((r) => r.code), domains: ['langue-francaise'] });
  return { desk: desk.name };
}
