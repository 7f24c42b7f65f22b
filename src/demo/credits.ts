import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import { findUserByEmail, parisDay } from '../modules/accounts';
import { applyCatalogue, catalogueIds, rowSchemas, unitCount, type CatalogueRows } from '../modules/catalogue';
import { recordEarnedUnit } from '../modules/certification';
import { followProgramme, programmeCount, saveProgramme } from '../modules/programmes';
import { assignScope } from '../modules/scopes';
import { seedCreditsConnections } from './credits-connections';
import { seedCreditsDocuments } from './credits-documents';
import { seedCreditsExams } from './credits-exams';
import { seedCreditsFunding } from './credits-funding';
import type { Clock } from '../platform/clock';
import { setPolicy } from '../platform/policies';

/**
 * The credits demo (issue 18, CRED-1, CRED-2; `CURSUS_PROFILE=credits`): a continuing-education
 * centre after seed 004 (the Cnam FAQ) instead of the city's courses. Thirty teaching units over
 * the two semesters of this academic year (and the next year's first), mostly remote on the
 * learning environment, a few evening classes in person; three programmes; the demo learner with
 * three units earned toward the certificate they follow, enrolled in a remote unit of this
 * semester with their connection hours imported (credits-connections.ts); a graduate with a
 * licence complete and a diploma request pending (credits-documents.ts). Written through the catalogue's import
 * rows (so CRED-1's checks of credits and hours run on it) and the programmes' own form.
 */

type UnitSpec = [code: string, title: string, domain: string, credits: 4 | 6 | 8 | 12, hours: number, semester: 1 | 2, mode: 'remote' | 'in_person' | 'hybrid'];

const UNITS: UnitSpec[] = [
  ['NFA031', 'Programmation Java : initiation', 'Informatique', 6, 60, 1, 'remote'],
  ['NFA032', 'Programmation Java : programmation objet', 'Informatique', 6, 60, 2, 'remote'],
  ['NFA035', 'Bases de données relationnelles', 'Informatique', 6, 55, 1, 'remote'],
  ['NFA084', 'Bases de données avancées', 'Informatique', 6, 55, 2, 'remote'],
  ['NFE107', 'Urbanisation et architecture des systèmes d’information', 'Informatique', 6, 50, 1, 'remote'],
  ['NFE114', 'Systèmes d’information web', 'Informatique', 6, 55, 2, 'remote'],
  ['NFP121', 'Programmation avancée', 'Informatique', 6, 60, 2, 'in_person'],
  ['GLG101', 'Génie logiciel : méthodes et outils', 'Informatique', 6, 50, 1, 'remote'],
  ['RSX101', 'Réseaux et protocoles pour l’internet', 'Informatique', 6, 55, 1, 'remote'],
  ['SEC101', 'Cybersécurité : référentiel et bonnes pratiques', 'Informatique', 6, 50, 2, 'remote'],
  ['NFA008', 'Algorithmique et structures de données', 'Informatique', 8, 70, 1, 'in_person'],
  ['MVA101', 'Mathématiques pour l’informatique', 'Informatique', 8, 70, 2, 'remote'],
  ['UTC501', 'Outils mathématiques pour l’informatique', 'Informatique', 4, 40, 1, 'remote'],
  ['UTC502', 'Principes fondamentaux des systèmes d’exploitation', 'Informatique', 4, 40, 2, 'remote'],
  ['NFE204', 'Bases de données documentaires et distribuées', 'Informatique', 12, 100, 2, 'remote'],
  ['GRH101', 'Gestion des ressources humaines : les fondamentaux', 'Ressources humaines', 6, 50, 1, 'remote'],
  ['GRH102', 'Gestion des emplois et des compétences', 'Ressources humaines', 6, 50, 2, 'remote'],
  ['DRS101', 'Droit du travail : relations individuelles', 'Ressources humaines', 8, 65, 1, 'remote'],
  ['DRS102', 'Droit du travail : relations collectives', 'Ressources humaines', 4, 40, 2, 'remote'],
  ['PAI101', 'Techniques de paie : les bases', 'Ressources humaines', 12, 100, 1, 'in_person'],
  ['PAI102', 'Techniques de paie : cas complexes et déclarations sociales', 'Ressources humaines', 12, 100, 2, 'in_person'],
  ['CFA109', 'Comptabilité générale appliquée', 'Gestion', 6, 50, 1, 'remote'],
  ['CFA110', 'Contrôle de gestion', 'Gestion', 6, 55, 2, 'remote'],
  ['ESC101', 'Mercatique : les fondamentaux', 'Gestion', 6, 50, 1, 'remote'],
  ['MSE147', 'Management social et humain', 'Management', 6, 50, 2, 'hybrid'],
  ['TET102', 'Management de projet', 'Management', 4, 40, 1, 'remote'],
  ['DNF001', 'Conduite de réunion et communication professionnelle', 'Management', 4, 40, 2, 'remote'],
  ['ANG320', 'Anglais professionnel', 'Langues', 6, 50, 1, 'remote'],
  ['ANG330', 'Anglais pour la communication internationale', 'Langues', 6, 50, 2, 'remote'],
  ['FAD111', 'Apprendre à distance : méthodes et outils', 'Méthodologie', 4, 40, 1, 'remote'],
];

/** The programmes, as the administrator's form takes them (CRED-1). */
const PROGRAMMES: Record<string, string>[] = [
  {
    code: 'CC13',
    title: 'Certificat de compétence Programmeur d’applications',
    kind: 'certificate',
    required_credits: '30',
    mandatory: 'NFA031, NFA032, NFA035',
    choose_1: '2',
    units_1: 'NFE107, NFA084, NFP121, NFE114',
  },
  {
    code: 'LP-INFO',
    title: 'Licence professionnelle Métiers de l’informatique',
    kind: 'diploma',
    required_credits: '60',
    mandatory: 'NFA031, NFA032, NFA035, GLG101, RSX101',
    choose_1: '3',
    units_1: 'NFA084, NFE107, NFE114, NFP121, SEC101, NFE204',
    choose_2: '1',
    units_2: 'ANG320, ANG330',
    choose_3: '1',
    units_3: 'TET102, DNF001, UTC501',
  },
  {
    code: 'RNCP-PAIE',
    title: 'Titre professionnel Gestionnaire de paie',
    kind: 'professional_title',
    required_credits: '48',
    mandatory: 'PAI101, PAI102, DRS101',
    choose_1: '2',
    units_1: 'GRH101, GRH102, DRS102, CFA109',
  },
];

/** The units the demo learner passed (kept for life), toward CC13, which they follow. */
const EARNED: [code: string, earnedOn: (year: number) => string][] = [
  ['NFA031', (y) => `${y - 1}-01-20`],
  ['NFA035', (y) => `${y - 1}-01-24`],
  ['NFE107', (y) => `${y - 1}-06-12`],
];

const hours = (from: string, to: string) => `${from}-${to}`;

/** The academic year under way: it starts in October (from July on, the coming one). */
function academicYear(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 7 ? year : year - 1;
}

export async function seedCreditsDemo(db: Db, clock: Clock, options: { adminEmail: string; learnerEmail: string; headEmail: string; coordinatorEmail: string; trainerEmail: string; password: string; baseUrl: string; secret: string; cashOffice: string }): Promise<{ units: number; programmes: number; sessions: number; enrolments: number; documents: { graduate: string; pending: string } | null } | null> {
  const existing = await db.execute<{ n: number }>(sql`select count(*)::int as n from course_sessions`);
  if (existing.rows[0].n > 0) return null;
  const today = parisDay(clock.now());
  const y = academicYear(today);
  // CRED-2: enrolment is possible all year: each semester's window opens in June and stays open until the semester ends.
  const semesterPeriods = [
    { code: `S1-${y}`, name: `1er semestre ${y}-${y + 1}`, semester: 1 as const, from: `${y}-10-15`, to: `${y + 1}-01-15`, opens: `${y}-06-01` },
    { code: `S2-${y + 1}`, name: `2e semestre ${y}-${y + 1}`, semester: 2 as const, from: `${y + 1}-02-15`, to: `${y + 1}-05-31`, opens: `${y}-06-01` },
    { code: `S1-${y + 1}`, name: `1er semestre ${y + 1}-${y + 2}`, semester: 1 as const, from: `${y + 1}-10-15`, to: `${y + 2}-01-15`, opens: `${y + 1}-06-01` },
  ];
  const raw = {
    periods: semesterPeriods.map((p) => ({ code: p.code, name: p.name, applications_open_at: `${p.opens}T09:00:00+02:00`, applications_close_at: `${p.to}T23:00:00+01:00`, answers_from: p.opens, answers_until: p.to })),
    schools: [
      { code: 'ENF', name: 'Espace numérique de formation (à distance)', area: 'À distance', address: '989 rue de la Croix verte', postal_code: '34093', city: 'Montpellier' },
      { code: 'MTP', name: 'Centre de Montpellier – cours du soir', area: 'Montpellier', address: '989 rue de la Croix verte', postal_code: '34093', city: 'Montpellier' },
    ],
    courses: UNITS.map(([code, title, domain, credits, volume, semester, mode]) => ({
      code,
      title,
      domain,
      objectives: `Acquérir les compétences de l’unité « ${title} », validée par un examen (deux sessions par an).`,
      audience: 'Adultes en activité ou en recherche d’emploi, salariés, indépendants.',
      prerequisites: 'Niveau baccalauréat ou expérience professionnelle équivalente.',
      programme: `${volume} heures de formation${mode === 'remote' ? ' à distance : cours en ligne en direct ou en différé, ressources, forums' : mode === 'hybrid' ? ', en partie à distance et en partie en cours du soir' : ' en cours du soir, en présentiel'}.`,
      rhythm: semester === 1 ? 'semester1' : 'semester2',
      mode,
      hourly_volume: String(volume),
      full_rate: String(credits * 45),
      half_rate: String(credits * 20),
      prepares_diploma: 'oui',
      has_evaluation: 'oui',
      admission_test: 'none',
      ects_credits: String(credits),
      semester: String(semester),
    })),
  };
  const rows: CatalogueRows = { periods: [], schools: [], courses: [], sessions: [] };
  for (const file of ['periods', 'schools', 'courses'] as const)
    for (const record of raw[file]) {
      const parsed = rowSchemas[file].safeParse(record);
      if (!parsed.success) throw new Error(`the credits demo's ${file} are invalid: ${JSON.stringify(parsed.error.issues)}`);
      (rows[file] as unknown[]).push(parsed.data);
    }
  // Remote units' live classes spread over four evenings, so that a learner can follow several in a
  // semester (APP-3: one application per day and time slot).
  const evenings = ['lundi', 'mardi', 'mercredi', 'jeudi'];
  for (const [index, [code, , , , , semester, mode]] of UNITS.entries())
    for (const period of semesterPeriods.filter((p) => p.semester === semester)) {
      const remote = mode === 'remote';
      const parsed = rowSchemas.sessions.safeParse({
        code: `${code}-${period.code}`,
        course: code,
        school: remote ? 'ENF' : 'MTP',
        period: period.code,
        trainer: '',
        capacity: remote ? '120' : '24',
        first_meeting: period.from,
        last_meeting: period.to,
        // Remote units: a weekly live class in the evening; in person: two evenings a week.
        slots: remote ? `${evenings[index % evenings.length]} ${hours('18:30', '20:30')}` : `lundi ${hours('18:30', '21:30')}; jeudi ${hours('18:30', '21:30')}`,
        runs_in_school_holidays: 'non',
      });
      if (!parsed.success) throw new Error(`the credits demo's sessions are invalid: ${JSON.stringify(parsed.error.issues)}`);
      rows.sessions.push(parsed.data);
    }
  await db.transaction((tx) => applyCatalogue(tx, rows));

  const admin = await findUserByEmail(db, options.adminEmail);
  if (!admin) throw new Error('the credits demo needs the demo administrator');
  for (const values of PROGRAMMES) {
    const saved = await saveProgramme({ db, clock }, { actor: { id: admin.id, role: admin.role }, values, creating: true });
    if (!saved.ok) throw new Error(`the credits demo's programme ${values.code} is refused: ${JSON.stringify(saved)}`);
  }

  const learner = await findUserByEmail(db, options.learnerEmail);
  if (learner) {
    const ids = (await catalogueIds(db, { courses: EARNED.map(([code]) => code) })).courses;
    await db.transaction(async (tx) => {
      for (const [code, on] of EARNED) await recordEarnedUnit(tx, clock, { learnerId: learner.id, courseId: ids.get(code)!, earnedOn: on(y) });
    });
    await followProgramme({ db, clock }, { learnerId: learner.id, code: 'CC13' });
  }

  // The staff's scopes: the school head and the coordinator the evening centre and the remote one, the trainer three sessions.
  const byEmail = async (email: string) => (await findUserByEmail(db, email))?.id;
  const head = await byEmail(options.headEmail);
  const coordinator = await byEmail(options.coordinatorEmail);
  const trainer = await byEmail(options.trainerEmail);
  if (head) await assignScope(db, { userId: head, schools: ['MTP', 'ENF'] });
  if (coordinator) await assignScope(db, { userId: coordinator, schools: ['MTP', 'ENF'] });
  if (trainer) await assignScope(db, { userId: trainer, sessions: rows.sessions.slice(0, 3).map((s) => s.code) });
  await seedCreditsExams(db, clock, { year: y, adminEmail: options.adminEmail, learnerEmail: options.learnerEmail, units: UNITS.map(([code, , , , , semester]) => ({ code, semester })) });
  // A continuing-education centre follows the FAQ's advice of 2–3 units a semester as advice
  // (shown beyond 3, CRED-2), not as APP-5's cap: the cap of live enrolments is set above it.
  await setPolicy(db, 'maxActiveApplications', 6, admin?.id ?? null);
  await seedCreditsConnections(db, clock, { learnerEmail: options.learnerEmail, password: options.password, year: y });
  const documents = await seedCreditsDocuments(db, clock, { year: y, password: options.password, baseUrl: options.baseUrl, secret: options.secret });
  const { enrolments } = await seedCreditsFunding(db, clock, { ...options, period: semesterPeriods[0].code });
  return { units: await unitCount(db), programmes: await programmeCount(db), sessions: rows.sessions.length, enrolments, documents };
}
