import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getTableConfig } from 'drizzle-orm/pg-core';
import '../../messages';
import { isMessageKey } from '../../platform/i18n';
import { legacyDataSet } from './legacy.personal';
import * as tables from './legacy.table';

describe('the legacy data set (ACC-11, ACC-14)', () => {
  it('ACC-14 every column of every legacy table is declared once, personal or other; purposes and retention starts are message keys', () => {
    const declared = new Map(legacyDataSet.tables.map((d) => [d.table, d]));
    for (const table of Object.values(tables).filter((v) => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v)) {
      const config = getTableConfig(table as Parameters<typeof getTableConfig>[0]);
      const d = declared.get(config.name);
      assert.ok(d, `${config.name} is declared`);
      const names = [...Object.keys(d.personal), ...d.other];
      assert.deepEqual([...names].sort(), config.columns.map((c) => c.name).sort(), config.name);
      for (const column of Object.values(d.personal)) {
        assert.ok(isMessageKey(column.purpose), column.purpose);
        assert.ok(isMessageKey(column.retention.from), column.retention.from);
      }
      declared.delete(config.name);
    }
    assert.deepEqual([...declared.keys()], [], 'no table declared that does not exist');
  });
});
