import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import '../../messages';
import { translator } from '../../platform/i18n';
import type { CatalogueRow } from '../catalogue';
import {
  acceptsGzip,
  columnsOf,
  coursesOf,
  dataPackage,
  daysToPrune,
  etagOf,
  euros,
  fileOfName,
  isCalendarDay,
  meaningKey,
  nextDay,
  openDataFiles,
  sessionStatus,
  slotText,
} from './csv.rules';

describe('SVC-8 the open-data files’ rules', () => {
  it('SVC-8 a dated address is a real day: 2026-13-45, 2026-02-30, 26-9-1 are not', () => {
    for (const day of ['2026-12-02', '2028-02-29', '2026-01-01']) assert.equal(isCalendarDay(day), true, day);
    for (const day of ['2026-13-45', '2026-02-30', '2027-02-29', '26-9-1', '2026-00-10', '2026-12-02x', '1999-12-31', '', '２０２６-１２-０２']) assert.equal(isCalendarDay(day), false, day);
    assert.equal(nextDay('2026-12-31'), '2027-01-01');
    assert.equal(nextDay('2028-02-28'), '2028-02-29');
  });

  it('SVC-8 the files are sessions.csv and formations.csv, nothing else', () => {
    assert.equal(fileOfName('sessions.csv'), 'sessions');
    assert.equal(fileOfName('formations.csv'), 'formations');
    for (const name of ['sessions', 'sessions.CSV', 'personnes.csv', '../sessions.csv', 'sessions.csv.gz']) assert.equal(fileOfName(name), null, name);
  });

  it('SVC-8 the 31 most recent days are kept, whatever order the days come in', () => {
    const days = Array.from({ length: 40 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`).filter(isCalendarDay);
    assert.deepEqual(daysToPrune(days.slice().reverse(), 28), ['2026-11-02', '2026-11-01']);
    assert.deepEqual(daysToPrune(['2026-11-01', '2026-11-01'], 1), []);
  });

  it('SVC-8 a file’s tag is its SHA-256, another one when gzipped', () => {
    assert.equal(etagOf('a'.repeat(64)), `"${'a'.repeat(32)}"`);
    assert.equal(etagOf('a'.repeat(64), true), `"${'a'.repeat(32)}-gzip"`);
  });

  it('SVC-8 gzip only when the client takes it', () => {
    for (const [header, ok] of [['gzip', true], ['deflate, gzip;q=0.5', true], ['br, *', true], ['gzip;q=0', false], ['identity', false], [undefined, false], ['', false]] as const)
      assert.equal(acceptsGzip(header), ok, String(header));
  });

  it('SVC-8 cells: euros with a point, slots as the import writes them, cancelled before the window’s state', () => {
    assert.equal(euros(3750), '37.50');
    assert.equal(euros(0), '0.00');
    assert.equal(slotText({ weekday: 4, startsAt: '18:30:00', endsAt: '20:30:00' }), 'jeudi 18:30-20:30');
    assert.equal(sessionStatus({ cancelled: true, periodState: 'open' }), 'cancelled');
    assert.equal(sessionStatus({ cancelled: false, periodState: 'upcoming' }), 'upcoming');
    const row = (course: string, session: string) => ({ courseCode: course, sessionCode: session }) as CatalogueRow;
    assert.deepEqual(
      coursesOf([row('B', 'b1'), row('A', 'a1'), row('B', 'b2')]).map((c) => [c.first.courseCode, c.sessions.map((s) => s.sessionCode)]),
      [['B', ['b1', 'b2']], ['A', ['a1']]],
    );
  });

  it('SVC-8 SVC-4 every column has its meaning in both languages, unique names, and datapackage.json lists them with the licence', () => {
    for (const file of openDataFiles) {
      const names = columnsOf(file, 'https://x').map((c) => c.name);
      assert.equal(new Set(names).size, names.length, `${file}: unique names`);
      for (const name of names) {
        assert.match(name, /^[a-z_]+$/);
        for (const locale of ['fr', 'en'] as const) assert.doesNotMatch(translator(locale)(meaningKey(file, name)), /^opendata\./, `${file}.${name} (${locale})`);
      }
    }
    assert.equal(meaningKey('formations', 'places_libres'), 'opendata.csv.col.formations.places_libres');
    assert.equal(meaningKey('sessions', 'places_libres'), 'opendata.csv.col.places_libres');
    const pkg = dataPackage(translator('fr'), 'https://x', null);
    assert.deepEqual(pkg.licenses.map((l) => l.name), ['etalab-2.0']);
    assert.deepEqual(pkg.resources.map((r) => r.schema.fields.length), openDataFiles.map((f) => columnsOf(f, 'https://x').length));
  });

  it('SVC-8 docs/open-data.md documents every column of both files, with its type, and the same example', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/open-data.md'), 'utf8');
    for (const file of openDataFiles) {
      const section = doc.slice(doc.indexOf(`### ${file}.csv`));
      assert.ok(section.length < doc.length, `a section for ${file}.csv`);
      for (const c of columnsOf(file, 'https://cours-adultes.paris.fr')) {
        const line = section.split('\n').find((l) => l.startsWith(`| \`${c.name}\` |`));
        assert.ok(line, `${file}.csv: ${c.name} is documented`);
        assert.ok(line.includes(`| ${c.type} |`), `${file}.csv: ${c.name} is a ${c.type}`);
        if (c.example) assert.ok(line.includes(`\`${c.example}\``), `${file}.csv: ${c.name}'s example ${c.example}`);
      }
    }
  });
});
