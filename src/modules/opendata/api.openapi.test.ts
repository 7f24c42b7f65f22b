import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
// ajv is in node_modules through fastify (its own validator): JSON Schema 2020-12, as OpenAPI 3.1 uses it.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startTestApp, type TestApp } from '../../../test/app';
import { seedCatalogue } from '../catalogue/catalogue.seed';
import { endpoints, openApiDocument } from './api.openapi';
import { problemSchema } from './api.schema';

const snapshotFile = resolve(import.meta.dirname, 'api.openapi.snapshot.json');

/**
 * SVC-8: the OpenAPI document is generated from the API's zod schemas. Its snapshot is committed:
 * a change to the document fails here until the snapshot is rewritten on purpose
 * (`UPDATE_SNAPSHOTS=1 npm test -- opendata/api.openapi`) and reviewed in the diff.
 */
describe('SVC-8 OpenAPI document', () => {
  let t: TestApp;
  const doc = openApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi' });
  const validator = (ref: string) => {
    const validate = ajv.getSchema(`openapi${ref}`);
    assert.ok(validate, `${ref} resolves in the document`);
    return validate;
  };
  const check = (ref: string, body: unknown, what: string) => {
    const validate = validator(ref);
    assert.ok(validate(body), `${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  };

  before(async () => {
    t = await startTestApp({ policies: { apiRequestsPerIpPer10Min: 100_000 } });
    await seedCatalogue(t.db, t.clock, { sessions: 60 });
  });
  after(() => t.close());

  it('SVC-8 the document served is the committed snapshot (OpenAPI 3.1, generated from the code)', async () => {
    const served = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(served.statusCode, 200);
    assert.deepEqual(served.json(), doc);
    assert.equal(doc.openapi, '3.1.0');
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snapshotFile, text);
    assert.equal(text, readFileSync(snapshotFile, 'utf8'), 'the OpenAPI document changed: rewrite the snapshot with UPDATE_SNAPSHOTS=1 and review it');
  });

  it('SVC-8 the document describes every parameter the routes accept, and no response schema is empty (no transform)', () => {
    for (const endpoint of endpoints) {
      const op = (doc.paths[endpoint.path] as { get: { parameters: { name: string; in: string }[] } }).get;
      assert.deepEqual(op.parameters.filter((p) => p.in === 'query').map((p) => p.name), Object.keys(endpoint.params), endpoint.path);
    }
    const empty = (schema: unknown, at: string): string[] => {
      if (!schema || typeof schema !== 'object') return [];
      const s = schema as Record<string, unknown>;
      const here = Object.keys(s).length === 0 ? [at] : [];
      return [...here, ...Object.entries(s).flatMap(([k, v]) => (k === 'required' || k === 'enum' ? [] : empty(v, `${at}/${k}`)))];
    };
    assert.deepEqual(empty(doc.components.schemas, '#/components/schemas'), []);
  });

  it('SVC-8 real answers of every endpoint fit the document’s response schemas (and the zod schemas they come from)', async () => {
    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> & { data?: { code?: string }[] } };
    };
    const sessions = await get('/api/v1/sessions?limit=5&open=true');
    const courses = await get('/api/v1/courses?limit=5');
    const samples: Record<string, string> = {
      '/sessions': '/api/v1/sessions?limit=5&open=true',
      '/sessions/{code}': `/api/v1/sessions/${sessions.body.data![0].code}`,
      '/courses': '/api/v1/courses?limit=5&q=anglais',
      '/courses/{code}': `/api/v1/courses/${courses.body.data![0].code}`,
      '/schools': '/api/v1/schools',
      '/domains': '/api/v1/domains',
      '/periods': '/api/v1/periods',
    };
    assert.deepEqual(Object.keys(samples).sort(), Object.keys(doc.paths).sort(), 'every endpoint is sampled');
    for (const endpoint of endpoints) {
      const res = await get(samples[endpoint.path]);
      assert.equal(res.status, 200, endpoint.path);
      const ref = ((doc.paths[endpoint.path] as { get: { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> } }).get.responses['200'].content['application/json'].schema.$ref);
      check(ref, res.body, endpoint.path);
      endpoint.response.parse(res.body);
    }
    // The errors, too: a 400 naming its parameter, a 404.
    for (const url of ['/api/v1/sessions?limit=1000000000', '/api/v1/sessions/NOPE-1', '/api/v1/courses?x=1']) {
      const res = await get(url);
      check('#/components/schemas/Problem', res.body, url);
      problemSchema.parse(res.body);
    }
  });
});
