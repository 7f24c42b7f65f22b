import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { tsImport } from 'tsx/esm/api';
import type { PersonalColumn } from '../../platform/personal-data';
import { defaultPolicies, policySchema } from '../../platform/policies';
import { personalDataSets } from './owners';
// The modules above privacy declare their sets when loaded (declareDataSet): SVC-8's open-data snapshots.
import '../opendata';
import { registerLines, registryProblems, registryRows, type TableShape } from './registry';

/** Every table of the database, as drizzle-kit finds them: the platform's and each module's *.table.ts. */
async function allTables(): Promise<TableShape[]> {
  const src = join(import.meta.dirname, '../..');
  const modules = join(src, 'modules');
  const files = [
    join(src, 'platform/platform.table.ts'),
    ...readdirSync(modules).flatMap((m) => readdirSync(join(modules, m)).filter((f) => f.endsWith('.table.ts')).map((f) => join(modules, m, f))),
  ];
  const tables = new Map<string, TableShape>();
  for (const file of files)
    // Loaded by tsx's API: the test may run bundled, without a loader for TypeScript files.
    for (const value of Object.values(await tsImport(file, import.meta.url)))
      if (is(value, PgTable)) {
        const config = getTableConfig(value);
        tables.set(config.name, { table: config.name, columns: config.columns.map((c) => c.name) });
      }
  return [...tables.values()];
}

const policyKeys = Object.keys(policySchema.shape);
const use: PersonalColumn = { category: 'contact', purpose: 'p', basis: 'public_task', retention: { policy: 'inactiveAccountMonths', unit: 'months', from: 'f' }, end: 'delete' };
const fixtureTables: TableShape[] = [
  { table: 'people', columns: ['id', 'email', 'created_at'] },
  { table: 'things', columns: ['id', 'label'] },
];
const set = (name: string, tables: ReturnType<typeof declaration>[]) => ({ name, tables });
const declaration = (table: string, personal: Record<string, PersonalColumn>, other: string[]) => ({ table, personal, other });

describe('ACC-14 the registry of personal data', () => {
  it('ACC-14 every column of every table is declared by exactly one data set, personal (with a policy setting as its period) or other', async () => {
    const tables = await allTables();
    assert.ok(tables.length > 40, `the tables are found (${tables.length})`);
    const problems = registryProblems({ tables, sets: personalDataSets, policyKeys });
    assert.deepEqual(problems, [], `The registry of personal data is incomplete (declare them in the module's data set, src/modules/<m>/<m>.personal.ts):\n  ${problems.join('\n  ')}`);
  });

  it('ACC-14 the check passes on a complete declaration', () => {
    const sets = [set('a', [declaration('people', { email: use }, ['id', 'created_at'])]), set('b', [declaration('things', {}, ['id', 'label'])])];
    assert.deepEqual(registryProblems({ tables: fixtureTables, sets, policyKeys }), []);
  });

  it('ACC-14 the check fails, naming them, for a column missing, a table nobody declares, columns or tables that do not exist, a table declared twice, a policy that is not one', () => {
    const sets = [
      set('a', [declaration('people', { email: { ...use, retention: { policy: 'keepForever' as never, unit: 'months', from: 'f' } } }, ['id', 'phone'])]),
      set('b', [declaration('people', {}, ['id', 'email', 'created_at']), declaration('ghosts', {}, ['id'])]),
      set('c', [declaration('people', { created_at: { ...use, retention: { policy: 'paymentRetentionYears', unit: 'months', from: 'f' } } }, ['created_at'])]),
    ];
    const problems = registryProblems({ tables: [...fixtureTables, { table: 'orphans', columns: ['id', 'note'] }], sets, policyKeys });
    const expected = [
      'table people is declared twice (a, b, c)',
      'a: column people.phone is declared but does not exist',
      'a: column people.email has the retention policy "keepForever", which is not a policy setting',
      'c: column people.created_at is declared twice',
      'c: column people.created_at counts "paymentRetentionYears" in months',
      'table ghosts, declared by b, does not exist',
      'table things is declared by no data set (columns id, label)',
      'table orphans is declared by no data set (columns id, note)',
    ];
    assert.deepEqual([...problems].sort(), [...expected].sort());
    // One column missing from an otherwise declared table is named alone.
    const one = registryProblems({ tables: fixtureTables, sets: [set('a', [declaration('people', { email: use }, ['id'])]), set('b', [declaration('things', {}, ['id', 'label'])])], policyKeys });
    assert.deepEqual(one, ['column people.created_at is declared by no data set (neither personal nor other)']);
  });

  it('ACC-14 the register groups the columns of one use and gives the period with the current policy value', () => {
    const sets = [set('a', [declaration('people', { email: use, phone: use, birth: { ...use, category: 'identity' } }, ['id'])])];
    assert.equal(registryRows(sets).length, 3);
    const lines = registerLines({ ...defaultPolicies, inactiveAccountMonths: 24 }, sets);
    assert.deepEqual(
      lines.map((l) => [l.table, l.category, l.columns, l.period]),
      [
        ['people', 'contact', ['email', 'phone'], { amount: 24, unit: 'months' }],
        ['people', 'identity', ['birth'], { amount: 24, unit: 'months' }],
      ],
    );
  });
});
