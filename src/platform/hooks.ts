/**
 * Typed seams between modules, so that a lower module never imports a higher one:
 * - a hook is an event a module announces in the caller's transaction ("a place was released")
 *   and other modules subscribe to;
 * - a port is a question a module asks and a higher module answers ("how many places are held
 *   in these sessions?"), with a fallback when no module answers.
 * Modules subscribe and provide when they are loaded (their index.ts), so whoever uses a
 * module has its subscriptions.
 */
export interface Hook<Event, Tx> {
  subscribe(handler: (tx: Tx, event: Event) => Promise<void>): void;
  emit(tx: Tx, event: Event): Promise<void>;
}

export function createHook<Event, Tx>(): Hook<Event, Tx> {
  const handlers: ((tx: Tx, event: Event) => Promise<void>)[] = [];
  return {
    subscribe: (handler) => void (handlers.includes(handler) || handlers.push(handler)),
    emit: async (tx, event) => {
      for (const handler of handlers) await handler(tx, event);
    },
  };
}

export interface Port<Fn extends (...args: never[]) => unknown> {
  provide(implementation: Fn): void;
  readonly ask: Fn;
}

export function createPort<Fn extends (...args: never[]) => unknown>(fallback: Fn): Port<Fn> {
  let implementation: Fn | undefined;
  return {
    provide: (fn) => void (implementation = fn),
    get ask() {
      return implementation ?? fallback;
    },
  };
}
