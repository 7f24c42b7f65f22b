import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Db } from '../../db/database';
import { AppError } from '../errors';
import { uuidParam } from '../routes';
import { createSmsProvider } from './delivery';
import { isSmsReportSignature, SMS_REPORT_PATH, type SmsReport } from './provider';

const TEN_MINUTES = 600_000;
const reportParams = z.object({ reference: uuidParam, signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * The provider's delivery reports: POST /sms/rapports/:reference/:signature, the address each
 * message was sent with (webUrl), signed by SMS_REPORT_SECRET. A provider's server calls it, so
 * no CSRF token (`csrf: false`); a wrong signature or an unknown message is the 404 page, a body
 * that is not a report the 400 page. Only a message still waiting for news changes: `sent`
 * (from `sending`, or `failed` after a timeout the provider had in fact taken), then
 * `delivered` or `undelivered`, which stay.
 */
export function smsReportRoutes(deps: { db: Db; config: Config }): FastifyPluginAsync {
  return async (app) => {
    const sms = deps.config.sms;
    if (sms.provider === 'mailbox') return;
    const provider = createSmsProvider(deps.config);
    app.post<{ Params: z.output<typeof reportParams> }>(
      `${SMS_REPORT_PATH}/:reference/:signature`,
      { schema: { params: reportParams }, config: { csrf: false, rateLimit: { max: 6_000, timeWindow: TEN_MINUTES } } },
      async (request, reply) => {
        const { reference, signature } = request.params;
        if (!isSmsReportSignature(sms.reportSecret, reference, signature)) return reply.callNotFound();
        const report = provider.parseReport(request.body);
        if (!report) throw new AppError('validation');
        const applied = await applySmsReport(deps.db, reference, report);
        if (applied === 'unknown') return reply.callNotFound();
        if (applied === 'mismatch') throw new AppError('validation');
        return reply.code(200).type('text/plain').send(applied);
      },
    );
  };
}

/** Applies a delivery report to the message of `reference`. */
async function applySmsReport(db: Db, reference: string, report: SmsReport): Promise<'unknown' | 'mismatch' | 'applied' | 'ignored'> {
  const found = await db.execute<{ provider_id: string | null }>(sql`select provider_id from sms_outbox where reference = ${reference}`);
  const row = found.rows[0];
  if (!row) return 'unknown';
  if (row.provider_id && report.providerId && row.provider_id !== report.providerId) return 'mismatch';
  if (report.state === 'other') return 'ignored';
  const from = report.state === 'sent' ? sql`('sending', 'failed')` : sql`('sending', 'sent', 'failed')`;
  const updated = await db.execute(sql`
    update sms_outbox set state = ${report.state},
      provider_id = coalesce(provider_id, ${report.providerId}),
      segments = coalesce(${report.segments}, segments),
      sent_at = coalesce(sent_at, now()),
      reported_at = case when ${report.state} = 'sent' then reported_at else now() end,
      failed_at = null, last_error = case when ${report.state} = 'undelivered' then ${report.detail} else last_error end
    where reference = ${reference} and state in ${from}`);
  return (updated.rowCount ?? 0) > 0 ? 'applied' : 'ignored';
}
