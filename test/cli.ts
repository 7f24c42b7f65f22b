import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * `npm run cli -- …` in a child process with only these variables (and what a shell gives: PATH,
 * HOME, LANG, TMPDIR, TZ), killed after a minute (or `timeoutMs`): what a person typing the command would see.
 */
export function runCli(args: string[], vars: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...vars };
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) if (process.env[name]) env[name] = process.env[name]!;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
