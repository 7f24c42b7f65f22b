import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { FieldError } from '../../ui/context';
import { fieldErrors } from '../../ui/forms';
import { parisDay } from '../accounts';
import { courseCodesOf, creditsOfCodes, nextSemester, unitSessionsFrom, unitsOf, type Semester, type Unit, type UnitSession } from '../catalogue';
import { academicRecordOf, earnedUnitsOf, type RecordLine } from '../certification';
import { checkProgramme, programmeProgress, unitsOf as unitsOfRule, type ProgrammeList, type ProgrammeRule, type Progress } from './programmes.rules';
import { choiceNumbers, programmeSchema, type ProgrammeForm } from './programmes.schema';
import { programmeFollowers, programmeListUnits, programmeLists, programmes, type ProgrammeKind } from './programmes.table';

/**
 * CRED-1: programmes (certificates, diplomas, professional titles): the administrator's form,
 * checked against the catalogue field by field; the learner's choice to follow one and their
 * progress toward it from the units they earned (certification's credits, kept for life).
 */

export interface Programme {
  id: number;
  code: string;
  title: string;
  kind: ProgrammeKind;
  rule: ProgrammeRule;
}

type Actor = { id: string; role: Role };
export type ProgrammeFailure = { ok: false; code: 'forbidden' } | { ok: false; code: 'invalid'; errors: Record<string, FieldError> };

/** The programmes (all, or those with these codes), each with its rule as units' codes. */
export async function listProgrammes(db: DbOrTx, by: { codes?: string[]; ids?: number[] } = {}): Promise<Programme[]> {
  if (by.codes?.length === 0 || by.ids?.length === 0) return [];
  const rows = await db
    .select()
    .from(programmes)
    .where(by.codes ? inArray(programmes.code, by.codes) : by.ids ? inArray(programmes.id, by.ids) : undefined)
    .orderBy(asc(programmes.code));
  if (rows.length === 0) return [];
  const lists = await db.select().from(programmeLists).where(inArray(programmeLists.programmeId, rows.map((r) => r.id))).orderBy(asc(programmeLists.programmeId), asc(programmeLists.position));
  const members = lists.length ? await db.select().from(programmeListUnits).where(inArray(programmeListUnits.listId, lists.map((l) => l.id))) : [];
  const codeOf = new Map((await unitsOf(db, { ids: [...new Set(members.map((m) => m.courseId))] })).map((u) => [u.id, u.code]));
  return rows.map((p) => ({
    id: p.id,
    code: p.code,
    title: p.title,
    kind: p.kind,
    rule: {
      requiredCredits: p.requiredCredits,
      lists: lists
        .filter((l) => l.programmeId === p.id)
        .map((l): ProgrammeList => ({
          choose: l.choose,
          units: members
            .filter((m) => m.listId === l.id)
            .flatMap((m) => (codeOf.has(m.courseId) ? [codeOf.get(m.courseId)!] : []))
            .sort(),
        })),
    },
  }));
}

/** One programme as its form's values (strings), or null if unknown. */
export async function programmeFormValues(db: DbOrTx, code: string): Promise<Record<string, string> | null> {
  if (!/^[A-Za-z0-9-]{1,30}$/.test(code)) return null;
  const [p] = await listProgrammes(db, { codes: [code.toUpperCase()] });
  if (!p) return null;
  const mandatory = p.rule.lists.filter((l) => l.choose === null).flatMap((l) => l.units);
  const choices = p.rule.lists.filter((l) => l.choose !== null);
  return {
    code: p.code,
    title: p.title,
    kind: p.kind,
    required_credits: String(p.rule.requiredCredits),
    mandatory: mandatory.join(', '),
    ...Object.fromEntries(choiceNumbers.flatMap((n) => [[`choose_${n}`, choices[n - 1] ? String(choices[n - 1].choose) : ''], [`units_${n}`, choices[n - 1]?.units.join(', ') ?? '']])),
  };
}

/** The form's lists as a rule, with the field each list's problems go next to. */
function ruleOfForm(form: ProgrammeForm): { rule: ProgrammeRule; fieldsOf: { units: string; choose?: string }[] } {
  const f = form as unknown as Record<string, unknown>;
  const lists: ProgrammeList[] = [];
  const fieldsOf: { units: string; choose?: string }[] = [];
  if (form.mandatory.length) {
    lists.push({ choose: null, units: form.mandatory });
    fieldsOf.push({ units: 'mandatory' });
  }
  for (const n of choiceNumbers) {
    const units = f[`units_${n}`] as string[];
    if (!units.length) continue;
    lists.push({ choose: f[`choose_${n}`] as number, units });
    fieldsOf.push({ units: `units_${n}`, choose: `choose_${n}` });
  }
  return { rule: { requiredCredits: form.required_credits, lists }, fieldsOf };
}

/**
 * CRED-1: creates or updates a programme from the administrator's form (admin only): the form's
 * schema, then whether the catalogue can meet its rule (a unit that does not exist, a choice list
 * with fewer units than it asks for, more credits than its units give), each problem next to its
 * field; then one transaction with its audit row. `creating` refuses a code already taken.
 */
export async function saveProgramme(
  deps: { db: Db; clock: Clock },
  input: { actor: Actor; values: Record<string, unknown>; creating: boolean },
): Promise<{ ok: true; code: string } | ProgrammeFailure> {
  if (input.actor.role !== 'admin') return { ok: false, code: 'forbidden' };
  const parsed = programmeSchema.safeParse(input.values);
  if (!parsed.success) return { ok: false, code: 'invalid', errors: fieldErrors(parsed.error.issues) };
  const form = parsed.data;
  const { db, clock } = deps;
  const { rule, fieldsOf } = ruleOfForm(form);
  // One transaction from the code's check to the lists written: a creation takes the code with its
  // insert (the unique index makes a second creation at once wait, then find it taken); an edit
  // locks the programme's row first (an unknown code is refused, never created); the units are
  // read under it, so a unit named is a unit when its id is written.
  return db.transaction(async (tx): Promise<{ ok: true; code: string } | ProgrammeFailure> => {
    const now = clock.now();
    const [existing] = input.creating ? [] : await tx.select({ id: programmes.id }).from(programmes).where(eq(programmes.code, form.code)).for('update');
    if (!input.creating && !existing) return { ok: false, code: 'invalid', errors: { code: { message: 'prog.err.unknownCode' } } };
    const catalogue = await creditsOfCodes(tx, unitsOfRule(rule));
    const errors: Record<string, FieldError> = {};
    for (const problem of checkProgramme(rule, catalogue)) {
      const index = problem.field.startsWith('lists.') ? Number(problem.field.slice(6)) : null;
      const field = index === null ? (problem.field === 'lists' ? 'mandatory' : problem.field) : problem.message === 'prog.err.fewerThanChosen' ? fieldsOf[index].choose! : fieldsOf[index].units;
      errors[field] ??= { message: problem.message, params: 'params' in problem ? problem.params : undefined };
    }
    if (Object.keys(errors).length) return { ok: false, code: 'invalid', errors };
    const ids = new Map((await unitsOf(tx, { codes: unitsOfRule(rule) })).map((u) => [u.code, u.id]));
    const missing = unitsOfRule(rule).filter((code) => !ids.has(code));
    if (missing.length) return { ok: false, code: 'invalid', errors: { mandatory: { message: 'prog.err.unknownUnits', params: { codes: missing.join(', ') } } } };
    const values = { title: form.title, kind: form.kind, requiredCredits: form.required_credits, updatedBy: input.actor.id, updatedAt: now };
    const [saved] = input.creating
      ? await tx
          .insert(programmes)
          .values({ code: form.code, ...values })
          .onConflictDoNothing({ target: programmes.code })
          .returning({ id: programmes.id })
      : await tx.update(programmes).set(values).where(eq(programmes.id, existing!.id)).returning({ id: programmes.id });
    if (!saved) return { ok: false, code: 'invalid', errors: { code: { message: 'prog.err.codeTaken' } } };
    // The lists are the form's: written again whole (their units cascade).
    await tx.delete(programmeLists).where(eq(programmeLists.programmeId, saved.id));
    for (const [position, list] of rule.lists.entries()) {
      const [row] = await tx.insert(programmeLists).values({ programmeId: saved.id, position, choose: list.choose }).returning({ id: programmeLists.id });
      await tx.insert(programmeListUnits).values(list.units.map((code) => ({ listId: row.id, courseId: ids.get(code)! })));
    }
    await audit(tx, clock, { action: input.creating ? 'programmes.created' : 'programmes.updated', actorId: input.actor.id, data: { code: form.code, requiredCredits: form.required_credits, lists: rule.lists } });
    return { ok: true, code: form.code };
  });
}

/** CRED-1: the learner follows a programme (again: nothing changes). False if it does not exist. */
export async function followProgramme(deps: { db: Db; clock: Clock }, input: { learnerId: string; code: string }): Promise<{ ok: true; title: string } | { ok: false; code: 'not_found' }> {
  if (!/^[A-Za-z0-9-]{1,30}$/.test(input.code)) return { ok: false, code: 'not_found' };
  const [p] = await deps.db.select({ id: programmes.id, title: programmes.title }).from(programmes).where(eq(programmes.code, input.code.toUpperCase()));
  if (!p) return { ok: false, code: 'not_found' };
  await deps.db.transaction(async (tx) => {
    const added = await tx.insert(programmeFollowers).values({ learnerId: input.learnerId, programmeId: p.id, followedAt: deps.clock.now() }).onConflictDoNothing().returning();
    if (added.length) await audit(tx, deps.clock, { action: 'programmes.followed', actorId: input.learnerId, data: { programme: input.code.toUpperCase() } });
  });
  return { ok: true, title: p.title };
}

export interface ProgrammeProgressView {
  programme: Programme;
  progress: Progress;
  units: ReadonlyMap<string, Unit>;
  next: { semester: Semester; startsOn: string; offers: { unit: Unit; sessions: UnitSession[] }[] };
}

/**
 * CRED-1, CRED-2: the learner's page: each programme they follow with their progress (credits
 * earned over required, mandatory units left, choices left) and what the next semester offers
 * them (the units they still need that run then, with their sessions); the other programmes.
 */
export async function learnerProgrammes(db: DbOrTx, clock: Clock, learnerId: string): Promise<{ followed: ProgrammeProgressView[]; others: Programme[]; earnedCredits: number; record: RecordLine[] }> {
  const all = await listProgrammes(db);
  const followedIds = new Set((await db.select({ id: programmeFollowers.programmeId }).from(programmeFollowers).where(eq(programmeFollowers.learnerId, learnerId))).map((r) => r.id));
  const earnedRows = (await earnedUnitsOf(db, [learnerId])).get(learnerId) ?? [];
  const codeOfId = await courseCodesOf(db, earnedRows.map((e) => e.courseId));
  // The credits a unit was worth when earned, kept for life.
  const earned = new Map(earnedRows.flatMap((e) => (codeOfId.has(e.courseId) ? [[codeOfId.get(e.courseId)!, e.credits] as const] : [])));
  const followed = all.filter((p) => followedIds.has(p.id));
  const allUnits = new Map((await unitsOf(db, { codes: [...new Set(followed.flatMap((p) => unitsOfRule(p.rule)))] })).map((u) => [u.code, u]));
  const today = parisDay(clock.now());
  const next = nextSemester(today);
  const progressOf = new Map(followed.map((p) => [p.id, programmeProgress(p.rule, earned)]));
  const nextUnits = [...new Set(followed.flatMap((p) => stillHelpful(p, progressOf.get(p.id)!, earned)))].map((c) => allUnits.get(c)).filter((u): u is Unit => u?.semester === next.semester);
  const sessions = await unitSessionsFrom(db, nextUnits.map((u) => u.id), today);
  return {
    earnedCredits: earnedRows.reduce((sum, e) => sum + e.credits, 0),
    record: await academicRecordOf(db, learnerId),
    followed: followed.map((programme) => {
      const progress = progressOf.get(programme.id)!;
      const left = new Set(stillHelpful(programme, progress, earned));
      return {
        programme,
        progress,
        units: allUnits,
        next: { ...next, offers: nextUnits.filter((u) => left.has(u.code)).map((unit) => ({ unit, sessions: sessions.filter((s) => s.courseId === unit.id) })) },
      };
    }),
    others: all.filter((p) => !followedIds.has(p.id)),
  };
}

/**
 * The units that would still bring a learner closer to a programme: the mandatory units left and
 * the candidates of the choices left; when every list is met but credits are missing, any of its
 * units not earned yet; nothing once it is complete.
 */
function stillHelpful(programme: Programme, progress: Progress, earned: ReadonlyMap<string, number>): string[] {
  if (progress.complete) return [];
  const lists = [...progress.mandatoryLeft, ...progress.choicesLeft.flatMap((l) => l.candidates)];
  return lists.length ? [...new Set(lists)] : unitsOfRule(programme.rule).filter((code) => !earned.has(code));
}

/** The number of programmes (the demo's summary). */
export async function programmeCount(db: DbOrTx): Promise<number> {
  return (await db.select({ id: programmes.id }).from(programmes)).length;
}

