import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';
import type { AdmissionTest, Mode, Rhythm, Slot } from '../../domain/vocabulary';
import { meetingDates, meetingHours } from './catalogue.rules';
import { closedDays } from './catalogue.service';
import { applyCatalogue, slugOf, type CourseRow, type PeriodRow, type SchoolRow, type SessionRow } from './catalogue.import';
import { domains } from './catalogue.table';
import { importBundledHolidays } from './holidays.import';

/**
 * The demo catalogue: the domains of the real service, about sixty courses that read like its
 * catalogue, schools in the twenty arrondissements, and sessions over three registration periods
 * placed around the demo's "now" (one open, one to come, one closed). Deterministic: the same
 * size gives the same catalogue. `sessions` can be raised (20 000) for benchmarks.
 */

/** [the templates' key, the domain's name]; its address slug is made from the name. */
const DOMAINS: [key: string, name: string][] = [
  ['langue-francaise', 'Langue française'],
  ['langues-etrangeres', 'Langues étrangères'],
  ['bureautique-internet', 'Bureautique et internet'],
  ['metiers-informatique', 'Métiers de l’informatique'],
  ['artisanat-metiers-art', 'Artisanat et métiers d’art'],
  ['enseignement-general', 'Enseignement général'],
  ['entreprise', 'Entreprise'],
  ['environnement', 'Environnement'],
  ['sanitaire-social', 'Sanitaire et social'],
  ['accompagnement-professionnel', 'Accompagnement professionnel'],
  ['arts-appliques', 'Arts appliqués et design'],
];

type Template = {
  domain: string;
  title: string;
  hours: number;
  rhythm: Rhythm;
  mode?: Mode;
  capacity?: number;
  level?: string;
  previous?: string;
  evaluation?: boolean;
  diploma?: boolean;
  test?: AdmissionTest;
  objectives: string;
};

const T = (domain: string, title: string, hours: number, rhythm: Rhythm, objectives: string, extra: Partial<Template> = {}): Template => ({
  domain,
  title,
  hours,
  rhythm,
  objectives,
  ...extra,
});

const TEMPLATES: Template[] = [
  T('langue-francaise', 'Alphabétisation – lire et écrire le français', 120, 'annual', 'Apprendre à lire et à écrire des mots et des phrases simples de la vie quotidienne.', { test: 'positioning_first_day' }),
  T('langue-francaise', 'Français langue étrangère – niveau A1', 120, 'annual', 'Se présenter, poser des questions simples et comprendre des phrases courantes.', { level: 'A1', test: 'positioning_first_day', evaluation: true }),
  T('langue-francaise', 'Français langue étrangère – niveau A2', 120, 'annual', 'Échanger sur des sujets familiers et rédiger des messages courts.', { level: 'A2', previous: 'Français langue étrangère – niveau A1', test: 'positioning_first_day', evaluation: true }),
  T('langue-francaise', 'Français langue étrangère – niveau B1', 120, 'annual', 'Raconter, argumenter simplement et comprendre l’essentiel d’un texte.', { level: 'B1', previous: 'Français langue étrangère – niveau A2', test: 'positioning_first_day', evaluation: true }),
  T('langue-francaise', 'Français langue étrangère – niveau B2', 120, 'annual', 'S’exprimer avec aisance à l’oral comme à l’écrit, au travail et au quotidien.', { level: 'B2', previous: 'Français langue étrangère – niveau B1', test: 'anticipated_test', evaluation: true }),
  T('langue-francaise', 'Français écrit professionnel', 60, 'semester1', 'Rédiger courriels, comptes rendus et lettres professionnelles sans fautes.', { evaluation: true }),
  T('langue-francaise', 'Préparation au DELF B1', 60, 'semester2', 'Se préparer aux épreuves écrites et orales du DELF B1.', { diploma: true, test: 'anticipated_test' }),
  T('langues-etrangeres', 'Anglais – niveau 1', 60, 'annual', 'Comprendre et utiliser des expressions familières et quotidiennes.', { level: '1', evaluation: true }),
  T('langues-etrangeres', 'Anglais – niveau 2', 60, 'annual', 'Communiquer lors de tâches simples et habituelles.', { level: '2', previous: 'Anglais – niveau 1', evaluation: true, test: 'positioning_first_day' }),
  T('langues-etrangeres', 'Anglais – niveau 3', 60, 'annual', 'Se débrouiller dans la plupart des situations rencontrées en voyage.', { level: '3', previous: 'Anglais – niveau 2', evaluation: true, test: 'positioning_first_day' }),
  T('langues-etrangeres', 'Anglais professionnel', 40, 'semester2', 'Mener un appel, une réunion et un échange écrit en anglais au travail.', { test: 'interview' }),
  T('langues-etrangeres', 'Espagnol – niveau 1', 60, 'annual', 'Acquérir les bases de l’espagnol pour les situations courantes.', { level: '1', evaluation: true }),
  T('langues-etrangeres', 'Espagnol – niveau 2', 60, 'annual', 'Parler de soi, de ses projets et de son environnement en espagnol.', { level: '2', previous: 'Espagnol – niveau 1', evaluation: true }),
  T('langues-etrangeres', 'Allemand – niveau 1', 60, 'annual', 'Découvrir l’allemand et tenir une conversation simple.', { level: '1', evaluation: true }),
  T('langues-etrangeres', 'Italien – niveau 1', 60, 'annual', 'Comprendre et parler l’italien des situations de tous les jours.', { level: '1', evaluation: true }),
  T('langues-etrangeres', 'Chinois mandarin – initiation', 60, 'annual', 'Prononciation, premiers caractères et phrases utiles en mandarin.', { level: '1' }),
  T('langues-etrangeres', 'Arabe littéral – initiation', 60, 'annual', 'Lire et écrire l’alphabet arabe, premières phrases.', { level: '1' }),
  T('langues-etrangeres', 'Portugais – niveau 1', 60, 'annual', 'Les bases du portugais pour échanger au quotidien.', { level: '1' }),
  T('bureautique-internet', 'Premiers pas en informatique', 30, 'intensive', 'Utiliser la souris, le clavier, ranger ses fichiers et naviguer sur internet.', { capacity: 15 }),
  T('bureautique-internet', 'Internet et démarches en ligne', 30, 'semester1', 'Créer une adresse électronique, faire ses démarches en ligne en sécurité.', { capacity: 15 }),
  T('bureautique-internet', 'Traitement de texte – Word', 40, 'semester1', 'Mettre en forme un courrier, un CV, un document long.', { capacity: 15, evaluation: true }),
  T('bureautique-internet', 'Tableur – Excel niveau 1', 40, 'semester1', 'Construire un tableau, des formules et des graphiques simples.', { capacity: 15, evaluation: true, level: '1' }),
  T('bureautique-internet', 'Tableur – Excel niveau 2', 40, 'semester2', 'Tableaux croisés, fonctions de recherche, mises en forme conditionnelles.', { capacity: 15, evaluation: true, level: '2', previous: 'Tableur – Excel niveau 1' }),
  T('bureautique-internet', 'Présentations – PowerPoint', 20, 'intensive', 'Concevoir une présentation claire et la présenter.', { capacity: 15 }),
  T('metiers-informatique', 'Développement web – HTML et CSS', 90, 'annual', 'Créer des pages web accessibles et adaptées aux mobiles.', { capacity: 15, evaluation: true, mode: 'hybrid' }),
  T('metiers-informatique', 'Programmation Python', 90, 'annual', 'Écrire des programmes Python pour automatiser des tâches.', { capacity: 15, evaluation: true, mode: 'hybrid', test: 'anticipated_test' }),
  T('metiers-informatique', 'Bases de données et SQL', 60, 'semester2', 'Concevoir une base de données et l’interroger en SQL.', { capacity: 15, evaluation: true }),
  T('metiers-informatique', 'Administration de réseaux', 90, 'annual', 'Installer et maintenir un réseau local d’entreprise.', { capacity: 15, evaluation: true, test: 'interview' }),
  T('metiers-informatique', 'Maintenance informatique', 60, 'semester1', 'Diagnostiquer et réparer un ordinateur, installer un système.', { capacity: 12 }),
  T('artisanat-metiers-art', 'Ébénisterie', 120, 'annual', 'Concevoir et réaliser un meuble, du dessin à la finition.', { capacity: 12, evaluation: true, diploma: true }),
  T('artisanat-metiers-art', 'Cuisine française', 90, 'annual', 'Les techniques de base de la cuisine française et les menus de saison.', { capacity: 12, evaluation: true, diploma: true }),
  T('artisanat-metiers-art', 'Pâtisserie', 90, 'annual', 'Pâtes, crèmes et entremets de la pâtisserie traditionnelle.', { capacity: 12, evaluation: true }),
  T('artisanat-metiers-art', 'Couture et retouches', 60, 'annual', 'Réaliser des retouches et coudre un vêtement simple.', { capacity: 12 }),
  T('artisanat-metiers-art', 'Tapisserie d’ameublement', 90, 'annual', 'Garnir et couvrir un siège de façon traditionnelle.', { capacity: 12, evaluation: true }),
  T('artisanat-metiers-art', 'Reliure', 60, 'annual', 'Relier un livre, réaliser une couverture et une dorure simple.', { capacity: 12 }),
  T('artisanat-metiers-art', 'Céramique et poterie', 60, 'annual', 'Modeler, tourner et émailler des pièces en terre.', { capacity: 12 }),
  T('enseignement-general', 'Mathématiques – remise à niveau', 60, 'annual', 'Revoir les calculs, les fractions, les pourcentages et la géométrie.', { test: 'positioning_first_day' }),
  T('enseignement-general', 'Préparation au DAEU', 120, 'annual', 'Préparer le diplôme d’accès aux études universitaires.', { diploma: true, test: 'anticipated_test', evaluation: true }),
  T('enseignement-general', 'Français – remise à niveau', 60, 'annual', 'Consolider orthographe, grammaire et expression écrite.', { test: 'positioning_first_day' }),
  T('enseignement-general', 'Histoire de l’art', 40, 'annual', 'Les grandes périodes de l’art à travers les œuvres des musées parisiens.', {}),
  T('enseignement-general', 'Culture générale et actualité', 40, 'semester1', 'Comprendre l’actualité, ses enjeux et en débattre.', {}),
  T('entreprise', 'Comptabilité générale', 90, 'annual', 'Tenir la comptabilité d’une petite entreprise jusqu’au bilan.', { evaluation: true, diploma: true }),
  T('entreprise', 'Gestion de la paie', 60, 'semester2', 'Établir des bulletins de paie et les déclarations sociales.', { evaluation: true }),
  T('entreprise', 'Créer son entreprise', 40, 'semester1', 'Bâtir son projet : étude de marché, statut, financement.', { test: 'interview' }),
  T('entreprise', 'Secrétariat et accueil', 60, 'annual', 'Organiser l’accueil, le courrier et l’agenda d’un service.', { evaluation: true }),
  T('entreprise', 'Droit du travail – les bases', 30, 'semester2', 'Contrat, durée du travail, rupture : les règles essentielles.', {}),
  T('environnement', 'Jardinage urbain', 40, 'semester2', 'Cultiver un potager sur un balcon ou dans un jardin partagé.', {}),
  T('environnement', 'Métiers de l’énergie et rénovation', 60, 'annual', 'Comprendre la rénovation énergétique des logements.', { evaluation: true }),
  T('environnement', 'Tri, réemploi et réparation', 20, 'intensive', 'Réparer ses objets et réduire ses déchets au quotidien.', {}),
  T('sanitaire-social', 'Préparation au concours d’aide-soignant', 90, 'annual', 'Se préparer aux épreuves d’entrée en institut de formation.', { test: 'interview', diploma: true }),
  T('sanitaire-social', 'Premiers secours (PSC1)', 8, 'intensive', 'Les gestes qui sauvent : alerter, protéger, secourir.', { capacity: 10, evaluation: true, diploma: true }),
  T('sanitaire-social', 'Accompagner une personne âgée', 40, 'semester1', 'Aider au quotidien une personne âgée à domicile.', {}),
  T('sanitaire-social', 'Langue des signes française – niveau 1', 60, 'annual', 'Communiquer simplement en LSF.', { level: '1', evaluation: true }),
  T('accompagnement-professionnel', 'Techniques de recherche d’emploi', 20, 'intensive', 'CV, lettre, entretien : se préparer à chercher un emploi.', {}),
  T('accompagnement-professionnel', 'Construire son projet professionnel', 30, 'semester1', 'Faire le point sur ses compétences et choisir une orientation.', { test: 'interview' }),
  T('accompagnement-professionnel', 'Prise de parole en public', 20, 'intensive', 'Parler avec assurance devant un groupe.', {}),
  T('arts-appliques', 'Dessin et croquis', 60, 'annual', 'Observer, esquisser et dessiner d’après modèle.', { capacity: 20 }),
  T('arts-appliques', 'Photographie numérique', 40, 'semester1', 'Maîtriser son appareil, la lumière et la retouche.', { capacity: 15 }),
  T('arts-appliques', 'Infographie – PAO', 60, 'semester2', 'Mettre en page affiches et brochures avec des logiciels libres.', { capacity: 15, evaluation: true }),
  T('arts-appliques', 'Design d’intérieur – initiation', 40, 'semester2', 'Aménager un espace : plans, couleurs, matériaux.', {}),
];

const STREETS = [
  'rue de Rivoli', 'rue Montorgueil', 'rue de Turbigo', 'rue des Francs-Bourgeois', 'rue Saint-Jacques', 'rue de Vaugirard',
  'rue de Grenelle', 'rue de Courcelles', 'rue de Provence', 'rue du Faubourg-Saint-Denis', 'rue Oberkampf', 'avenue Daumesnil',
  'boulevard Auguste-Blanqui', 'rue d’Alésia', 'rue de la Convention', 'rue de Passy', 'rue Legendre', 'rue Ordener',
  'rue de Belleville', 'rue des Pyrénées', 'rue Keller', 'rue de Charonne', 'rue de Tolbiac', 'rue Championnet',
];
const SCHOOL_KINDS = ['École élémentaire', 'Collège', 'Lycée', 'Centre de formation'];
const TRAINERS = ['Mme Bernard', 'M. Petit', 'Mme Robert', 'M. Richard', 'Mme Durand', 'M. Leroy', 'Mme Moreau', 'M. Simon', 'Mme Laurent', 'M. Michel', 'Mme Garcia', 'M. Nguyen'];

/** A small seeded random generator (mulberry32): the same demo every time. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)], int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

const day = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
/** The Monday on or after a date. */
const nextMonday = (d: Date) => new Date(d.getTime() + ((8 - ((d.getUTCDay() + 6) % 7 + 1)) % 7) * day);

const SLOT_PATTERNS: Slot[][] = [
  [{ weekday: 1, startsAt: '18:30', endsAt: '20:30' }],
  [{ weekday: 2, startsAt: '18:30', endsAt: '20:30' }],
  [{ weekday: 3, startsAt: '19:00', endsAt: '21:00' }],
  [{ weekday: 4, startsAt: '18:30', endsAt: '20:30' }],
  [{ weekday: 5, startsAt: '18:00', endsAt: '20:00' }],
  [{ weekday: 6, startsAt: '09:30', endsAt: '12:30' }],
  [{ weekday: 2, startsAt: '14:00', endsAt: '17:00' }],
  [{ weekday: 3, startsAt: '09:00', endsAt: '12:00' }],
  [{ weekday: 1, startsAt: '09:30', endsAt: '16:30' }],
  [
    { weekday: 1, startsAt: '18:30', endsAt: '20:30' },
    { weekday: 4, startsAt: '18:30', endsAt: '20:30' },
  ],
];

export async function seedCatalogue(db: Db, clock: Clock, options: { sessions?: number } = {}): Promise<{ created: boolean; sessions: number }> {
  const existing = await db.execute<{ n: number }>(sql`select count(*)::int as n from course_sessions`);
  if (existing.rows[0].n > 0) return { created: false, sessions: existing.rows[0].n };
  const target = options.sessions ?? 400;
  const rng = random(20_260_901);
  const report = await importBundledHolidays(db);
  if (!report.ok) throw new Error(`bundled holiday file is invalid: ${JSON.stringify(report.errors)}`);

  const today = new Date(`${clock.now().toISOString().slice(0, 10)}T00:00:00Z`);
  const at = (days: number, hour = 8) => new Date(today.getTime() + days * day + hour * 3_600_000);
  // SVC-5: the annual period holds the policy's share of places (0 % unless an administrator sets it) for assisted applications until its 20th day.
  const periods: PeriodRow[] = [
    { code: 'automne-intensif', name: 'Stages intensifs d’automne', applications_open_at: at(-45).toISOString(), applications_close_at: at(-31, 22).toISOString(), answers_from: iso(at(-30)), answers_until: iso(at(-20)) },
    { code: 'annuel-s1', name: 'Cours annuels et premier semestre', applications_open_at: at(-7).toISOString(), applications_close_at: at(8, 22).toISOString(), answers_from: iso(at(9)), answers_until: iso(at(30)), assisted_places_until: at(20, 16).toISOString() },
    { code: 's2', name: 'Cours du second semestre', applications_open_at: at(70).toISOString(), applications_close_at: at(84, 22).toISOString(), answers_from: iso(at(85)), answers_until: iso(at(105)) },
  ];
  const [closedPeriod, openPeriod, laterPeriod] = periods;

  // Domains first, in the order the home page lists them.
  await db.insert(domains).values(DOMAINS.map(([, name], position) => ({ slug: slugOf(name), name, position })));
  const domainName = new Map(DOMAINS);

  // Schools: two per arrondissement for the demo; more for a large catalogue.
  const schoolCount = Math.max(40, Math.min(400, Math.round(target / 50)));
  const schoolRows: SchoolRow[] = Array.from({ length: schoolCount }, (_, i) => {
    const arrondissement = (i % 20) + 1;
    const street = STREETS[(i * 7) % STREETS.length];
    const number = 2 + ((i * 13) % 120);
    return {
      code: `E-${String(arrondissement).padStart(2, '0')}-${String(Math.floor(i / 20) + 1).padStart(2, '0')}`,
      name: `${SCHOOL_KINDS[i % SCHOOL_KINDS.length]} ${number} ${street}`,
      arrondissement,
      area: null,
      address: `${number} ${street}`,
      postal_code: `750${String(arrondissement).padStart(2, '0')}`,
      city: 'Paris',
    };
  });

  // Courses: the templates; a large catalogue repeats them as further groups ("groupe 2"…).
  const groups = Math.max(1, Math.ceil(target / 400));
  const courseRows: CourseRow[] = Array.from({ length: groups }).flatMap((_, g) => {
    const codeOf = (i: number) => `F${String(g * TEMPLATES.length + i + 1).padStart(5, '0')}`;
    return TEMPLATES.map((tpl, i) => {
      const previousIndex = tpl.previous ? TEMPLATES.findIndex((other) => other.title === tpl.previous) : -1;
      return {
        code: codeOf(i),
        title: g === 0 ? tpl.title : `${tpl.title} (groupe ${g + 1})`,
        domain: domainName.get(tpl.domain)!,
        objectives: tpl.objectives,
        audience: 'Adultes de 18 ans ou plus, Parisiens ou non.',
        prerequisites: tpl.previous ? `Avoir le certificat de compétences du niveau précédent (${tpl.previous}) ou réussir le test de positionnement.` : 'Aucun prérequis.',
        programme: `${tpl.objectives} Exercices pratiques à chaque séance, travail en petits groupes, évaluation des acquis en fin de parcours.`,
        level: tpl.level ?? null,
        previous_course: previousIndex >= 0 ? codeOf(previousIndex) : null,
        rhythm: tpl.rhythm,
        mode: tpl.mode ?? 'in_person',
        hourly_volume: tpl.hours,
        full_rate: Math.round(tpl.hours * 2.5) * 100,
        half_rate: Math.round(tpl.hours * 1.25) * 100,
        prepares_diploma: tpl.diploma ?? false,
        has_evaluation: tpl.evaluation ?? false,
        admission_test: tpl.test ?? 'none',
      };
    });
  });

  // Sessions: placed so that their meetings add up to the course's hours (CAT-7).
  const closed = await closedDays(db);
  const sessionRows: SessionRow[] = [];
  for (let n = 0; n < target; n++) {
    const course = courseRows[n % courseRows.length];
    const slots =
      course.rhythm === 'intensive'
        ? [
            { weekday: 1, startsAt: '09:30', endsAt: '12:30' },
            { weekday: 3, startsAt: '09:30', endsAt: '12:30' },
            { weekday: 5, startsAt: '09:30', endsAt: '12:30' },
          ]
        : rng.pick(SLOT_PATTERNS);
    const period = course.rhythm === 'semester2' ? laterPeriod : course.rhythm === 'intensive' && n % 2 === 0 ? closedPeriod : openPeriod;
    const first = period === closedPeriod ? nextMonday(at(-14)) : nextMonday(new Date(new Date(`${period.answers_until}T00:00:00Z`).getTime() + 3 * day));
    const runsInSchoolHolidays = course.rhythm === 'intensive' && n % 5 === 0;
    const school = schoolRows[(n * 7 + Math.floor(n / courseRows.length)) % schoolRows.length];
    const computerRoom = course.domain === 'Bureautique et internet' || course.domain === 'Métiers de l’informatique';
    sessionRows.push({
      code: `S${String(n + 1).padStart(6, '0')}`,
      course: course.code,
      school: school.code,
      period: period.code,
      trainer: rng.pick(TRAINERS),
      capacity: computerRoom ? 15 : course.domain === 'Artisanat et métiers d’art' ? 12 : rng.int(20, 25),
      first_meeting: iso(first),
      last_meeting: lastDateFor(first, slots, course.hourly_volume, closed, runsInSchoolHolidays),
      slots,
      runs_in_school_holidays: runsInSchoolHolidays,
    });
  }
  // The same writing path as the CSV import.
  await db.transaction((tx) => applyCatalogue(tx, { periods, schools: schoolRows, courses: courseRows, sessions: sessionRows }));
  return { created: true, sessions: sessionRows.length };
}

const lastDates = new Map<string, string>();

/**
 * The date of the meeting at which a session reaches its course's hours, holidays skipped
 * (memoised: a large catalogue repeats the same few combinations).
 */
function lastDateFor(first: Date, slots: Slot[], hours: number, closed: Awaited<ReturnType<typeof closedDays>>, runsInSchoolHolidays: boolean): string {
  const key = `${iso(first)}|${JSON.stringify(slots)}|${hours}|${runsInSchoolHolidays}`;
  const known = lastDates.get(key);
  if (known) return known;
  const meetings = meetingDates({
    firstMeeting: iso(first),
    lastMeeting: iso(new Date(first.getTime() + 600 * day)),
    slots,
    closedDays: closed,
    runsInSchoolHolidays,
  });
  let total = 0;
  let last = meetings[meetings.length - 1]?.date ?? iso(first);
  for (const meeting of meetings) {
    total += meetingHours([meeting]);
    if (total >= hours) {
      last = meeting.date;
      break;
    }
  }
  lastDates.set(key, last);
  return last;
}
