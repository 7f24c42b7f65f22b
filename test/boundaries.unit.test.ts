import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

/**
 * The layers and the module boundaries (issue 10), read from the source itself: every import
 * (`import`, `import type`, `export … from`, `import()`, `declare module`) of every file under
 * src/, and every sql`` template of the modules.
 *
 *   1. src/platform, src/db, src/ui and src/domain import nothing from src/modules, and no module
 *      or lower layer imports the composition root (src/app.ts, src/main.ts, src/demo/).
 *      src/domain imports nothing at all. No exceptions.
 *   2. A module never imports another module's *.table.ts, nor the platform's platform.table.ts
 *      (the platform's tables are reached through its functions: audit, queueEmail, enqueueJob…).
 *      One exception, the database's own: a *.table.ts may import another module's table to
 *      declare a foreign key, and then uses it only in `.references(() => table.column)`
 *      (docs/decisions/007).
 *   4. A module reaches another only through its facade, `src/modules/<name>/index.ts`.
 *   3. A module's raw SQL never names another module's table, nor the platform's
 *      (from/join/update/into <table> inside sql`` templates).
 *   5. A module imports only the modules below it in MODULE_ORDER (docs/architecture.md); a
 *      lower module that needs a higher one declares a port or a hook (platform/hooks.ts).
 *      A module not listed there yet is not checked.
 *
 * Rules 2 and 3, and the composition-root part of rule 1, apply to code, not to tests (which
 * build data across modules and start the whole app).
 */

// To be emptied by issue 10: the boundary crossings that exist today, each one to be removed
// from this list when it is fixed. An entry that no longer happens fails the test too, so the
// list only shrinks.
const KNOWN_TABLE_IMPORTS: readonly string[] = [];

// To be emptied by issue 10, likewise: raw SQL of one module naming another module's table.
const KNOWN_SQL_TABLES: readonly string[] = [];

// Likewise: imports of another module's files past its index.ts.
const KNOWN_FACADE_IMPORTS: readonly string[] = [];

/** The modules, lowest first; those of one rank know nothing of each other either. */
const MODULE_ORDER: readonly (readonly string[])[] = [
  ['help'], ['accounts'], ['catalogue'], ['scopes'], ['documents'], ['applications'], ['selection'], ['payments'], ['attendance'], ['legacy'], ['certification'],
  ['programmes'], ['exams'], ['cancellations'], ['desk'], ['contact'], ['webhooks'], ['privacy'], ['opendata'], ['staff', 'admin', 'home', 'figures'],
];
const rankOf = (module: string) => MODULE_ORDER.findIndex((rank) => rank.includes(module));

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const rel = (path: string) => relative(root, path).split(sep).join('/');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** Where a relative specifier leads, as a path under the repository ('' for a package). */
function resolveImport(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return '';
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (existsSync(candidate) && !candidate.endsWith(sep) && /\.(ts|tsx|mts|mjs|js|json)$/.test(candidate)) return rel(candidate);
  return rel(base);
}

interface Parsed {
  file: string;
  text: string;
  /** The names each import declaration brings in, by specifier. */
  imported: Map<string, string[]>;
  /** Every module specifier: imports, type imports, re-exports, import() and `declare module`. */
  specifiers: string[];
  /** The text of every sql`` template, placeholders shown as `$`. */
  sql: string[];
  /** The names given to pgTable('name', …). */
  tables: string[];
}

function parse(file: string, text = readFileSync(file, 'utf8')): Parsed {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const parsed: Parsed = { file, text, imported: new Map(), specifiers: [], sql: [], tables: [] };
  const literal = (node: ts.Node | undefined) => (node && ts.isStringLiteralLike(node) ? node.text : undefined);
  const visit = (node: ts.Node) => {
    let specifier: string | undefined;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier = literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) specifier = literal(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) specifier = literal(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) specifier = literal(node.argument.literal);
    else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) specifier = node.name.text;
    if (specifier !== undefined) parsed.specifiers.push(specifier);
    if (ts.isImportDeclaration(node) && specifier !== undefined) {
      const bindings = node.importClause?.namedBindings;
      const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : ['*'];
      parsed.imported.set(specifier, [...(parsed.imported.get(specifier) ?? []), ...names]);
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'sql') {
      const tpl = node.template;
      parsed.sql.push(ts.isNoSubstitutionTemplateLiteral(tpl) ? tpl.text : [tpl.head.text, ...tpl.templateSpans.map((s) => s.literal.text)].join('$'));
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'pgTable') {
      const name = literal(node.arguments[0]);
      if (name) parsed.tables.push(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return parsed;
}

const moduleOf = (path: string) => /^src\/modules\/([^/]+)\//.exec(path)?.[1];
/** Who owns a table file: its module, or the platform. */
const ownerOf = (path: string) => (path === 'src/platform/platform.table.ts' ? 'platform' : path.endsWith('.table.ts') ? moduleOf(path) : undefined);
const LOWER_LAYERS = ['src/platform/', 'src/db/', 'src/ui/', 'src/domain/'];
const COMPOSITION_ROOT = ['src/app.ts', 'src/main.ts', 'src/demo/'];
const inAny = (path: string, prefixes: string[]) => prefixes.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

/** Rule 2's exception: every name imported from that table file is used only as `.references(() => name.column)`. */
function foreignKeysOnly(f: Parsed, specifier: string): boolean {
  const names = f.imported.get(specifier) ?? ['*'];
  const code = f.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/^import [^;]*;$/gm, '');
  return names.every((name) => {
    if (name === '*') return false;
    const uses = code.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
    const references = code.match(new RegExp(`\\.references\\(\\(\\)\\s*=>\\s*${name}\\.\\w+`, 'g'))?.length ?? 0;
    return references > 0 && uses === references;
  });
}

/** The rules over a set of parsed files; returns the crossings found, as sorted lines. */
function crossings(files: Parsed[]) {
  const layers: string[] = [];
  const tableImports: string[] = [];
  const facadeImports: string[] = [];
  const sqlTables: string[] = [];
  const upward: string[] = [];
  const owner = new Map<string, string>();
  for (const f of files) {
    const o = ownerOf(rel(f.file));
    if (o) for (const table of f.tables) owner.set(table, o);
  }
  const tableNames = [...owner.keys()].join('|');
  const naming = new RegExp(`\\b(?:from|join|update|into)\\s+"?(${tableNames || '(?!)'})"?(?![\\w$])`, 'gi');
  for (const f of files) {
    const path = rel(f.file);
    const mine = moduleOf(path);
    for (const specifier of f.specifiers) {
      const target = resolveImport(f.file, specifier);
      if (inAny(path, LOWER_LAYERS) && target.startsWith('src/modules/')) layers.push(`${path} -> ${target}`);
      if (path.startsWith('src/domain/')) layers.push(`${path} -> ${target || specifier} (the domain imports nothing)`);
      if ((mine || inAny(path, LOWER_LAYERS)) && inAny(target, COMPOSITION_ROOT) && !isTest(path)) layers.push(`${path} -> ${target} (the composition root)`);
      const theirs = ownerOf(target);
      if (mine && theirs && theirs !== mine && !isTest(path) && !(path.endsWith('.table.ts') && foreignKeysOnly(f, specifier))) tableImports.push(`${path} -> ${target}`);
      const other = moduleOf(target);
      if (mine && other && other !== mine && !theirs && !isTest(path) && target !== `src/modules/${other}/index.ts`) facadeImports.push(`${path} -> ${target}`);
      // Rule 5 (a foreign key of a table file excepted: it points down, or is the database's own).
      if (mine && other && other !== mine && !isTest(path) && rankOf(mine) >= 0 && rankOf(other) >= rankOf(mine) && !(path.endsWith('.table.ts') && theirs)) upward.push(`${path} -> ${target}`);
    }
    if (mine && !f.file.endsWith('.table.ts') && !isTest(path))
      for (const text of f.sql)
        for (const [, table] of text.matchAll(naming)) {
          const theirs = owner.get(table.toLowerCase());
          if (theirs && theirs !== mine) sqlTables.push(`${path} names ${table.toLowerCase()} (${theirs})`);
        }
  }
  const unique = (list: string[]) => [...new Set(list)].sort();
  return { layers: unique(layers), tableImports: unique(tableImports), facadeImports: unique(facadeImports), sqlTables: unique(sqlTables), upward: unique(upward), tables: owner };
}

/**
 * Import circles inside a module (any kind of import, types included: a circle says two files
 * each need a piece of the other, which belongs in a third both import): each circle as the
 * sorted files of one strongly connected component. Tests are not counted.
 */
function circles(files: Parsed[]): string[] {
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const path = rel(f.file);
    const mine = moduleOf(path);
    if (!mine || isTest(path)) continue;
    edges.set(path, [...new Set(f.specifiers.map((s) => resolveImport(f.file, s)).filter((t) => t !== path && moduleOf(t) === mine && !isTest(t)))]);
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort().join(' <-> '));
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) connect(v);
  return found.sort();
}

/** One message for a rule: what is new (fix it) and what the allow-list still holds but no longer happens (remove it). */
function report(rule: string, found: string[], known: readonly string[]): string | undefined {
  const added = found.filter((f) => !known.includes(f));
  const gone = known.filter((k) => !found.includes(k));
  if (!added.length && !gone.length) return undefined;
  return [
    `${rule}:`,
    ...(added.length ? ['  new crossings (use the other module\'s service or facade instead):', ...added.map((a) => `    ${a}`)] : []),
    ...(gone.length ? ['  fixed, remove from the allow-list at the top of test/boundaries.unit.test.ts:', ...gone.map((g) => `    ${g}`)] : []),
  ].join('\n');
}

describe('module boundaries (issue 10)', () => {
  const files = walk(src).map((f) => parse(f));
  const found = crossings(files);

  it('the platform, db, ui and domain layers import no module, and nothing below the composition root imports it', () => {
    assert.deepEqual(found.layers, [], `Layer crossings:\n${found.layers.map((l) => `  ${l}`).join('\n')}`);
  });

  it("a module imports no other module's *.table.ts (known crossings listed at the top)", () => {
    const message = report("Imports of another module's tables", found.tableImports, KNOWN_TABLE_IMPORTS);
    assert.equal(message, undefined, message);
  });

  it('a module reaches another only through its facade (index.ts)', () => {
    const message = report('Imports past another module\'s facade', found.facadeImports, KNOWN_FACADE_IMPORTS);
    assert.equal(message, undefined, message);
  });

  it('a module imports only the modules below it (MODULE_ORDER: documents below applications and selection)', () => {
    assert.deepEqual(found.upward, [], `Imports of a module of the same rank or higher:\n${found.upward.map((l) => `  ${l}`).join('\n')}`);
  });

  it("a module's raw SQL names no other module's table (known crossings listed at the top)", () => {
    assert.ok(found.tables.size >= 25, `the tables were found (${found.tables.size})`);
    const message = report("Raw SQL naming another module's tables", found.sqlTables, KNOWN_SQL_TABLES);
    assert.equal(message, undefined, message);
  });

  it('no import circle inside a module (a piece two files share lives where both import it one way)', () => {
    const found = circles(files);
    assert.deepEqual(found, [], `Import circles:\n${found.map((c) => `  ${c}`).join('\n')}`);
    const fake = (path: string, text: string) => parse(join(root, path), text);
    const probe = circles([
      fake('src/modules/home/fake-a.service.ts', "import type { B } from './fake-b.service.ts';"),
      fake('src/modules/home/fake-b.service.ts', "export { a } from './fake-a.service.ts';"),
      fake('src/modules/home/fake-c.service.ts', "import { a } from './fake-a.service.ts';"),
    ]);
    assert.deepEqual(probe, ['src/modules/home/fake-a.service.ts <-> src/modules/home/fake-b.service.ts'], 'the check sees a circle (the test can fail)');
  });

  it('the checks see each kind of import and of SQL (the test can fail)', () => {
    const fake = (path: string, text: string) => parse(join(root, path), text);
    const probe = crossings([
      ...files.filter((f) => f.file.endsWith('.table.ts')),
      fake('src/platform/fake.ts', "import type { User } from '../modules/accounts/users.service';"),
      fake('src/ui/fake.tsx', "export { users } from '../modules/accounts/accounts.table';"),
      fake('src/db/fake.ts', "type T = typeof import('../modules/catalogue/catalogue.rules');"),
      fake('src/domain/fake.ts', "import { z } from 'zod';"),
      fake('src/modules/home/fake.routes.tsx', "import type { RouteDeps } from '../../app';"),
      fake('src/modules/staff/fake.service.ts', [
        "import { courses } from '../catalogue/catalogue.table';",
        "import { outbox } from '../../platform/platform.table';",
        'const q = sql`select 1 from applications a join "offers" o on o.x = ${1} where exists (select 1 from staff_scopes)`;',
        'const r = sql`update ${x} set y = 1 where id in (${sql`select id FROM Jobs`}) and extract(epoch from users_x)`;',
      ].join('\n')),
      fake('src/modules/home/fake.service.ts', "import { freePlacesOf } from '../selection/places';\nimport { sessionsInScope } from '../catalogue';"),
      fake('src/modules/home/fkok.table.ts', "import { users } from '../accounts/accounts.table';\n// users here\nconst t = { a: uuid('a').references(() => users.id) };"),
      fake('src/modules/home/fkbad.table.ts', "import { users } from '../accounts/accounts.table';\nconst t = { a: uuid('a').references(() => users.id) };\nexport const again = users;"),
      fake('src/modules/staff/fake.test.ts', "import { courses } from '../catalogue/catalogue.table';\nimport { buildApp } from '../../app';"),
      fake('src/modules/documents/fake.service.ts', "import { getApplication } from '../applications';\nimport { scopeOf } from '../scopes';"),
      fake('src/modules/catalogue/fake.service.ts', "import { placesHeld } from '../selection';"),
    ]);
    const fakes = (list: string[]) => list.filter((line) => line.includes('/fake.'));
    assert.deepEqual(fakes(probe.layers), [
      'src/db/fake.ts -> src/modules/catalogue/catalogue.rules.ts',
      'src/domain/fake.ts -> zod (the domain imports nothing)',
      'src/modules/home/fake.routes.tsx -> src/app.ts (the composition root)',
      'src/platform/fake.ts -> src/modules/accounts/users.service.ts',
      'src/ui/fake.tsx -> src/modules/accounts/accounts.table.ts',
    ]);
    assert.deepEqual(fakes(probe.tableImports), ['src/modules/staff/fake.service.ts -> src/modules/catalogue/catalogue.table.ts', 'src/modules/staff/fake.service.ts -> src/platform/platform.table.ts']);
    assert.deepEqual(
      probe.tableImports.filter((l) => l.includes('/fk')),
      ['src/modules/home/fkbad.table.ts -> src/modules/accounts/accounts.table.ts'],
      'a foreign key is the only use a table file may make of another module’s table',
    );
    assert.deepEqual(fakes(probe.facadeImports), ['src/modules/home/fake.service.ts -> src/modules/selection/places.ts']);
    assert.deepEqual(fakes(probe.upward), [
      'src/modules/catalogue/fake.service.ts -> src/modules/selection/index.ts',
      'src/modules/documents/fake.service.ts -> src/modules/applications/index.ts',
    ]);
    assert.deepEqual(fakes(probe.sqlTables), [
      'src/modules/staff/fake.service.ts names applications (applications)',
      'src/modules/staff/fake.service.ts names jobs (platform)',
      'src/modules/staff/fake.service.ts names offers (selection)',
      'src/modules/staff/fake.service.ts names staff_scopes (scopes)',
    ]);
  });
});
