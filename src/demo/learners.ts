import type { Db } from '../db/database';
import type { Clock } from '../platform/clock';
import { addLearnerAccount, createLearnerRecord } from '../modules/accounts';
import { situations } from '../domain/vocabulary';
import { applicationEvents, applications } from '../modules/applications/applications.table';

const FIRST_NAMES = ['Amina', 'Bruno', 'Chloé', 'Djibril', 'Élodie', 'Farid', 'Grace', 'Hugo', 'Inès', 'Jules', 'Kenza', 'Louis', 'Maya', 'Nabil', 'Océane'];
const LAST_NAMES = ['Bernard', 'Diallo', 'Dubois', 'Fontaine', 'Garcia', 'Haddad', 'Lefèvre', 'Moreau', 'Nguyen', 'Petit', 'Roux', 'Traoré'];

/** A demo learner: an active account with a learner record (a mobile phone), the demo password. */
export async function demoLearner(db: Db, clock: Clock, input: { n: number; email: string; passwordHash: string }): Promise<string> {
  const { n } = input;
  const phone = `+3361234${String(5000 + n)}`;
  const user = await addLearnerAccount(db, clock, { email: input.email, passwordHash: input.passwordHash, mobilePhone: phone });
  await createLearnerRecord(
    { db, clock },
    {
      userId: user.id,
      record: {
        civility: n % 2 ? 'MME' : 'M',
        lastName: LAST_NAMES[n % LAST_NAMES.length],
        birthName: null,
        firstName: FIRST_NAMES[n % FIRST_NAMES.length],
        birthDate: `19${60 + (n % 40)}-0${1 + (n % 9)}-1${n % 10}`,
        birthCountry: 'FR',
        address: `${n} rue de la Roquette`,
        addressComplement1: null,
        addressComplement2: null,
        postalCode: '75011',
        city: 'Paris',
        country: 'FR',
        mobilePhone: phone,
        landlinePhone: null,
        heardFrom: 'internet',
      },
    },
  );
  return user.id;
}

/** A demo learner's application, confirmed within the period's window (`now` less some weeks), with its events. */
export async function demoApplication(db: Db, input: { learnerId: string; session: { id: number; course_id: number }; n: number; now: Date; confirmedAt?: Date }) {
  const { learnerId, session, n } = input;
  const confirmedAt = input.confirmedAt ?? new Date(input.now.getTime() - (40 - (n % 9)) * 86_400_000);
  const [row] = await db
    .insert(applications)
    .values({
      learnerId,
      sessionId: session.id,
      courseId: session.course_id,
      status: 'confirmed',
      situation: situations[n % situations.length],
      objective: n % 3 ? 'professional' : 'personal',
      motivations: 'Je souhaite progresser pour mon travail et ma vie quotidienne.',
      rulesAcceptedAt: confirmedAt,
      createdAt: confirmedAt,
      confirmedAt,
    })
    .returning();
  await db.insert(applicationEvents).values([
    { applicationId: row.id, at: confirmedAt, actorId: learnerId, fromStatus: null, toStatus: 'preselected' },
    { applicationId: row.id, at: confirmedAt, actorId: learnerId, fromStatus: 'preselected', toStatus: 'confirmed' },
  ]);
  return row;
}
