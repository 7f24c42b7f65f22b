import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readableLogStream, redactUrl, requestLine } from './logging';

describe('request log', () => {
  it('CAT-8 the private calendar feed’s key and the links’ tokens never reach the log', () => {
    assert.equal(redactUrl('/calendrier/9fQmX2k1-abcdefghijklmnop.ics'), '/calendrier/….ics');
    assert.equal(redactUrl('/payer/AbCdEf123'), '/payer/…');
    assert.equal(redactUrl('/activation/abc123'), '/activation/…');
    assert.equal(redactUrl('/activation/renvoyer'), '/activation/renvoyer');
    assert.equal(redactUrl('/mot-de-passe/tok'), '/mot-de-passe/…');
    assert.equal(redactUrl('/compte/adresse/tok'), '/compte/adresse/…');
    assert.equal(redactUrl('/personnel/convocations/tok'), '/personnel/convocations/…');
  });
  it('keeps other paths, without their query strings', () => {
    assert.equal(redactUrl('/recherche?q=anglais'), '/recherche');
    assert.equal(redactUrl('/formations/ANG1'), '/formations/ANG1');
    assert.equal(redactUrl('/compte/calendrier'), '/compte/calendrier');
  });
});

describe('the development log (issue 19)', () => {
  const written = (lines: object[]) => {
    const out: string[] = [];
    const stream = readableLogStream({ write: (text: string) => out.push(text) });
    for (const line of lines) stream.write(`${JSON.stringify(line)}\n`);
    return out;
  };
  const time = Date.UTC(2026, 11, 2, 8, 30, 5, 42);

  it('a request is one line: time, method, path, status, milliseconds, request id', () => {
    assert.equal(requestLine(time, { method: 'GET', url: '/sessions', statusCode: 200, ms: 12 }, 'a1b2c3d4'), '08:30:05.042 GET /sessions 200 12 ms #a1b2c3d4');
    assert.deepEqual(written([{ level: 30, time, pid: 1, hostname: 'h', reqId: 'a1b2c3d4', request: { method: 'POST', url: '/connexion', statusCode: 303, ms: 80 }, msg: 'request' }]), [
      '08:30:05.042 POST /connexion 303 80 ms #a1b2c3d4\n',
    ]);
  });

  it('another entry is one readable line (level, message, its fields), an error’s stack under it; what is not JSON goes as it came', () => {
    const [warn] = written([{ level: 40, time, pid: 1, hostname: 'h', msg: 'SMTP_URL is not set', detail: 'outbox' }]);
    assert.equal(warn, '08:30:05.042 WARN SMTP_URL is not set {"detail":"outbox"}\n');
    const [error] = written([{ level: 50, time, reqId: 'ffff0000', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at here' }, msg: 'request failed' }]);
    assert.equal(error, '08:30:05.042 ERROR request failed {"reqId":"ffff0000"}\nError: boom\n    at here\n');
    const out: string[] = [];
    readableLogStream({ write: (text: string) => out.push(text) }).write('plain text');
    assert.deepEqual(out, ['plain text\n']);
  });
});
