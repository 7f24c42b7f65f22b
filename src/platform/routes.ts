import type { FastifySchemaCompiler } from 'fastify';
import { z, type ZodType } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { isUuid } from './input';
import type { Policies } from './policies';

/**
 * What every module's routes receive from the composition root (`src/app.ts`). Modules import
 * this type from here, never from the app: the platform knows no module, the app knows them all.
 */
export interface RouteDeps {
  db: Db;
  clock: Clock;
  config: Config;
  /** Signs cookies and derives the bot-check keys. */
  secret: string;
  /** The policies, read through a short cache. */
  policies: () => Promise<Policies>;
  /** Development tools (the mailbox link) are shown. */
  devTools: boolean;
}

/**
 * Route schemas are zod schemas: `{ schema: { params, querystring } }` in a route's options
 * is parsed before the handler, and the handler sees the parsed values. What does not fit
 * (an array where a string is expected, a NUL byte, a number too large…) never reaches the
 * handler: a path that does not fit is the 404 page, a query string the 400 page.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const parsed = schema.safeParse(data);
    if (parsed.success) return { value: parsed.data };
    const error = new Error(`invalid ${httpPart ?? 'request'}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    return { error: Object.assign(error, { statusCode: httpPart === 'params' ? 404 : 400 }) };
  };

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A query-string or path value: one string (not a list), no control characters, at most `max` long. */
export const printable = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !CONTROL.test(v), 'control characters');

/** An id in a path is a UUID (`isUuid`): anything else is the 404 page, and never reaches the database. */
export const uuidParam = z.string().refine(isUuid, 'not a uuid');
/** The route schema of a path with one `:id`. */
export const idParams = z.object({ id: uuidParam });

/** A count the app writes in its own redirects (`?convoquees=3`): 0 to 99999. */
export const countParam = z
  .string()
  .regex(/^\d{1,5}$/)
  .transform(Number);
