import type { Locale } from '../../platform/i18n';
import { translator } from '../../platform/i18n';
import { importConnections, type ConnectionDeps } from './connections.service';

/**
 * Issue 18: `npm run cli -- import-connections [--replace] FILE`: the same import as the staff
 * page, as the service (every session, no actor), with the line report `file:line: column:
 * message`. The command line speaks English, in the configured profile's wording (the process's).
 */
export async function importConnectionsCommand(
  deps: ConnectionDeps,
  input: { fileName: string; content: Uint8Array; replace: boolean },
  locale: Locale = 'en',
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const t = translator(locale);
  const result = await importConnections(deps, { importer: null, ...input });
  if (result.ok) return { code: 0, stdout: [t('att.conn.cli.imported', { id: result.importId, lines: result.lines, added: result.added, unchanged: result.unchanged, superseded: result.superseded })], stderr: [] };
  if (result.code === 'forbidden') return { code: 1, stdout: [], stderr: [t('error.forbidden.message')] };
  return {
    code: 1,
    stdout: [],
    stderr: [t('att.conn.cli.refused'), ...result.problems.map((p) => `  ${input.fileName}:${p.line}: ${p.column ? `${p.column}: ` : ''}${t(p.message, { line: p.line, ...p.params })}`)],
  };
}
