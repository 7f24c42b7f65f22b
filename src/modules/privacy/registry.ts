import type { EndOfRetention, LegalBasis, PersonalCategory, PersonalDataSet, RetentionRule, TableDeclaration } from '../../platform/personal-data';
import type { Policies } from '../../platform/policies';
import { personalDataSets } from './owners';
import { periodOf, unitOfPolicy } from './retention.rules';

/**
 * ACC-14: the registry of personal data, read from the data sets (`personalDataSets`) and
 * nothing else: per table and column, its category, purpose, legal basis, retention rule and
 * end. The processing register (staff), "what we keep" (the learner) and the retention job read it.
 */
export interface RegistryRow {
  set: string;
  table: string;
  column: string;
  category: PersonalCategory;
  purpose: string;
  basis: LegalBasis;
  retention: RetentionRule;
  end: EndOfRetention;
}

type Declared = Pick<PersonalDataSet, 'name' | 'tables'>;

/** Every personal column of every set, in the sets' order then the declarations'. */
export function registryRows(sets: readonly Declared[] = personalDataSets): RegistryRow[] {
  return sets.flatMap((set) =>
    set.tables.flatMap((t) => Object.entries(t.personal).map(([column, c]) => ({ set: set.name, table: t.table, column, ...c }))),
  );
}

/**
 * The register's lines: the columns of one set and table with the same use (category, purpose,
 * basis, rule and end) make one line, their columns listed.
 */
export interface RegisterLine extends Omit<RegistryRow, 'column'> {
  columns: string[];
  /** The rule's period with the current policy value. */
  period: { amount: number; unit: RetentionRule['unit'] };
}

export function registerLines(policies: Policies, sets: readonly Declared[] = personalDataSets): RegisterLine[] {
  const lines = new Map<string, RegisterLine>();
  for (const row of registryRows(sets)) {
    const key = JSON.stringify([row.set, row.table, row.category, row.purpose, row.basis, row.retention, row.end]);
    const line = lines.get(key);
    if (line) line.columns.push(row.column);
    else {
      const { column, ...rest } = row;
      lines.set(key, { ...rest, columns: [column], period: periodOf(row.retention, policies) });
    }
  }
  return [...lines.values()];
}

/** A table as the database has it: its SQL name and its columns' SQL names. */
export interface TableShape {
  table: string;
  columns: readonly string[];
}

/**
 * ACC-14: what is wrong between the tables and their declarations, one sentence each (empty when
 * all is well): a column no set declares (neither personal nor other), a declared table or column
 * that does not exist, a table declared twice, a column declared twice, a retention policy that is
 * not a policy setting (or whose unit is not the one its name says), a set name used twice.
 */
export function registryProblems(input: { tables: readonly TableShape[]; sets: readonly Declared[]; policyKeys: readonly string[] }): string[] {
  const problems: string[] = [];
  const shapes = new Map(input.tables.map((t) => [t.table, new Set(t.columns)]));
  const declaredBy = new Map<string, { set: string; declaration: TableDeclaration }[]>();
  const names = new Map<string, number>();
  for (const set of input.sets) {
    names.set(set.name, (names.get(set.name) ?? 0) + 1);
    for (const declaration of set.tables) declaredBy.set(declaration.table, [...(declaredBy.get(declaration.table) ?? []), { set: set.name, declaration }]);
  }
  for (const [name, count] of names) if (count > 1) problems.push(`the set name "${name}" is used by ${count} sets`);

  for (const [table, declarations] of declaredBy) {
    const where = declarations.map((d) => d.set).join(', ');
    if (declarations.length > 1) problems.push(`table ${table} is declared twice (${where})`);
    const columns = shapes.get(table);
    if (!columns) {
      problems.push(`table ${table}, declared by ${where}, does not exist`);
      continue;
    }
    for (const { set, declaration } of declarations) {
      const personal = Object.keys(declaration.personal);
      const seen = new Set<string>();
      for (const column of [...personal, ...declaration.other]) {
        if (seen.has(column)) problems.push(`${set}: column ${table}.${column} is declared twice`);
        seen.add(column);
        if (!columns.has(column)) problems.push(`${set}: column ${table}.${column} is declared but does not exist`);
      }
      for (const [column, c] of Object.entries(declaration.personal)) {
        if (!input.policyKeys.includes(c.retention.policy)) problems.push(`${set}: column ${table}.${column} has the retention policy "${c.retention.policy}", which is not a policy setting`);
        else if (unitOfPolicy(c.retention.policy) !== c.retention.unit)
          problems.push(`${set}: column ${table}.${column} counts "${c.retention.policy}" in ${c.retention.unit}`);
      }
    }
  }
  for (const { table, columns } of input.tables) {
    const declared = new Set((declaredBy.get(table) ?? []).flatMap((d) => [...Object.keys(d.declaration.personal), ...d.declaration.other]));
    const missing = columns.filter((c) => !declared.has(c));
    if (!declaredBy.has(table)) problems.push(`table ${table} is declared by no data set (columns ${missing.join(', ')})`);
    else for (const column of missing) problems.push(`column ${table}.${column} is declared by no data set (neither personal nor other)`);
  }
  return problems;
}
