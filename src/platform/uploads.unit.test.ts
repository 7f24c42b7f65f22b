import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { multipartBody, samples, type Part } from '../../test/multipart';
import '../messages';
import { registerUploads, uploadedForm } from './uploads';

/** A bare app with the upload plugin: one route that takes a file, one that does not. */
describe('multipart forms (platform/uploads): every limit and malformed body is a form error, never a 500', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ logger: false });
    await registerUploads(app, { maxFileBytes: async () => 1024 });
    app.post('/upload', { config: { upload: true } }, async (request) => {
      const form = uploadedForm(request, 'file');
      return { fields: form.fields, body: request.body, file: form.file && { name: form.file.name, size: form.file.data.length }, fileError: form.fileError, fieldErrors: form.fieldErrors };
    });
    app.post('/long', { config: { upload: { maxFieldBytes: 8_000 } } }, async (request) => ({ fields: uploadedForm(request, 'file').fields, fieldErrors: uploadedForm(request, 'file').fieldErrors }));
    app.post('/plain', async () => ({ ok: true }));
    await app.ready();
  });
  after(() => app.close());

  const send = async (parts: Part[], url = '/upload') => {
    const { payload, contentType } = multipartBody(parts);
    const response = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
    return { status: response.statusCode, json: response.statusCode === 200 ? response.json() : null };
  };

  it('reads the text fields (also the body, where the CSRF check looks) and one file', async () => {
    const { status, json } = await send([
      { name: '_csrf', value: 'token' },
      { name: 'allowance', value: 'rsa' },
      { name: 'file', filename: 'attestation.png', type: 'image/png', data: samples.png },
    ]);
    assert.equal(status, 200);
    assert.deepEqual(json.fields, { _csrf: 'token', allowance: 'rsa' });
    assert.deepEqual(json.body, json.fields);
    assert.deepEqual(json.file, { name: 'attestation.png', size: samples.png.length });
    assert.equal(json.fileError, null);
  });

  it('a file over the limit is refused next to the file, the fields after it kept', async () => {
    const { status, json } = await send([
      { name: '_csrf', value: 'token' },
      { name: 'file', filename: 'big.pdf', type: 'application/pdf', data: Buffer.alloc(1025, 0x41) },
      { name: 'proofDate', value: '01/09/2026' },
    ]);
    assert.equal(status, 200);
    assert.equal(json.file, null);
    assert.deepEqual(json.fileError, { message: 'upload.tooLarge', params: { max: 1 } });
    assert.equal(json.fields.proofDate, '01/09/2026');
  });

  it('a file of exactly the limit is taken', async () => {
    const { json } = await send([{ name: 'file', filename: 'edge.pdf', data: Buffer.alloc(1024, 0x41) }]);
    assert.equal(json.file.size, 1024);
    assert.equal(json.fileError, null);
  });

  it('a second file is refused ("one file at a time"), the fields before it kept', async () => {
    const { json } = await send([
      { name: '_csrf', value: 'token' },
      { name: 'file', filename: 'a.png', data: samples.png },
      { name: 'file', filename: 'b.png', data: samples.png },
    ]);
    assert.deepEqual(json.fileError, { message: 'upload.oneFile' });
    assert.equal(json.fields._csrf, 'token');
  });

  it('a text field over its size is cut and refused next to it; too many fields is an unreadable form', async () => {
    const long = await send([{ name: 'proofDate', value: 'x'.repeat(2_001) }]);
    assert.deepEqual(long.json.fieldErrors.proofDate, { message: 'field.tooLong', params: { max: 2_000 } });
    const many = await send(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, value: 'x' })));
    assert.deepEqual(many.json.fileError, { message: 'upload.unreadable' });
  });

  it('a route may take longer text fields (a 2 000-character text in UTF-8 is up to 8 000 bytes)', async () => {
    const text = 'é'.repeat(2_000);
    const taken = await send([{ name: 'explanation', value: text }], '/long');
    assert.equal(taken.json.fields.explanation, text);
    assert.deepEqual(taken.json.fieldErrors, {});
    const cut = await send([{ name: 'explanation', value: 'x'.repeat(8_001) }], '/long');
    assert.deepEqual(cut.json.fieldErrors.explanation, { message: 'field.tooLong', params: { max: 8_000 } });
  });

  it('a body cut short, a wrong boundary or a field named like a prototype property is an unreadable form', async () => {
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: 'token' }, { name: 'file', filename: 'a.png', data: samples.png }]);
    const cut = await app.inject({ method: 'POST', url: '/upload', payload: payload.subarray(0, payload.length - 30), headers: { 'content-type': contentType } });
    assert.equal(cut.statusCode, 200);
    assert.deepEqual(cut.json().fileError, { message: 'upload.unreadable' });
    const noBoundary = await app.inject({ method: 'POST', url: '/upload', payload, headers: { 'content-type': 'multipart/form-data' } });
    assert.equal(noBoundary.statusCode, 200);
    assert.deepEqual(noBoundary.json().fileError, { message: 'upload.unreadable' });
    const proto = await send([{ name: '__proto__', value: 'x' }]);
    assert.deepEqual(proto.json.fileError, { message: 'upload.unreadable' });
  });

  it('a file input left empty is no file; a file under another field name is not taken', async () => {
    const empty = await send([{ name: 'allowance', value: 'aah' }, { name: 'file', filename: '', data: Buffer.alloc(0) }]);
    assert.equal(empty.json.file, null);
    assert.equal(empty.json.fileError, null);
    const elsewhere = await send([{ name: 'other', filename: 'a.png', data: samples.png }]);
    assert.equal(elsewhere.json.file, null);
  });

  it('a route that takes no file answers a multipart body 415, as before', async () => {
    const { status } = await send([{ name: 'a', value: 'b' }], '/plain');
    assert.equal(status, 415);
  });
});
