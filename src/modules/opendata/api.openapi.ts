import { z } from 'zod';
import {
  apiComponents,
  coursePageSchema,
  courseSchema,
  coursesParams,
  domainListSchema,
  noParams,
  pathCode,
  periodListSchema,
  problemTypes,
  schoolListSchema,
  sessionPageSchema,
  sessionSchema,
  sessionsParams,
  type Params,
} from './api.schema';

/**
 * SVC-8: the OpenAPI 3.1 document of the public API, generated from the zod schemas that
 * validate it (`api.schema.ts`, through zod's own `z.toJSONSchema`, JSON Schema 2020-12 as
 * OpenAPI 3.1 uses it). The routes (`api.routes.tsx`) are declared from the same list.
 */

export type Endpoint = {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  params: Params;
  /** The path's `{code}` parameter. */
  code?: string;
  response: z.ZodType;
  paged?: boolean;
};

export const endpoints: readonly Endpoint[] = [
  {
    path: '/sessions',
    operationId: 'listSessions',
    summary: 'Sessions, with their meetings and free places',
    description:
      'The sessions matching the filters, in the search page’s order (course title, then school, then code), a page at a time. The same query as the site’s search: the same sessions, the same free places.',
    params: sessionsParams,
    response: sessionPageSchema,
    paged: true,
  },
  { path: '/sessions/{code}', operationId: 'getSession', summary: 'One session', description: 'One session by its code, with its meetings and free places.', params: noParams, code: 'The session code.', response: sessionSchema },
  { path: '/courses', operationId: 'listCourses', summary: 'Courses', description: 'The courses (the catalogue sheets), in code order, a page at a time.', params: coursesParams, response: coursePageSchema, paged: true },
  { path: '/courses/{code}', operationId: 'getCourse', summary: 'One course', description: 'One course by its code; its sessions are at `sessions`.', params: noParams, code: 'The course code.', response: courseSchema },
  { path: '/schools', operationId: 'listSchools', summary: 'Schools', description: 'Every school, by arrondissement then name.', params: noParams, response: schoolListSchema },
  { path: '/domains', operationId: 'listDomains', summary: 'Domains', description: 'Every domain of courses, in the site’s order.', params: noParams, response: domainListSchema },
  { path: '/periods', operationId: 'listPeriods', summary: 'Registration periods', description: 'Every registration period, by the opening of its application window, with its state now.', params: noParams, response: periodListSchema },
];

const ref = (schema: z.ZodType) => {
  const id = apiComponents.get(schema)?.id;
  if (!id) throw new Error('a response schema of the API must be registered in apiComponents');
  return { $ref: `#/components/schemas/${id}` };
};

/** A JSON Schema as OpenAPI embeds it: without its own `$schema` and `$id`. */
function embedded(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

function parameters(endpoint: Endpoint) {
  const query = Object.entries(endpoint.params).map(([name, { schema }]) => {
    const inner = schema.unwrap() as z.ZodType;
    const json = embedded(z.toJSONSchema(inner, { io: 'input' }) as Record<string, unknown>);
    const { description, ...rest } = json;
    return { name, in: 'query', required: false, description, schema: rest };
  });
  const path = endpoint.code ? [{ name: 'code', in: 'path', required: true, description: endpoint.code, schema: embedded(z.toJSONSchema(pathCode, { io: 'input' }) as Record<string, unknown>) }] : [];
  return [...path, ...query];
}

const cacheHeaders = {
  ETag: { description: 'A strong tag of the body; send it back in `If-None-Match` to get a 304 when nothing changed.', schema: { type: 'string' } },
  'Cache-Control': { description: '`public, max-age=…`: a few seconds.', schema: { type: 'string' } },
  'RateLimit-Limit': { description: 'Requests allowed per address in the window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the window.', schema: { type: 'integer' } },
};

/** The document, the same for every request (its server is relative: `/api/v1` on the host that serves it). */
export function openApiDocument() {
  const { schemas } = z.toJSONSchema(apiComponents, { uri: (id) => `#/components/schemas/${id}` });
  const paths: Record<string, unknown> = {};
  for (const endpoint of endpoints) {
    paths[endpoint.path] = {
      get: {
        operationId: endpoint.operationId,
        summary: endpoint.summary,
        description: endpoint.description,
        parameters: parameters(endpoint),
        responses: {
          '200': { description: 'OK', headers: cacheHeaders, content: { 'application/json': { schema: ref(endpoint.response) } } },
          '304': { description: 'Not modified: the `If-None-Match` tag is the current one.', headers: { ETag: cacheHeaders.ETag } },
          '400': problem('A parameter is unknown, repeated or invalid, or the cursor is not one this API gave for this query (`parameter` names it).'),
          ...(endpoint.code ? { '404': problem('No such code.') } : {}),
          '429': problem('Too many requests from this address; `Retry-After` says when to try again.'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cursus public API',
      version: '1.0.0',
      description:
        'The course catalogue of the adult courses as open data (SPEC SVC-8): courses, sessions with their meetings and free places, schools, domains and registration periods. Read-only, no login, open to every origin (CORS), limited per address. Versioned in the path: a change that could break a client is a new version (`/api/v2`); within a version fields are only added.',
      license: { name: 'Licence Ouverte / Open Licence 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api/v1' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, embedded(schema as Record<string, unknown>)])),
    },
    'x-problem-types': problemTypes,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;



