import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/database';

const isoDate = z.iso.date();
const row = z
  .object({
    kind: z.enum(['public', 'school']),
    zone: z
      .string()
      .trim()
      .transform((v) => v || null)
      .pipe(z.string().regex(/^[A-Z]$/).nullable()),
    name: z.string().trim().min(1).max(100),
    starts_on: isoDate,
    ends_on: isoDate,
  })
  .refine((r) => r.ends_on >= r.starts_on, { message: 'ends_on is before starts_on' })
  .refine((r) => (r.kind === 'school') === (r.zone !== null), { message: 'a school holiday needs a zone, a public holiday none' });

export type ImportReport = { ok: true; count: number } | { ok: false; errors: { line: number; message: string }[] };

/**
 * CAT-7: loads a holiday calendar (the columns of `data/holidays.csv`). A file with any bad line
 * is refused whole, with every bad line reported; a good one is upserted in one transaction.
 */
export async function importHolidays(db: Db, csv: string): Promise<ImportReport> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    return { ok: false, errors: [{ line: 0, message: error instanceof Error ? error.message : String(error) }] };
  }
  const errors: { line: number; message: string }[] = [];
  const rows: z.output<typeof row>[] = [];
  records.forEach((record, i) => {
    const parsed = row.safeParse(record);
    if (parsed.success) rows.push(parsed.data);
    else errors.push({ line: i + 2, message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ') });
  });
  if (errors.length) return { ok: false, errors };
  await db.transaction(async (tx) => {
    for (const r of rows) {
      await tx.execute(sql`
        insert into holidays (kind, zone, name, starts_on, ends_on)
        values (${r.kind}, ${r.zone}, ${r.name}, ${r.starts_on}, ${r.ends_on})
        on conflict (kind, coalesce(zone, ''), starts_on) do update set name = excluded.name, ends_on = excluded.ends_on`);
    }
  });
  return { ok: true, count: rows.length };
}

export const bundledHolidays = new URL('./data/holidays.csv', import.meta.url);

export async function importBundledHolidays(db: Db): Promise<ImportReport> {
  return importHolidays(db, readFileSync(bundledHolidays, 'utf8'));
}
