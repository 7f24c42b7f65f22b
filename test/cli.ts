import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * The command line's entry and how to run it: the production build of the same code when the test
 * command made one for the run (`CURSUS_TEST_MAIN`, scripts/test.ts), which starts in a fraction
 * of the time tsx takes to load src/main.ts file by file; otherwise src/main.ts through tsx.
 */
export const cliCommand = (): string[] =>
  process.env.CURSUS_TEST_MAIN ? ['--enable-source-maps', process.env.CURSUS_TEST_MAIN] : ['--import', 'tsx', 'src/main.ts'];

/**
 * `npm run cli -- …` (`tsx`: through tsx even when the run has a production build) in a child process with only these variables (and what a shell gives: PATH,
 * HOME, LANG, TMPDIR, TZ), killed after a minute (or `timeoutMs`): what a person typing the command would see.
 */
export function runCli(args: string[], vars: Record<string, string>, timeoutMs = 60_000, options: { tsx?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...vars };
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) if (process.env[name]) env[name] = process.env[name]!;
  const child = spawn(process.execPath, [...(options.tsx ? ['--import', 'tsx', 'src/main.ts'] : cliCommand()), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}
