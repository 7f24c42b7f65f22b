import assert from 'node:assert/strict';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../src/db/database';
import { FixedClock } from '../src/platform/clock';
import { isMessageKey } from '../src/platform/i18n';
import type { ExportSection, PersonalDataSet } from '../src/platform/personal-data';
import { policySchema } from '../src/platform/policies';

/**
 * ACC-14: the sets declare exactly the tables given (a module's), and every column of each, once:
 * personal (with a known policy and message keys) or other.
 */
export function assertEveryColumnClassified(sets: readonly PersonalDataSet[], tables: PgTable[]) {
  const declared = sets.flatMap((s) => s.tables);
  assert.deepEqual(declared.map((d) => d.table).sort(), tables.map((t) => getTableConfig(t).name).sort(), 'the sets declare the module’s tables, each once');
  for (const table of tables) {
    const config = getTableConfig(table);
    const declaration = declared.find((d) => d.table === config.name)!;
    const classified = [...Object.keys(declaration.personal), ...declaration.other];
    assert.deepEqual(classified.slice().sort(), config.columns.map((c) => c.name).sort(), `${config.name}: every column classified, once`);
    assert.equal(new Set(classified).size, classified.length, `${config.name}: no column both personal and other`);
    for (const [column, use] of Object.entries(declaration.personal)) {
      assert.ok(isMessageKey(use.purpose), `${config.name}.${column}: ${use.purpose} is a message`);
      assert.ok(isMessageKey(use.retention.from), `${config.name}.${column}: ${use.retention.from} is a message`);
      assert.ok(use.retention.policy in policySchema.shape, `${config.name}.${column}: ${use.retention.policy} is a policy`);
    }
  }
}

/** Every section's title is a message; the JSON of the sections holds none of these strings. */
export function assertSections(sections: ExportSection[], absent: string[] = []) {
  for (const section of sections) assert.ok(isMessageKey(section.title), `${section.key}: ${section.title} is a message`);
  const json = JSON.stringify(sections);
  for (const text of absent) assert.ok(!json.includes(text), `the download leaves out ${text}`);
}

export const sectionRows = (sections: ExportSection[], key: string) => {
  const section = sections.find((s) => s.key === key);
  assert.ok(section, `a section ${key}`);
  return section.rows;
};

/** Runs every set's `forget` for the learner in one transaction (as the closure does). */
export async function forgetIn(db: Db, sets: readonly PersonalDataSet[], userId: string, clock = new FixedClock(new Date('2026-09-01T08:00:00Z'))) {
  await db.transaction(async (tx) => {
    for (const set of sets) await set.forget(tx, userId, clock);
  });
}
