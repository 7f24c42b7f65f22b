/**
 * CRED-1: programmes (certificates, diplomas, professional titles) and a learner's progress toward
 * them, pure rules. A programme requires a number of credits and named units: lists of units,
 * each mandatory (all its units) or a choice (`choose` of its units, « 2 UE parmi ces 5 »).
 *
 * A unit earned counts once: its credits once, even passed twice, and toward one list only, even
 * when it appears in two (the lists' requirements are met by a matching of units to lists'
 * places: mandatory lists take their own units first, then each choice list's places go to the
 * units left, the best assignment found by augmenting paths). The credits counted are those of
 * the programme's own units.
 */

export type ProgrammeList = { choose: number | null; units: readonly string[] };
export interface ProgrammeRule {
  requiredCredits: number;
  /** Mandatory lists (`choose` null: every unit) and choice lists (`choose` of `units`). */
  lists: readonly ProgrammeList[];
}

/** The units earned: code → credits (a unit earned twice is one entry). */
export type Earned = ReadonlyMap<string, number>;

export interface ListProgress {
  index: number;
  choose: number | null;
  /** The units earned this list counts (its places filled). */
  counted: string[];
  /** How many units are still needed (0: done). */
  left: number;
  /** The units of the list not earned yet, which could fill what is left. */
  candidates: string[];
}

export interface Progress {
  creditsEarned: number;
  creditsRequired: number;
  /** Mandatory units not earned yet. */
  mandatoryLeft: string[];
  /** Choice lists with places still to fill. */
  choicesLeft: ListProgress[];
  lists: ListProgress[];
  complete: boolean;
}

/** The programme's units, each once. */
export function unitsOf(rule: ProgrammeRule): string[] {
  return [...new Set(rule.lists.flatMap((l) => l.units))];
}

/**
 * Which earned unit fills which list's place: mandatory lists their own units; choice lists by a
 * maximum matching (each earned unit used once), so a unit in two lists never counts twice and
 * never takes a place another arrangement would have left open.
 */
function assign(rule: ProgrammeRule, earned: Earned): string[][] {
  const counted: string[][] = rule.lists.map(() => []);
  const used = new Set<string>();
  rule.lists.forEach((list, i) => {
    if (list.choose !== null) return;
    for (const unit of new Set(list.units))
      if (earned.has(unit) && !used.has(unit)) {
        counted[i].push(unit);
        used.add(unit);
      }
  });
  // Choice places: one per unit to choose; a unit takes at most one place.
  const places: number[] = rule.lists.flatMap((list, i) => (list.choose === null ? [] : Array.from({ length: list.choose }, () => i)));
  const holder = new Map<number, string>(); // place → unit
  const placeOf = new Map<string, number>(); // unit → place
  const candidates = unitsOf(rule).filter((u) => earned.has(u) && !used.has(u));
  const tryUnit = (unit: string, seen: Set<number>): boolean => {
    for (let p = 0; p < places.length; p++) {
      if (seen.has(p) || !rule.lists[places[p]].units.includes(unit)) continue;
      seen.add(p);
      const other = holder.get(p);
      if (other === undefined || tryUnit(other, seen)) {
        holder.set(p, unit);
        placeOf.set(unit, p);
        return true;
      }
    }
    return false;
  };
  for (const unit of candidates) tryUnit(unit, new Set());
  for (const [p, unit] of holder) counted[places[p]].push(unit);
  return counted;
}

/** CRED-1: a learner's progress toward a programme, from the units they earned. */
export function programmeProgress(rule: ProgrammeRule, earned: Earned): Progress {
  const counted = assign(rule, earned);
  const lists: ListProgress[] = rule.lists.map((list, index) => {
    const need = list.choose ?? new Set(list.units).size;
    const mine = counted[index];
    const left = Math.max(0, need - mine.length);
    return { index, choose: list.choose, counted: mine, left, candidates: left ? [...new Set(list.units)].filter((u) => !earned.has(u)) : [] };
  });
  const creditsEarned = unitsOf(rule).reduce((sum, unit) => sum + (earned.get(unit) ?? 0), 0);
  const mandatoryLeft = lists.filter((l) => l.choose === null).flatMap((l) => l.candidates);
  const choicesLeft = lists.filter((l) => l.choose !== null && l.left > 0);
  return {
    creditsEarned,
    creditsRequired: rule.requiredCredits,
    mandatoryLeft: [...new Set(mandatoryLeft)],
    choicesLeft,
    lists,
    complete: creditsEarned >= rule.requiredCredits && lists.every((l) => l.left === 0),
  };
}

export type RuleProblem =
  | { field: 'required_credits'; message: 'prog.err.creditsUnreachable'; params: { required: number; max: number } }
  | { field: `lists.${number}`; message: 'prog.err.unknownUnits'; params: { codes: string } }
  | { field: `lists.${number}`; message: 'prog.err.notAUnit'; params: { codes: string } }
  | { field: `lists.${number}`; message: 'prog.err.fewerThanChosen'; params: { count: number; choose: number } }
  | { field: `lists.${number}`; message: 'prog.err.unitsTakenElsewhere'; params: { choose: number } }
  | { field: 'lists'; message: 'prog.err.noUnit' };

/**
 * CRED-1: whether the catalogue can meet a programme's rule, each problem with the field it is
 * about: a named unit that does not exist (or is a course without credits), a choice list with
 * fewer units than it asks for, a list whose places other lists' units leave unfillable (a unit
 * counts once), more credits required than all its units give.
 */
export function checkProgramme(rule: ProgrammeRule, catalogue: ReadonlyMap<string, number | null>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (unitsOf(rule).length === 0) return [{ field: 'lists', message: 'prog.err.noUnit' }];
  rule.lists.forEach((list, i) => {
    const unknown = list.units.filter((u) => !catalogue.has(u));
    const courses = list.units.filter((u) => catalogue.has(u) && catalogue.get(u) === null);
    const distinct = new Set(list.units).size;
    if (unknown.length) problems.push({ field: `lists.${i}`, message: 'prog.err.unknownUnits', params: { codes: unknown.join(', ') } });
    else if (courses.length) problems.push({ field: `lists.${i}`, message: 'prog.err.notAUnit', params: { codes: courses.join(', ') } });
    else if (list.choose !== null && distinct < list.choose) problems.push({ field: `lists.${i}`, message: 'prog.err.fewerThanChosen', params: { count: distinct, choose: list.choose } });
  });
  const units = new Map(unitsOf(rule).flatMap((u) => (typeof catalogue.get(u) === 'number' ? [[u, catalogue.get(u) as number] as const] : [])));
  // Everything the catalogue has earned: can the lists still be met, a unit counting once?
  const all = programmeProgress(rule, units);
  for (const list of all.lists)
    if (list.choose !== null && list.left > 0 && !problems.some((p) => p.field === `lists.${list.index}`))
      problems.push({ field: `lists.${list.index}`, message: 'prog.err.unitsTakenElsewhere', params: { choose: list.choose } });
  if (all.creditsEarned < rule.requiredCredits) problems.push({ field: 'required_credits', message: 'prog.err.creditsUnreachable', params: { required: rule.requiredCredits, max: all.creditsEarned } });
  return problems;
}
