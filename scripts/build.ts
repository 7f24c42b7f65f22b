/**
 * `npm run build`: the production build (decision 026). The app's own TypeScript is bundled by
 * esbuild into plain JavaScript in `dist/` (`dist/main.js`, the entry, and the chunks of what is
 * loaded only when needed, like the demo's identity provider); the packages stay outside the bundle,
 * loaded from node_modules as they are. No TypeScript compiler or loader runs in production:
 * `npm run start:prod` is `node dist/main.js start`.
 *
 * What the code reads from disk beside itself is copied into `dist/` in the same layout as in the
 * repository (`dist/drizzle`, `dist/public`, `dist/src/modules/help/content`, …). Each source file's
 * `import.meta.url` and `import.meta.dirname` are rewritten to the place it has in that layout (in
 * one bundle they would all be dist/main.js's), so `new URL('./data/x.csv', import.meta.url)` finds
 * the copy without any change to the code. The build fails when the code that runs at start
 * imports a package that is not a dependency (a devDependency is missing once pruned).
 */
import { build, type Plugin } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** Rewrites `import.meta.url` / `import.meta.dirname` to the file's place under dist/ (see above). */
const sourcePlaces: Plugin = {
  name: 'source-places',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const rel = relative(root, args.path).split(sep).join('/');
      const contents = source
        .replaceAll('import.meta.dirname', `__cursusPlace(${JSON.stringify(dirname(rel))})`)
        .replaceAll('import.meta.url', `__cursusUrl(${JSON.stringify(rel.replace(/\.tsx?$/, '.js'))})`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

// Every output file (the entry and its chunks) is directly in dist/: its own URL gives the layout's root.
const banner = [
  "import { fileURLToPath as __cursusPath } from 'node:url';",
  "import { join as __cursusJoin } from 'node:path';",
  'const __cursusBase = new URL(".", import.meta.url);',
  'const __cursusPlace = (dir) => __cursusJoin(__cursusPath(__cursusBase), dir);',
  'const __cursusUrl = (file) => new URL(file, __cursusBase).href;',
].join('\n');

/** Copies what the code reads at run time: every file of src/ that is not code nor a test, and the folders beside. */
function copyAssets(out: string) {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? walk(path) : [path];
    });
  for (const file of walk(join(root, 'src'))) {
    if (/\.tsx?$/.test(file) || /\.test\./.test(file)) continue;
    const target = join(out, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
  // The migrations, the static files, the demo's example files of the legacy import.
  for (const dir of ['drizzle', 'public', 'docs/examples/legacy']) cpSync(join(root, dir), join(out, dir), { recursive: true });
}

/** `out`: dist/ by default; a test that runs beside another build gives its own folder (under the repository, for node_modules). */
export async function buildProduction(options: { out?: string } = {}): Promise<{ ms: number }> {
  const out = options.out ?? dist;
  const began = Date.now();
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/main.ts' },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: true,
    // A stack trace names the source files and lines (node --enable-source-maps).
    sourcesContent: false,
    banner: { js: banner },
    plugins: [sourcePlaces],
    metafile: true,
    logLevel: 'warning',
  });
  copyAssets(out);
  checkDependencies(result.metafile, `${relative(root, out).split(sep).join('/')}/main.js`);
  return { ms: Date.now() - began };
}

/** The packages the entry chunk imports statically must be dependencies (not devDependencies). */
function checkDependencies(metafile: { outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }> }, entry: string) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const name = (path: string) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]);
  const main = metafile.outputs[entry];
  const eager = new Set<string>();
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const i of metafile.outputs[output]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) eager.add(i.path);
      else visit(i.path);
    }
  };
  if (!main) throw new Error(`the build made no ${entry}`);
  visit(entry);
  const missing = [...eager].filter((p) => !p.startsWith('node:') && !builtinModules.includes(p) && !(name(p) in pkg.dependencies));
  if (missing.length) throw new Error(`${entry} imports packages that are not dependencies: ${[...new Set(missing.map(name))].join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { ms } = await buildProduction();
  const size = statSync(join(dist, 'main.js')).size;
  console.log(`Built dist/main.js (${Math.round(size / 1024)} KiB) and its files in ${ms} ms${existsSync(join(dist, 'main.js.map')) ? ', with source maps' : ''}.`);
}
