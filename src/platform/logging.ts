/**
 * What the request log may keep of a URL: the paths that carry a secret (a link's token, the
 * private calendar feed's key) are written with the secret masked, and query strings are dropped
 * (they may carry a return path, a search, a PayFiP `idop`). The log is read by more people
 * than the database.
 */
const SECRET_PATHS: readonly RegExp[] = [
  /^(\/calendrier\/)[^/?]+(\.ics)$/,
  /^(\/payer\/)[^/?]+()$/,
  /^(\/activation\/)(?!renvoyer$)[^/?]+()$/,
  /^(\/mot-de-passe\/)[^/?]+()$/,
  /^(\/compte\/adresse\/)[^/?]+()$/,
  /^(\/personnel\/convocations\/)[^/?]+()$/,
];

export function redactUrl(url: string): string {
  const path = url.split('?')[0];
  for (const pattern of SECRET_PATHS) if (pattern.test(path)) return path.replace(pattern, '$1…$2');
  return path;
}

/** The request serializer of the app's logger: fastify's fields, the URL redacted. */
export function requestLog(req: { method: string; url: string; host?: string; ip?: string }) {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip };
}

/** What the app logs of a request once it is answered (development's one line, `requestLine`). */
export interface RequestSummary {
  method: string;
  url: string;
  statusCode: number;
  ms: number;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const clockTime = (time: unknown) => (typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '--:--:--.---');

/** Issue 19: a request's one line: `12:00:01.250 GET /sessions 200 12 ms #1a2b3c4d`. */
export function requestLine(time: unknown, request: RequestSummary, reqId: unknown): string {
  return `${clockTime(time)} ${request.method} ${request.url} ${request.statusCode} ${request.ms} ms${reqId ? ` #${String(reqId)}` : ''}`;
}

/**
 * Issue 19: outside production the log is for a person at a terminal: each of pino's JSON lines
 * becomes one readable line (time, level, message, the other fields as JSON; an error's stack
 * below it), a request's summary becomes `requestLine`. Production keeps pino's JSON, for machines.
 * A line that is not JSON goes as it came.
 */
export function readableLogStream(out: { write(text: string): unknown }): { write(line: string): void } {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line.endsWith('\n') ? line : `${line}\n`);
        return;
      }
      const { time, level, msg, reqId, pid: _pid, hostname: _hostname, request, err, ...rest } = entry;
      if (request && typeof request === 'object') {
        out.write(`${requestLine(time, request as RequestSummary, reqId)}\n`);
        return;
      }
      const fields = { ...(reqId ? { reqId } : {}), ...rest };
      const stack = err && typeof err === 'object' && typeof (err as { stack?: unknown }).stack === 'string' ? `\n${(err as { stack: string }).stack}` : '';
      const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
      out.write(`${clockTime(time)} ${LEVELS[Number(level)] ?? String(level)} ${String(msg ?? '')}${extra}${stack}\n`);
    },
  };
}
