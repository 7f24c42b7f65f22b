/**
 * The process's lifecycle, as a flag the platform reads: once the shutdown has begun (SIGTERM,
 * main.ts), the readiness route answers 503 so that a load balancer stops sending requests here.
 */
let shuttingDown = false;

/** The shutdown has begun: called first when the program stops. */
export function markShuttingDown(): void {
  shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return shuttingDown;
}
