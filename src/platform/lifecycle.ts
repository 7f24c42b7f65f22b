/**
 * Issue 19: where the process is in its life, for the readiness check (`/readyz`). The
 * shutdown sequence (main.ts, on SIGTERM, SIGINT, SIGHUP) calls `markShuttingDown()` first: from
 * then on `/readyz` answers 503, so a load balancer stops sending new requests while those under
 * way finish. Liveness (`/healthz`) is not affected: the process still answers.
 */
let shuttingDown = false;

/** The process has begun to stop (or, `false`, a test puts it back). */
export function markShuttingDown(value = true): void {
  shuttingDown = value;
}

export function isShuttingDown(): boolean {
  return shuttingDown;
}
