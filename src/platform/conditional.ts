import { createHash } from 'node:crypto';

/**
 * HTTP's conditional GET (RFC 9110 §13.1), written once for every answer that has validators:
 * the public API's and the open-data files'. Pure; `platform/http`'s `sendIfModified` applies it
 * to a reply.
 */

/** What a representation is known by: its entity tag, and when it last changed (if known). */
export interface Validators {
  etag: string;
  lastModified?: Date;
}

/**
 * Does the request's condition say the client's copy is current (304)? `If-None-Match` first:
 * `*`, or one of its tags by the weak comparison (a `W/` prefix ignored), as a GET or HEAD
 * compares; only without it, `If-Modified-Since` against the last change, to the second.
 */
export function notModified(headers: { ifNoneMatch?: string; ifModifiedSince?: string }, validators: Validators): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const tags = headers.ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(validators.etag);
  }
  if (headers.ifModifiedSince !== undefined && validators.lastModified) {
    const since = Date.parse(headers.ifModifiedSince);
    return Number.isFinite(since) && Math.floor(validators.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

/** A strong entity tag (RFC 9110 §8.8.3) of some text (or its bytes): a hash of it, quoted. */
export function etagOfText(text: string | Buffer): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}
