import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDatabaseUnavailable } from './database';

describe('issue 19 point 4: which errors mean the database is unavailable (503, try again) rather than a fault (500)', () => {
  it('the server restarting or down, the pool out of time, too many connections; through drizzle’s wrapper', () => {
    const shapes: unknown[] = [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      new Error('Failed query: select 1', { cause: Object.assign(new Error('terminating connection'), { code: '57P01' }) }),
    ];
    for (const error of shapes) assert.equal(isDatabaseUnavailable(error), true, String(error));
  });

  it('a query’s own fault is not: a constraint, a syntax error, a bad value, a plain bug', () => {
    const shapes: unknown[] = [
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      Object.assign(new Error('syntax error at or near'), { code: '42601' }),
      Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }),
      new TypeError('Cannot read properties of undefined'),
      new Error('Failed query', { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) }),
      undefined,
      'a string',
    ];
    for (const error of shapes) assert.equal(isDatabaseUnavailable(error), false, String(error));
  });
});
