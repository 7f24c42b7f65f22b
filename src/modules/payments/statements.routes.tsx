import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { statementSources } from '../../domain/vocabulary';
import { csvFile } from '../../platform/csv';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { translator, type MessageKey } from '../../platform/i18n';
import { uuidParam, type RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { multiline, parseForm, typedValues, withError } from '../../ui/forms';
import { MAX_STATEMENT_BYTES, mayImportStatements, statementRoles, type StatementError } from './statements.rules';
import { discardStatementLine, importStatement, listStatementImports, statementReport } from './statements.service';
import { DiscardLinePage, exportColumns, exportHeader, exportRow, StatementReportPage, StatementsPage } from './views/statements';

/** A file sent with the form (multipart): its name as the browser gives it, and its bytes. */
interface Upload {
  name: string;
  bytes: Uint8Array;
}

/**
 * The largest request the import takes: a file of MAX_STATEMENT_BYTES in a multipart body, or
 * the same text pasted (URL-encoding writes `;` and accented letters in three bytes or more).
 * Beyond it, the form says the file is too large.
 */
const IMPORT_BODY_LIMIT = 7 * 1024 * 1024;
const MULTIPART_UNREADABLE = 'CURSUS_MULTIPART_UNREADABLE';

/**
 * A multipart body read whole (it is at most IMPORT_BODY_LIMIT) with the platform's own
 * `Response.formData()`: fields as strings, files as `Upload`, the first value of a name kept.
 */
async function readMultipart(contentType: string, body: Buffer): Promise<Record<string, string | Upload>> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw Object.assign(new Error('unreadable multipart body'), { statusCode: 400, code: MULTIPART_UNREADABLE });
  }
  const fields: Record<string, string | Upload> = Object.create(null);
  const files: [string, File][] = [];
  form.forEach((value, name) => {
    if (Object.hasOwn(fields, name) || files.some(([n]) => n === name)) return;
    if (typeof value === 'string') fields[name] = value;
    else files.push([name, value]);
  });
  for (const [name, file] of files) fields[name] = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  return fields;
}

const isUpload = (value: unknown): value is Upload => typeof value === 'object' && value !== null && (value as Upload).bytes instanceof Uint8Array;

/** What a browser says a file is called, without its folders (old browsers send the whole path) or control characters. */
const uploadName = (name: string) =>
  (name.split(/[/\\]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .slice(0, 200);

const importForm = z.object({
  source: z.enum(statementSources, { error: 'stmt.form.chooseSource' }),
  filename: z.string().trim().max(200).optional(),
});
const discardForm = z.object({
  note: multiline(z.string({ error: 'stmt.discard.noteRequired' }).trim().min(1, 'stmt.discard.noteRequired').max(500)),
});
const reportParams = z.object({ id: uuidParam });
const lineParams = z.object({ id: uuidParam, line: uuidParam });
const flashes = { imported: 'stmt.flash.imported', discarded: 'stmt.flash.discarded' } as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(['imported', 'discarded']).optional() });

/**
 * PAY-11, the reconciliation pages (`/personnel/releves`): import a statement (central service),
 * see the imports and their reports (school heads: their schools' lines), export a report,
 * discard a line. Who may do what is `statementRoles`; the service checks it again with the scope.
 *
 * The import form is multipart (a file) with a text area (the file's content pasted), so it
 * works whether or not the app registers an upload plugin: these routes read multipart
 * themselves, in their own encapsulated scope.
 */
export async function statementRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { db, clock, devTools } = deps;
  const readers = { preHandler: requireUser(...statementRoles.read) };
  // On the request, before its body is read: only the central service sends files here.
  const importersFirst: onRequestAsyncHookHandler = async (request, reply) => requireUser(...statementRoles.import).call(app, request, reply);
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

  async function importPage(request: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm(), errors: StatementError[] = [], status = 200) {
    const user = request.auth!.user;
    const list = await listStatementImports(db, user);
    if (!list.ok) throw new AppError('forbidden');
    const flash = status === 200 ? flashQuery.safeParse(request.query).data?.message : undefined;
    return sendPage(
      reply,
      <StatementsPage
        ctx={ctx(request, reply)}
        form={form}
        errors={errors}
        imports={list.imports}
        all={list.all}
        mayImport={mayImportStatements(user.role)}
        flash={flash ? translator(request.locale)(flashes[flash]) : undefined}
      />,
      status,
    );
  }

  await app.register(async (scope) => {
    if (scope.hasContentTypeParser('multipart/form-data')) scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (request: FastifyRequest, body: Buffer | string) =>
      readMultipart(String(request.headers['content-type']), Buffer.isBuffer(body) ? body : Buffer.from(body)),
    );

    // A body too large or a multipart body that does not read: the form again, saying so (never a 500).
    scope.setErrorHandler(async (error, request, reply) => {
      const code = (error as { code?: string }).code;
      const known = code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === MULTIPART_UNREADABLE;
      if (!known || request.method !== 'POST' || request.routeOptions.url !== '/personnel/releves' || !request.auth || !mayImportStatements(request.auth.user.role)) throw error;
      const message: MessageKey = code === MULTIPART_UNREADABLE ? 'stmt.form.unreadable' : 'stmt.err.tooLarge';
      return importPage(request, reply, { values: {}, errors: { file: { message, params: { max: MAX_STATEMENT_BYTES / 1024 / 1024 } } } }, [], code === MULTIPART_UNREADABLE ? 400 : 413);
    });

    scope.get('/personnel/releves', readers, (request, reply) => importPage(request, reply));

    scope.post('/personnel/releves', { onRequest: importersFirst, bodyLimit: IMPORT_BODY_LIMIT }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = parseForm(importForm, body);
      const values = typedValues(body);
      const upload = isUpload(body.file) && body.file.bytes.length > 0 ? body.file : undefined;
      const pasted = typeof body.csv === 'string' && body.csv.trim() !== '' ? body.csv : undefined;
      let form: FormState = parsed.ok ? { values, errors: {} } : parsed.form;
      if (upload && pasted) form = withError(form, 'file', { message: 'stmt.form.both' });
      else if (!upload && !pasted) form = withError(form, 'file', { message: 'stmt.form.nothing' });
      if (!parsed.ok || Object.keys(form.errors).length) return importPage(request, reply, form, [], 400);

      const result = await importStatement(
        { db, clock },
        {
          staff: request.auth!.user,
          source: parsed.data.source,
          filename: upload ? uploadName(upload.name) : (parsed.data.filename ?? ''),
          content: upload ? upload.bytes : pasted!,
        },
      );
      if (result.ok) return reply.redirect(`/personnel/releves/${result.importId}?message=imported`, 303);
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return importPage(request, reply, withError(form, upload ? 'file' : 'csv', { message: 'stmt.form.hasErrors' }), result.errors, 400);
    });

    async function report(request: FastifyRequest<{ Params: { id: string } }>) {
      const found = await statementReport(db, request.auth!.user, request.params.id);
      if (found.ok) return found.value;
      throw new AppError(found.code);
    }

    scope.get<{ Params: { id: string } }>('/personnel/releves/:id', { ...readers, schema: { params: reportParams } }, async (request, reply) => {
      const value = await report(request);
      const flash = flashQuery.safeParse(request.query).data?.message;
      return sendPage(reply, <StatementReportPage ctx={ctx(request, reply)} report={value} flash={flash ? translator(request.locale)(flashes[flash]) : undefined} />);
    });

    scope.get<{ Params: { id: string } }>('/personnel/releves/:id/rapport.csv', { ...readers, schema: { params: reportParams } }, async (request, reply) => {
      const t = translator(request.locale);
      const value = await report(request);
      // Formulas neutralised (csvFile): a reference or a label comes from a file someone else wrote.
      const csv = csvFile([exportHeader(t), ...value.lines.map((l) => exportColumns.map((c) => exportRow(t, l)[c]))]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rapprochement-${value.id.slice(0, 8)}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    });

    scope.get<{ Params: { id: string } }>('/personnel/releves/:id/rapport.xlsx', { ...readers, schema: { params: reportParams } }, async (request, reply) => {
      const t = translator(request.locale);
      const value = await report(request);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(t('stmt.report.summary').slice(0, 31));
      const header = exportHeader(t);
      // Strings are written as text cells, never as formulas.
      sheet.columns = exportColumns.map((c, i) => ({ header: header[i], key: c, width: c === 'note' ? 60 : c === 'learner' || c === 'transaction' ? 30 : 14 }));
      for (const l of value.lines) sheet.addRow(exportRow(t, l));
      sheet.getRow(1).font = { bold: true };
      for (const key of ['amount', 'expected'] as const) sheet.getColumn(key).numFmt = '#,##0.00 "€"';
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="rapprochement-${value.id.slice(0, 8)}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(buffer);
    });

    const discarders = { preHandler: requireUser(...statementRoles.import), schema: { params: lineParams } };
    type LineRequest = FastifyRequest<{ Params: { id: string; line: string } }>;

    async function discardPage(request: LineRequest, reply: FastifyReply, form: FormState = emptyForm(), notice?: MessageKey, status = 200) {
      const found = await statementReport(db, request.auth!.user, request.params.id, { lineId: request.params.line });
      if (!found.ok) throw new AppError(found.code);
      const [line] = found.value.lines;
      if (!line) throw new AppError('not_found');
      return sendPage(reply, <DiscardLinePage ctx={ctx(request, reply)} report={found.value} line={line} form={form} notice={notice ?? (line.mayDiscard ? undefined : 'stmt.discard.notDiscardable')} />, status);
    }

    scope.get<{ Params: { id: string; line: string } }>('/personnel/releves/:id/lignes/:line/ecarter', discarders, (request, reply) => discardPage(request, reply));

    scope.post<{ Params: { id: string; line: string } }>('/personnel/releves/:id/lignes/:line/ecarter', discarders, async (request, reply) => {
      const parsed = parseForm(discardForm, request.body);
      if (!parsed.ok) return discardPage(request, reply, parsed.form, undefined, 400);
      const result = await discardStatementLine({ db, clock }, { staff: request.auth!.user, importId: request.params.id, lineId: request.params.line, note: parsed.data.note });
      if (result.ok) return reply.redirect(`/personnel/releves/${request.params.id}?message=discarded`, 303);
      if (result.code === 'not_discardable') return discardPage(request, reply, { values: typedValues(request.body), errors: {} }, 'stmt.discard.notDiscardable', 409);
      throw new AppError(result.code);
    });
  });
}
