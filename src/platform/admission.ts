import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Issue 19 point 9: admission, the bound on the work a process has in hand. Without it, a crowd
 * beyond what the process can serve waits in the database pool (seconds) and every request gets
 * slow; with it, the process serves what it can at its usual speed and answers the rest at once
 * with the 503 page (or the API's problem) and Retry-After. Measured with `npm run bench:shed`
 * (bench/README.md); the limits are the configuration's (ADMISSION_*, docs/deploy.md).
 *
 * Two classes, each with its own requests in progress and its own queue:
 * - **reads** (GET, HEAD, OPTIONS) wait a short time (ADMISSION_READ_WAIT_MS) in a short queue
 *   (ADMISSION_READ_QUEUE). Oldest first while the process keeps up: every request of a busy
 *   process waits about the same, short time. Newest first once it does not (decision 033,
 *   "adaptive"): for ten seconds after a read was refused because the whole queue was full, or
 *   because one waited its whole bound while served in order. Then the queue is half as long,
 *   the ones served have waited least, and the oldest is refused as soon as a newcomer finds the
 *   queue full (a queue served oldest first under a crowd makes every served request wait the
 *   whole queue; refusing at the end of the wait keeps the connection of each refused request
 *   that long). Asking again costs the person nothing. A request whose client left while it
 *   waited frees its place;
 * - **writes** (POST and the rest: a validation, a payment, a login) wait much longer
 *   (ADMISSION_WRITE_WAIT_MS), oldest first: a refused form is work lost for the person, and
 *   the registration rush is many people each waiting for their own answer (a closed loop),
 *   which queues without growing. Their own class, so that a flood of logins (held by the
 *   hashing pool) or validations does not keep the pages from being served.
 */
export type AdmissionClass = 'read' | 'write';

export interface ClassLimits {
  /** Requests of the class in progress at once. */
  inFlight: number;
  /** How long one may wait for its turn before it is refused. */
  waitMs: number;
  /** How many may wait; past it, reads refuse the oldest waiting, writes the newcomer, at once. */
  queue: number;
}

export type AdmissionLimits = Record<AdmissionClass, ClassLimits>;

/** Why a request was refused: the queue was full (for a read: it was the oldest waiting when it was), or it waited its whole bound. */
export type ShedReason = 'queue_full' | 'waited';

export interface AdmissionStats {
  inFlight: Record<AdmissionClass, number>;
  waiting: Record<AdmissionClass, number>;
}

/** The error a refused request fails with, answered by the error handlers as 503 (`isShed`, platform/health). */
export const SHED_CODE = 'CURSUS_SHED';
/** What a refused request is told: come back in a few seconds. */
export const SHED_RETRY_AFTER_SECONDS = 5;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const admissionClass = (method: string): AdmissionClass => (READS.has(method) ? 'read' : 'write');

interface Waiter {
  admit(reason: ShedReason | 'gone' | null): void;
  timer: NodeJS.Timeout;
  /** When it began to wait (the admission's clock). */
  since: number;
}

/** The admission's clock in milliseconds: when a read began to wait, until when a queue is overloaded (a test gives its own). */
export type AdmissionClock = () => number;

/**
 * How long a read's queue stays newest first after it overflowed (decision 033, "adaptive"). Ten
 * seconds: each return to serving in order serves the oldest left waiting first (the tail of a
 * crowd's served p99); at one second, `bench:shed` at one crowd failed three runs of three.
 */
export const OVERLOADED_MS = 10_000;

/**
 * One class's turns: `enter` answers null (admitted: call `leave` once done) or why it is refused.
 * Adaptive (reads): oldest first; for OVERLOADED_MS after an overflow, newest first and the queue
 * half as long. Not adaptive (writes): oldest first, always, and a full queue refuses the newcomer.
 */
class Turns {
  active = 0;
  private readonly waiters: Waiter[] = [];
  private overloadedUntil = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly limits: ClassLimits,
    private readonly adaptive: boolean,
    private readonly now: AdmissionClock,
  ) {}

  get waiting(): number {
    return this.waiters.length;
  }

  /** Is the class overloaded (served newest first)? */
  get overloaded(): boolean {
    return this.adaptive && this.now() < this.overloadedUntil;
  }

  private overflowed(): void {
    if (this.adaptive) this.overloadedUntil = this.now() + OVERLOADED_MS;
  }

  /** `onWait` is given, if the request must wait, what takes it out of the queue (its client gone: 'gone'). */
  enter(onWait?: (cancel: () => void) => void): null | ShedReason | Promise<null | ShedReason | 'gone'> {
    if (this.active < this.limits.inFlight) {
      this.active++;
      return null;
    }
    // Overloaded, a read's queue is half as long: under a crowd the ones served have waited least.
    const half = Math.max(1, Math.floor(this.limits.queue / 2));
    const bound = this.overloaded ? half : this.limits.queue;
    if (this.waiters.length >= bound) {
      // Only the whole queue full says the process does not keep up: were the half queue's
      // overflows to prolong the overload, a steady crowd a little larger than it would keep it
      // overloaded for good (50 connections in a loop on a queue of 32). (A queue of 1 is its own
      // half: there every overflow does.)
      if (this.waiters.length >= this.limits.queue) this.overflowed();
      if (!this.adaptive || this.limits.queue === 0) return 'queue_full';
      // Overloaded: the oldest waiting would be served last, if at all; they are refused now, not
      // at the end of their wait, and the newcomer takes their place.
      while (this.waiters.length >= half) {
        const oldest = this.waiters.shift()!;
        clearTimeout(oldest.timer);
        oldest.admit('queue_full');
      }
    }
    return new Promise((admit) => {
      const waiter: Waiter = {
        admit,
        since: this.now(),
        timer: setTimeout(() => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          // Served in order all its wait and still not served in time: the process does not keep
          // up. (Served newest first, even part of its wait, the oldest wait their bound by design:
          // that does not make the overload last longer.)
          if (waiter.since >= this.overloadedUntil) this.overflowed();
          admit('waited');
        }, this.limits.waitMs),
      };
      this.waiters.push(waiter);
      onWait?.(() => {
        const at = this.waiters.indexOf(waiter);
        if (at < 0) return;
        this.waiters.splice(at, 1);
        clearTimeout(waiter.timer);
        admit('gone');
      });
    });
  }

  /** A request done: its turn goes to the next waiting (as is, still counted in progress), or is freed. */
  leave(): void {
    const next = this.overloaded ? this.waiters.pop() : this.waiters.shift();
    if (!next) {
      this.active--;
      return;
    }
    clearTimeout(next.timer);
    next.admit(null);
  }
}

export interface Admission {
  /**
   * Admitted (call the returned `leave` once) or refused, for a request of this class; 'gone'
   * when `onWait`'s cancel was called while it waited (its client left: its place is freed).
   */
  enter(kind: AdmissionClass, onWait?: (cancel: () => void) => void): Promise<{ leave: () => void } | ShedReason | 'gone'>;
  stats(): AdmissionStats;
}

export function createAdmission(limits: AdmissionLimits, now: AdmissionClock = () => performance.now()): Admission {
  const turns: Record<AdmissionClass, Turns> = { read: new Turns(limits.read, true, now), write: new Turns(limits.write, false, now) };
  return {
    async enter(kind, onWait) {
      const reason = await turns[kind].enter(onWait);
      if (reason) return reason;
      let left = false;
      return {
        leave: () => {
          if (left) return;
          left = true;
          turns[kind].leave();
        },
      };
    },
    stats: () => ({
      inFlight: { read: turns.read.active, write: turns.write.active },
      waiting: { read: turns.read.waiting, write: turns.write.waiting },
    }),
  };
}

export interface AdmissionOptions {
  limits: AdmissionLimits;
  /** Requests never counted nor refused (static files, the probes, the metrics). */
  exempt(request: FastifyRequest): boolean;
  /** Told of every refusal (the metrics count them). */
  onShed?(kind: AdmissionClass, reason: ShedReason): void;
}

const shedError = () => Object.assign(new Error('Service Unavailable: too many requests in progress'), { code: SHED_CODE, statusCode: 503 });

/**
 * The onRequest hook that takes a turn before the request's work (its login's lookup, its route)
 * and gives it back when the answer is sent or the connection is gone. A request refused fails
 * with the shed error, Retry-After set, which the error handlers answer as the 503 page or, under
 * /api, the problem (one place: they know `isShed`). Returns the admission (its stats).
 */
export function registerAdmission(app: FastifyInstance, options: AdmissionOptions): Admission {
  const admission = createAdmission(options.limits);
  const leaving = new WeakMap<FastifyRequest, () => void>();
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (options.exempt(request)) return done();
    const kind = admissionClass(request.method);
    // The connection closed (the answer sent, or the client gave up, maybe while it waited): a
    // turn taken is given back, once, whether or not fastify still runs the request; a place in
    // the queue is freed (a crowd's clients that gave up would otherwise fill it).
    let gone = false;
    let turnLeave: (() => void) | undefined;
    let cancelWait: (() => void) | undefined;
    reply.raw.once('close', () => {
      gone = true;
      turnLeave?.();
      cancelWait?.();
    });
    void admission.enter(kind, (cancel) => (cancelWait = cancel)).then((turn) => {
      cancelWait = undefined;
      if (turn === 'gone') return done(shedError());
      if (typeof turn === 'string') {
        options.onShed?.(kind, turn);
        reply.code(503).header('retry-after', String(SHED_RETRY_AFTER_SECONDS));
        return done(shedError());
      }
      if (gone) turn.leave();
      turnLeave = turn.leave;
      leaving.set(request, turn.leave);
      done();
    });
  });
  app.addHook('onResponse', (request, _reply, done) => {
    leaving.get(request)?.();
    done();
  });
  return admission;
}
