/**
 * The test command's bundles: each test process runs one JavaScript file that esbuild made of its
 * test files and everything of ours they import (the packages stay outside, loaded from
 * node_modules as they are). Loading the app file by file through the TypeScript loader cost each
 * process seconds of CPU, the loader's hooks running for every module; one bundle is compiled at
 * once. esbuild is what tsx itself transforms TypeScript with: the code that runs is the same.
 *
 * Each of our files' `import.meta.url`, `.filename` and `.dirname` is rewritten to that file's own
 * place in the repository (in a bundle they would all be the bundle's), so a file read beside the
 * code is found where it is. Only the expressions are rewritten, not text in strings that merely
 * names them (scripts/build.ts writes such strings).
 */
import { build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A quoted string on one line, or one of the three `import.meta` expressions. */
const metaOrString = /('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|\bimport\.meta\.(url|filename|dirname)\b/g;

/** `source` with each `import.meta.url|filename|dirname` outside a quoted string replaced by the file's own. */
export function placeImportMeta(source: string, file: string): string {
  const values = { url: pathToFileURL(file).href, filename: file, dirname: dirname(file) };
  return source.replace(metaOrString, (match, quoted: string | undefined, key: keyof typeof values | undefined) =>
    quoted !== undefined || key === undefined ? match : JSON.stringify(values[key]),
  );
}

const ownPlaces: Plugin = {
  name: 'own-places',
  setup(b) {
    b.onLoad({ filter: /\.(tsx?|mjs)$/ }, (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const contents = placeImportMeta(readFileSync(args.path, 'utf8'), args.path);
      return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/**
 * Bundles each entry (a test file, or a group's file importing its test files) into `outDir`,
 * which must be inside the repository (the bundles import the packages from its node_modules).
 * Returns each bundle's path, in the entries' order.
 */
export async function bundleTests(root: string, entries: string[], outDir: string): Promise<string[]> {
  const names = entries.map((entry, i) => `${String(i + 1).padStart(2, '0')}-${relative(root, entry).replace(/[^a-zA-Z0-9.-]+/g, '_').replace(/\.(test\.)?(m?js|tsx?)$/, '')}`);
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(names.map((name, i) => [name, entries[i]])),
    outdir: outDir,
    outExtension: { '.js': '.test.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // Stack traces name our files and lines (node --enable-source-maps).
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [ownPlaces],
    logLevel: 'error',
  });
  return names.map((name) => join(outDir, `${name}.test.mjs`));
}
