import type { Db } from '../db/database';
import type { FundingSource, PriceBasis } from '../domain/vocabulary';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../platform/passwords';
import { findUserByEmail } from '../modules/accounts';
import { enrolInUnit, setPrice } from '../modules/payments';
import { demoLearner } from './learners';

/**
 * The credits demo's funding (CRED-2, CRED-5, docs/decisions/027): the centre's price list (per
 * ECTS credit for the learner and the public funders, per unit for the employers) and three demo
 * learners enrolled in a unit of the first semester, each with another source: one personal
 * (awaiting payment through the simulated PayFiP), one with their CPF (enrolled, the funder's
 * attestation issued), one paid by their employer. Written through the payments module's
 * services (the administrator's price list, the enrolment all year), as the pages do. The demo
 * learner (apprenant@) keeps no unit enrolment, free for the journeys.
 */

const PRICES: { source: FundingSource; basis: PriceBasis; amountCents: number }[] = [
  { source: 'personal', basis: 'credit', amountCents: 4_500 },
  { source: 'cpf', basis: 'credit', amountCents: 9_000 },
  { source: 'region', basis: 'credit', amountCents: 7_500 },
  { source: 'aif', basis: 'credit', amountCents: 8_000 },
  { source: 'employer', basis: 'unit', amountCents: 72_000 },
];

export const creditsFundingLearners: { email: string; source: FundingSource; unit: string }[] = [
  { email: 'credits.personnel@demo.cursus.fr', source: 'personal', unit: 'NFA035' },
  { email: 'credits.cpf@demo.cursus.fr', source: 'cpf', unit: 'NFA031' },
  { email: 'credits.employeur@demo.cursus.fr', source: 'employer', unit: 'GRH101' },
];

export async function seedCreditsFunding(
  db: Db,
  clock: Clock,
  input: { adminEmail: string; password: string; period: string; baseUrl: string; secret: string; cashOffice: string },
): Promise<{ enrolments: number }> {
  const admin = await findUserByEmail(db, input.adminEmail);
  if (!admin) throw new Error('the credits demo’s price list needs the demo administrator');
  for (const line of PRICES) {
    const set = await setPrice({ db, clock }, { id: admin.id, role: admin.role }, line);
    if (!set.ok) throw new Error(`the credits demo’s price of ${line.source} is refused: ${JSON.stringify(set)}`);
  }
  const passwordHash = await hashPassword(input.password);
  const deps = { db, clock, baseUrl: input.baseUrl, secret: input.secret, cashOffice: input.cashOffice, profile: 'credits' as const };
  let enrolments = 0;
  for (const [n, learner] of creditsFundingLearners.entries()) {
    const learnerId = (await findUserByEmail(db, learner.email))?.id ?? (await demoLearner(db, clock, { n: 180 + n, email: learner.email, passwordHash }));
    const made = await enrolInUnit(deps, { learnerId, sessionCode: `${learner.unit}-${input.period}`, source: learner.source });
    if (!made.ok) throw new Error(`the credits demo’s enrolment of ${learner.email} is refused: ${JSON.stringify(made)}`);
    enrolments += 1;
  }
  return { enrolments };
}
