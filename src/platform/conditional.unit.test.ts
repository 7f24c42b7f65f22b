import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etagOfText, notModified } from './conditional';

// One conditional GET for the API and the open-data files (they had one each: same cases, kept).
describe('conditional GET (RFC 9110 §13.1)', () => {
  it('SVC-8 strong ETags of a text, compared weakly by If-None-Match', () => {
    const tag = etagOfText('{"a":1}');
    assert.match(tag, /^"[A-Za-z0-9_-]{27}"$/);
    assert.notEqual(tag, etagOfText('{"a":2}'));
    assert.equal(notModified({ ifNoneMatch: tag }, { etag: tag }), true);
    assert.equal(notModified({ ifNoneMatch: `"x", W/${tag}` }, { etag: tag }), true);
    assert.equal(notModified({ ifNoneMatch: '*' }, { etag: tag }), true);
    assert.equal(notModified({ ifNoneMatch: '"x"' }, { etag: tag }), false);
    assert.equal(notModified({}, { etag: tag }), false);
  });

  it('SVC-8 If-None-Match wins over If-Modified-Since; a date to the second; no date known, no 304 by date', () => {
    const file = { etag: '"abc"', lastModified: new Date('2026-12-02T00:05:00.400Z') };
    assert.equal(notModified({ ifNoneMatch: '"abc"' }, file), true);
    assert.equal(notModified({ ifNoneMatch: 'W/"abc", "x"' }, file), true);
    assert.equal(notModified({ ifNoneMatch: '*' }, file), true);
    assert.equal(notModified({ ifNoneMatch: '"x"', ifModifiedSince: 'Wed, 02 Dec 2026 00:05:00 GMT' }, file), false);
    assert.equal(notModified({ ifModifiedSince: 'Wed, 02 Dec 2026 00:05:00 GMT' }, file), true);
    assert.equal(notModified({ ifModifiedSince: 'Wed, 02 Dec 2026 00:04:59 GMT' }, file), false);
    assert.equal(notModified({ ifModifiedSince: 'not a date' }, file), false);
    assert.equal(notModified({ ifModifiedSince: 'Wed, 02 Dec 2026 00:05:00 GMT' }, { etag: '"abc"' }), false);
    assert.equal(notModified({}, file), false);
  });
});
