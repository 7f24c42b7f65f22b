import type { Db } from '../db/database';
import { findUserByEmail } from '../modules/accounts';
import { applyCatalogue, rowSchemas, type CatalogueRows } from '../modules/catalogue';
import { askRequest, createExamSession, markField, publishResults, recordMarks, registerForExam, registrationIdsOf, setCentreOfRecord } from '../modules/exams';
import type { Clock } from '../platform/clock';
import { getPolicies } from '../platform/policies';

/**
 * The credits demo's exams (CRED-3, moving; decision 028): a third centre (Lyon), two exam
 * sessions a year for every unit at Montpellier (and a few at Lyon), the demo learner's results
 * of last year (the units they earned: NFA031 passed, NFA035 passed, NFE107 absent then passed at
 * session 2), their sessions to come this year (GLG101, RSX101) with one request pending
 * (accommodations for GLG101), and Montpellier as their centre of record. Written through the
 * exams module's services, as staff would.
 */
export async function seedCreditsExams(
  db: Db,
  clock: Clock,
  options: { year: number; adminEmail: string; learnerEmail: string; units: { code: string; semester: 1 | 2 }[] },
): Promise<{ sessions: number }> {
  const admin = await findUserByEmail(db, options.adminEmail);
  if (!admin) return { sessions: 0 };
  const staff = { id: admin.id, role: admin.role };
  const y = options.year;
  const lyon = rowSchemas.schools.safeParse({ code: 'LYO', name: 'Centre de Lyon – cours du soir', area: 'Lyon', address: '12 rue de la République', postal_code: '69002', city: 'Lyon' });
  if (!lyon.success) throw new Error(`the credits demo's exam centre is invalid: ${JSON.stringify(lyon.error.issues)}`);
  await db.transaction((tx) => applyCatalogue(tx, { periods: [], schools: [lyon.data], courses: [], sessions: [] } as CatalogueRows));

  const ids = new Map<string, string>();
  const create = async (unit: string, number: 1 | 2, heldOn: string, centre: string) => {
    const made = await createExamSession({ db, clock, baseUrl: '' }, { staff, values: { unit, number, heldOn, centre } });
    if (!made.ok) throw new Error(`the credits demo's exam session ${unit} ${number} ${heldOn} is refused: ${JSON.stringify(made)}`);
    ids.set(`${unit}:${heldOn.slice(0, 4)}:${number}:${centre}`, made.id);
    return made.id;
  };
  // This academic year: semester 1's units in January and June, semester 2's in June and early July.
  for (const unit of options.units) {
    const [first, second] = unit.semester === 1 ? [`${y + 1}-01-25`, `${y + 1}-06-21`] : [`${y + 1}-06-14`, `${y + 1}-07-05`];
    await create(unit.code, 1, first, 'MTP');
    await create(unit.code, 2, second, 'MTP');
  }
  for (const code of ['GLG101', 'NFA031', 'NFA035']) await create(code, 1, `${y + 1}-01-27`, 'LYO');

  const learner = await findUserByEmail(db, options.learnerEmail);
  if (!learner) return { sessions: ids.size };
  await setCentreOfRecord(db, clock, { learnerId: learner.id, centre: 'MTP', setBy: 'learner' });
  // Last year's results: the units the learner earned (certification already holds them: recorded once).
  const past: [unit: string, heldOn: string, number: 1 | 2, mark: string][] = [
    ['NFA031', `${y}-01-20`, 1, '14,5'],
    ['NFA035', `${y}-01-24`, 1, '12'],
    ['NFE107', `${y}-01-22`, 1, 'ABS'],
    ['NFE107', `${y}-06-12`, 2, '11'],
  ];
  for (const [unit, heldOn, number, mark] of past) {
    const id = await create(unit, number, heldOn, 'MTP');
    await registerForExam(db, clock, { learnerId: learner.id, examSessionId: id });
    const regs = await registrationIdsOf(db, id);
    const marked = await recordMarks({ db, clock }, { staff, examSessionId: id, values: Object.fromEntries(regs.map((r) => [markField(r), mark])) });
    if (!marked.ok) throw new Error(`the credits demo's marks are refused: ${JSON.stringify(marked)}`);
    const published = await publishResults({ db, clock, baseUrl: '' }, { staff, examSessionId: id });
    if (!published.ok) throw new Error(`the credits demo's results are refused: ${JSON.stringify(published)}`);
  }
  // This year: GLG101 and RSX101 in January at Montpellier; accommodations asked for GLG101.
  const upcoming: string[] = [];
  for (const unit of ['GLG101', 'RSX101']) {
    await registerForExam(db, clock, { learnerId: learner.id, examSessionId: ids.get(`${unit}:${y + 1}:1:MTP`)! });
    upcoming.push(...(await registrationIdsOf(db, ids.get(`${unit}:${y + 1}:1:MTP`)!)));
  }
  // A request the exam service has to decide (refused only if the demo starts after the exam).
  await askRequest(
    { db, clock },
    { learnerId: learner.id, registrationId: upcoming[0], form: { kind: 'accommodations', reason: null, wishedCentre: null, details: 'Un tiers-temps pour l’épreuve écrite (reconnaissance de la qualité de travailleur handicapé).', file: null } },
    await getPolicies(db),
  );
  return { sessions: ids.size };
}
