import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl } from './logging';

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
