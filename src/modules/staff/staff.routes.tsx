import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import ExcelJS from 'exceljs';
import { csvFile } from '../../platform/csv';
import type { RouteDeps } from '../../platform/routes';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { translator, type MessageKey } from '../../platform/i18n';
import { staffRoles } from '../../domain/vocabulary';
import { staffHome, staffSessions } from './staff.service';
import { learnerRoutes } from './learners.routes';
import { columns, parseListOptions } from './staff.rules';
import { rowValues, StaffHomePage } from './views/home';

/** The staff back-office: every route checks the role; every query is scoped (staff.service). */
export function staffRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, devTools } = deps;
  const staffOnly = { preHandler: requireUser(...staffRoles) };
  const filters = (request: FastifyRequest) => parseListOptions(request.query);

  return async (app) => {
    app.get('/personnel', staffOnly, async (request, reply) => {
      const user = request.auth!.user;
      const options = filters(request);
      const home = await staffHome(db, user, options);
      return sendPage(reply, <StaffHomePage ctx={pageContext(request, reply, devTools)} displayName={user.displayName} options={options} {...home} />);
    });

    app.get('/personnel/sessions.csv', staffOnly, async (request, reply) => {
      const t = translator(request.locale);
      const rows = await staffSessions(db, request.auth!.user, filters(request));
      // Formulas neutralised (csvFile); the workbook below writes strings as text cells, never as formulas.
      const csv = csvFile([columns.map((c) => t(`staff.col.${c}` as MessageKey)), ...rows.map((s) => columns.map((c) => rowValues(t, s)[c]))]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sessions.csv"')
        .header('cache-control', 'no-store')
        .send(csv);
    });

    app.get('/personnel/sessions.xlsx', staffOnly, async (request, reply) => {
      const t = translator(request.locale);
      const rows = await staffSessions(db, request.auth!.user, filters(request));
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(t('staff.sessions').slice(0, 31));
      sheet.columns = columns.map((c) => ({ header: t(`staff.col.${c}` as MessageKey), key: c, width: c === 'course' || c === 'school' || c === 'slots' ? 40 : 14 }));
      for (const s of rows) sheet.addRow(rowValues(t, s));
      sheet.getRow(1).font = { bold: true };
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="sessions.xlsx"')
        .header('cache-control', 'no-store')
        .send(buffer);
    });

    await app.register(learnerRoutes(deps));
  };
}
