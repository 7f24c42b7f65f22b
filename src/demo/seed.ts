import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import type { Db } from '../db/database';
import type { StaffRole } from '../domain/vocabulary';
import { addLearnerAccount, createLearnerRecord, createStaffAccount, findUserByEmail } from '../modules/accounts';
import { seedCatalogue } from '../modules/catalogue';
import { commitDrawsAsTheJobWould } from '../modules/selection';
import { seedAttendanceDemo } from './attendance';
import { seedContactDemo } from './contact';
import { seedDeskDemo } from './desk';
import { seedCancellationDemo } from './cancellation';
import { seedCreditsDemo } from './credits';
import type { Profile } from '../domain/profile';
import { DEMO_LEGACY_EMAIL, DEMO_LEGACY_PASSWORD, seedLegacyDemo } from './legacy';
import { seedPaymentDemo } from './payment';
import { seedFiguresDemo } from './figures';
import { seedSelectionDemo } from './selection';
import { assignScope } from '../modules/scopes';
import type { Clock } from '../platform/clock';
import type { DevCode } from '../platform/dev.routes';
import { hashPassword } from '../platform/passwords';

/**
 * The demo (development and the browser journeys; refused in production): accounts, catalogue,
 * scopes and a selection under way, through the modules' own functions. It sits beside
 * `main.ts` because it uses several modules; the layers below never import it.
 */

export const DEMO_PASSWORD = 'Cursus-demo-2026';

/** Fixed TOTP secrets of the demo staff, so the README can tell them (demo only). */
export const demoStaff: { email: string; role: StaffRole; displayName: string; totpSecret: string }[] = [
  { email: 'formatrice@demo.cursus.fr', role: 'trainer', displayName: 'Inès Formatrice', totpSecret: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD' },
  { email: 'direction@demo.cursus.fr', role: 'school_head', displayName: 'Paul Directeur', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
  { email: 'coordination@demo.cursus.fr', role: 'coordinator', displayName: 'Awa Coordinatrice', totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' },
  { email: 'admin@demo.cursus.fr', role: 'admin', displayName: 'Louis Administrateur', totpSecret: 'ONSWG4TFOQQHIZLTOQQGC3TEEBZWK5DV' },
  // SVC-5: the help desk's counsellor (src/demo/desk.ts).
  { email: 'accueil@demo.cursus.fr', role: 'counsellor', displayName: 'Nadia Conseillère', totpSecret: 'KNSXE5TJMNSSAZDFEBQWGY3VMVUWY3DB' },
];
export const DEMO_LEARNER = 'apprenant@demo.cursus.fr';

/**
 * Seeds the demo: one learner with a complete record and one staff account of each role, all
 * with the password above. Idempotent; refused in production by the caller.
 */
export async function seedDemo(db: Db, clock: Clock): Promise<boolean> {
  if (await findUserByEmail(db, DEMO_LEARNER)) return false;
  const learner = await addLearnerAccount(db, clock, { email: DEMO_LEARNER, passwordHash: await hashPassword(DEMO_PASSWORD), mobilePhone: '+33612345678' });
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

/**
 * The demo staff's scopes, once the catalogue exists: the school head has the first school of
 * the 11th arrondissement, the coordinator that school and the foreign-languages domain, the
 * trainer three of that school's sessions. Idempotent.
 */
export async function seedDemoScopes(db: Db): Promise<void> {
  const school = await db.execute<{ code: string }>(sql`select code from schools where arrondissement = 11 order by code limit 1`);
  if (!school.rows[0]) return;
  const code = school.rows[0].code;
  const sessions = await db.execute<{ code: string }>(
    sql`select s.code from course_sessions s join schools sc on sc.id = s.school_id where sc.code = ${code} order by s.code limit 3`,
  );
  const byEmail = async (email: string) => (await findUserByEmail(db, email))?.id;
  const head = await byEmail('direction@demo.cursus.fr');
  const coordinator = await byEmail('coordination@demo.cursus.fr');
  const trainer = await byEmail('formatrice@demo.cursus.fr');
  if (head) await assignScope(db, { userId: head, schools: [code] });
  if (coordinator) await assignScope(db, { userId: coordinator, schools: [code], domains: ['langues-etrangeres'] });
  if (trainer) await assignScope(db, { userId: trainer, sessions: sessions.rows.map((r) => r.code) });
}

/**
 * The whole demo, in order: accounts, catalogue, staff scopes, the selection demo. Idempotent;
 * returns what it did, in words, for the command line.
 */
export async function seedEverything(db: Db, clock: Clock, options: { baseUrl: string; secret: string; cashOffice: string; catalogueSize?: number; profile?: Profile }): Promise<string[]> {
  const said: string[] = [];
  if (await seedDemo(db, clock)) said.push('Demo accounts created (see README).');
  // Issue 18: the credits profile's demo is a continuing-education centre, not the city's courses.
  if (options.profile === 'credits') return [...said, ...(await seedCreditsEverything(db, clock, options))];
  const catalogue = await seedCatalogue(db, clock, { sessions: options.catalogueSize });
  if (catalogue.created) said.push(`Demo catalogue created: ${catalogue.sessions} sessions.`);
  // SEL-2: each session's draw committed before its window opened, as the job does for a real catalogue.
  const draws = await commitDrawsAsTheJobWould(db, clock);
  if (draws) said.push(`Draws committed (SEL-2): ${draws} sessions.`);
  await seedDemoScopes(db);
  const desk = await seedDeskDemo(db, clock, 'accueil@demo.cursus.fr');
  if (desk) said.push(`Help desk demo: the counsellor accueil@demo.cursus.fr registers learners at "${desk.desk}" (/personnel/accueil).`);
  // ACC-9: the former system's accounts, once the catalogue has their courses.
  const legacy = await seedLegacyDemo(db, clock);
  if (legacy) said.push(`Former accounts imported (${legacy.accounts}): the demo learner links ${DEMO_LEGACY_EMAIL} / ${DEMO_LEGACY_PASSWORD} from "Mon ancien compte".`);
  const selection = await seedSelectionDemo(db, clock, { password: DEMO_PASSWORD, learnerEmail: DEMO_LEARNER, baseUrl: options.baseUrl });
  if (selection) said.push(`Selection demo: session ${selection.selection} awaits its selection; the demo learner has a place offered in ${selection.offer}.`);
  if (selection) {
    const payment = await seedPaymentDemo(db, clock, { learnerEmail: DEMO_LEARNER, baseUrl: options.baseUrl, exceptSessions: [selection.selection, selection.offer] });
    if (payment) said.push(`Payment demo: the demo learner's enrolment in ${payment.session} awaits payment (pay it through the simulated PayFiP).`);
    const attendance = await seedAttendanceDemo(
      { db, clock, baseUrl: options.baseUrl, secret: options.secret, cashOffice: options.cashOffice },
      { password: DEMO_PASSWORD, learnerEmail: DEMO_LEARNER, exceptSessions: [selection.selection, selection.offer, ...(payment ? [payment.session] : [])] },
    );
    if (attendance) {
      said.push(`Attendance demo: session ${attendance.register} is under way; its latest register awaits the demo trainer; ${attendance.streak} has missed three meetings in a row.`);
      if (attendance.next) said.push(`Certification demo: the demo learner passed ${attendance.passed} last year; "Mon niveau suivant" offers ${attendance.next}.`);
    }
    const cancelled = await seedCancellationDemo(db, clock, {
      baseUrl: options.baseUrl,
      exceptSessions: [selection.selection, selection.offer, ...(payment ? [payment.session] : []), ...(attendance ? [attendance.register] : [])],
      exceptCourses: attendance?.next ? [attendance.next] : [],
    });
    if (cancelled) said.push(`Cancellation demo (SVC-2): session ${cancelled.session} was cancelled by the service; ${cancelled.told} learner(s) told by email and SMS.`);
  }
  // SVC-1: two messages of the demo learner, one answered by the central service.
  const contact = await seedContactDemo(db, clock, { learnerEmail: DEMO_LEARNER, baseUrl: options.baseUrl });
  if (contact) said.push(`Contact demo: the demo learner's message ${contact.answered} is answered${contact.waiting ? `; ${contact.waiting} (marks) waits in its school's queue` : ''} ("Mes messages au service").`);
  const figures = await seedFiguresDemo(db, clock, { password: DEMO_PASSWORD });
  if (figures) said.push(`Figures demo: ${figures.applications} applications in ${figures.sessions} sessions of the current period; the demo coordinator reads them at /personnel/chiffres.`);
  return said;
}

/** Issue 18, CRED-1, CRED-2: the credits demo (CURSUS_PROFILE=credits): units, programmes, the learner's progress. */
async function seedCreditsEverything(db: Db, clock: Clock, options: { baseUrl: string; secret: string; cashOffice: string }): Promise<string[]> {
  const email = (role: StaffRole) => demoStaff.find((s) => s.role === role)!.email;
  const credits = await seedCreditsDemo(db, clock, {
    adminEmail: email('admin'),
    learnerEmail: DEMO_LEARNER,
    headEmail: email('school_head'),
    coordinatorEmail: email('coordinator'),
    trainerEmail: email('trainer'),
    password: DEMO_PASSWORD,
    ...options,
  });
  if (!credits) return [];
  return [
    `Credits demo (CURSUS_PROFILE=credits): ${credits.units} teaching units in ${credits.sessions} sessions over two semesters, ${credits.programmes} programmes.`,
    'Credits demo: the demo learner earned 3 units toward the certificate CC13 they follow ("Mes cursus", /compte/cursus).',
    'Credits demo: the demo learner follows GLG101 remotely; their connection hours are imported ("Mes heures de connexion", /compte/heures-de-connexion; staff: /personnel/connexions).',
    ...(credits.documents
      ? [`Credits demo (CRED-4): ${credits.documents.graduate} completed the licence LP-INFO (ask for its diploma from "Mes cursus"); their ${credits.documents.pending} diploma request waits for the administrator (/personnel/diplomes).`]
      : []),
    `Credits demo (CRED-5): the price list set (/personnel/admin/tarifs); ${credits.enrolments} learners enrolled in a unit, credits.personnel@ (personal, awaiting payment), credits.cpf@ (CPF, the funder's attestation), credits.employeur@ (employer).`,
  ];
}

/** The current TOTP codes of the demo staff accounts that exist, for the development mailbox. */
export async function demoStaffCodes(db: Db, clock: Clock): Promise<DevCode[]> {
  const epoch = Math.floor(clock.now().getTime() / 1000);
  const codes: DevCode[] = [];
  for (const staff of demoStaff) {
    const user = await findUserByEmail(db, staff.email);
    if (user?.totpSecret && user.role !== 'learner') codes.push({ email: user.email, role: user.role, code: await generate({ secret: user.totpSecret, epoch }) });
  }
  return codes;
}
