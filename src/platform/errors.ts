import type { MessageKey } from './i18n';

/**
 * One error type for everything a person can cause. Each code maps to an HTTP status and a
 * message in one place (`errorCatalogue`); the route layer never picks a status by hand.
 */
export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'csrf'
  | 'rate_limited'
  | 'validation'
  | 'conflict'
  | 'unavailable';

export const errorCatalogue: Record<ErrorCode, { status: number; title: MessageKey; message: MessageKey }> = {
  not_found: { status: 404, title: 'error.notFound.title', message: 'error.notFound.message' },
  forbidden: { status: 403, title: 'error.forbidden.title', message: 'error.forbidden.message' },
  unauthenticated: { status: 401, title: 'error.unauthenticated.title', message: 'error.unauthenticated.message' },
  csrf: { status: 403, title: 'error.csrf.title', message: 'error.csrf.message' },
  rate_limited: { status: 429, title: 'error.rateLimited.title', message: 'error.rateLimited.message' },
  validation: { status: 400, title: 'error.validation.title', message: 'error.validation.message' },
  conflict: { status: 409, title: 'error.conflict.title', message: 'error.conflict.message' },
  unavailable: { status: 503, title: 'error.unavailable.title', message: 'error.unavailable.message' },
};

export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode) {
    super(code);
    this.status = errorCatalogue[code].status;
  }
}
