import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FieldError } from '../ui/context';

/**
 * Multipart forms (a form with a file). Only routes that say so take them (`config: { upload:
 * true }`); any other answers a multipart body as before, 415. The body is read whole in
 * `preValidation`, before the CSRF check (`registerUploads` is registered before it): the form's
 * text fields become `request.body`, so the check finds the form's `_csrf` field there like in
 * any other form, and a form without a valid token is refused before the handler sees its file.
 *
 * Reading never throws: a file over the size policy, a second file, too many or too long fields,
 * a body cut short or malformed become a form error (`fileError`, `fieldErrors`) that the
 * handler shows next to the field, with the other fields kept.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * This route takes a multipart form with (at most) one file; `maxFieldBytes` raises the size of
     * its text fields (2 000 bytes by default) for a form with a long text.
     */
    upload?: boolean | { maxFieldBytes: number };
  }
  interface FastifyRequest {
    /** The multipart form, read before the CSRF check (its text fields are also `request.body`). */
    upload?: MultipartForm;
  }
}

export interface UploadedFile {
  /** The form field that carried it. */
  field: string;
  /** The name the browser gave (not cleaned: `storeFile` cleans it). */
  name: string;
  data: Buffer;
}

export interface MultipartForm {
  /** The text fields, the first value of each. */
  fields: Record<string, string>;
  /** The file, if one was chosen and read whole. */
  file: UploadedFile | null;
  /** Why the file (or the body as a whole) could not be taken, for the file field. */
  fileError: FieldError | null;
  /** Text fields cut at the size limit. */
  fieldErrors: Record<string, FieldError>;
}

export interface UploadLimits {
  maxFileBytes: number;
  /** Text fields, besides the file. */
  maxFields: number;
  maxFieldBytes: number;
}

const defaultLimits = { maxFields: 10, maxFieldBytes: 2_000 };
const megabytes = (bytes: number) => Math.max(1, Math.round(bytes / (1024 * 1024)));

/**
 * Reads a multipart request into its text fields and one file, within `limits`. Whatever the
 * body, it answers (never throws): what went wrong is in `fileError` and `fieldErrors`.
 */
export async function readMultipart(request: FastifyRequest, limits: UploadLimits): Promise<MultipartForm> {
  const form: MultipartForm = { fields: {}, file: null, fileError: null, fieldErrors: {} };
  const tooLarge: FieldError = { message: 'upload.tooLarge', params: { max: megabytes(limits.maxFileBytes) } };
  try {
    const parts = request.parts({
      limits: {
        fileSize: limits.maxFileBytes,
        files: 1,
        fields: limits.maxFields,
        parts: limits.maxFields + 1,
        fieldSize: limits.maxFieldBytes,
        fieldNameSize: 100,
        headerPairs: 20,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        // A part may declare itself JSON and arrive parsed: no form of ours sends one.
        if (typeof part.value !== 'string') {
          form.fileError = { message: 'upload.unreadable' };
          continue;
        }
        if (part.valueTruncated) form.fieldErrors[part.fieldname] = { message: 'field.tooLong', params: { max: limits.maxFieldBytes } };
        if (!Object.hasOwn(form.fields, part.fieldname)) form.fields[part.fieldname] = part.value;
        continue;
      }
      const chunks: Buffer[] = [];
      // Busboy stops at the size limit and drops the rest (`truncated`), so at most the limit is held.
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated) {
        form.fileError = tooLarge;
        continue;
      }
      const data = Buffer.concat(chunks);
      // A file input left empty still sends a part, with no name and no bytes.
      if (part.filename === '' && data.length === 0) continue;
      form.file = { field: part.fieldname, name: part.filename, data };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    form.fileError = code === 'FST_FILES_LIMIT' ? { message: 'upload.oneFile' } : { message: 'upload.unreadable' };
    request.log.info({ code }, 'multipart form not read whole');
  }
  return form;
}

/**
 * Registers multipart parsing (one file at most, the size policy, small text fields) and the
 * hook that reads upload routes' forms. Register it before the CSRF protection: its hook must
 * run first. Forms sent urlencoded (every other form) are left to @fastify/formbody.
 */
export async function registerUploads(
  app: FastifyInstance,
  options: {
    maxFileBytes: () => Promise<number>;
    /**
     * Whose bodies are read (default: everyone's). The app reads only a logged-in person's, so
     * that nobody can make it hold files without an account; an unread body has no CSRF token
     * and is refused by the next step.
     */
    mayUpload?: (request: FastifyRequest) => boolean;
  },
): Promise<void> {
  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { files: 1, fields: defaultLimits.maxFields, fieldSize: defaultLimits.maxFieldBytes },
  });
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    if (!request.routeOptions.config.upload) throw Object.assign(new Error('This route takes no multipart form.'), { statusCode: 415 });
    if (options.mayUpload && !options.mayUpload(request)) return;
    const own = request.routeOptions.config.upload;
    const form = await readMultipart(request, { ...defaultLimits, ...(typeof own === 'object' ? own : {}), maxFileBytes: await options.maxFileBytes() });
    request.upload = form;
    request.body = form.fields;
  });
}

/**
 * The form an upload route received: the multipart form, or a form sent without its file
 * (urlencoded), whose fields are the body. `fileField` names the field the route expects; a
 * file sent under another name is not taken.
 */
export function uploadedForm(request: FastifyRequest, fileField: string): MultipartForm {
  const form = request.upload;
  if (form) return form.file && form.file.field !== fileField ? { ...form, file: null } : form;
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const fields = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : Array.isArray(v) && typeof v[0] === 'string' ? [[k, v[0]]] : [])));
  return { fields, file: null, fileError: null, fieldErrors: {} };
}
