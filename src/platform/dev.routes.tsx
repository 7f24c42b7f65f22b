import type { FastifyPluginAsync } from 'fastify';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/database';
import type { PageContext } from '../ui/context';
import { Layout } from '../ui/Layout';
import { fromLoopback, pageContext, sendPage } from './http';
import { outbox, smsOutbox } from './platform.table';

type Mail = typeof outbox.$inferSelect;
type Sms = typeof smsOutbox.$inferSelect;

/** A current TOTP code of a demo staff account, shown so the demo can be tried without an authenticator app. */
export interface DevCode {
  email: string;
  role: string;
  code: string;
}

/** Turns the URLs of a plain-text email into links; everything else stays text (escaped by preact). */
function Linkified(props: { text: string }) {
  const parts = props.text.split(/(https?:\/\/[^\s]+)/g);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}</>;
}

/** The SMS outbox beside the mailbox: what each message says, and how operators count it. */
function SmsList(props: { ctx: PageContext; messages: Sms[] }) {
  const t = props.ctx.t;
  return (
    <section aria-labelledby="sms-title">
      <h2 id="sms-title">{t('mailbox.sms.title')}</h2>
      <p>{t('mailbox.sms.intro')}</p>
      {props.messages.length === 0 ? (
        <p>{t('mailbox.sms.empty')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('mailbox.date')}</th>
              <th scope="col">{t('mailbox.sms.to')}</th>
              <th scope="col">{t('mailbox.sms.text')}</th>
              <th scope="col">{t('mailbox.sms.encoding')}</th>
              <th scope="col">{t('mailbox.sms.segments')}</th>
              <th scope="col">{t('mailbox.sms.state')}</th>
            </tr>
          </thead>
          <tbody>
            {props.messages.map((m) => (
              <tr key={m.id}>
                <td>{t.date(m.createdAt, 'datetime')}</td>
                <td>{m.to}</td>
                <td class="sms-text">{m.body}</td>
                <td>{m.encoding}</td>
                <td>{m.segments}</td>
                <td>
                  <code>{m.state}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MailboxPage(props: { ctx: PageContext; mails: Mail[]; sms: Sms[]; codes: DevCode[] }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('mailbox.title')}>
      <h1>{t('mailbox.title')}</h1>
      <p>{t('mailbox.intro')}</p>
      {props.mails.length === 0 ? (
        <p>{t('mailbox.empty')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('mailbox.date')}</th>
              <th scope="col">{t('mailbox.to')}</th>
              <th scope="col">{t('mailbox.subject')}</th>
            </tr>
          </thead>
          <tbody>
            {props.mails.map((m) => (
              <tr key={m.id}>
                <td>{t.date(m.createdAt, 'datetime')}</td>
                <td>{m.to}</td>
                <td>
                  <a href={`/dev/courriels/${m.id}`}>{m.subject}</a>
                  {m.attachments?.length ? ` (${m.attachments.map((a) => a.filename).join(', ')})` : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SmsList ctx={ctx} messages={props.sms} />
      {props.codes.length ? (
        <section aria-labelledby="totp-title">
          <h2 id="totp-title">{t('mailbox.totp')}</h2>
          <p>{t('mailbox.totpIntro')}</p>
          <ul>
            {props.codes.map((c) => (
              <li key={c.email}>
                {c.email} ({c.role}) : <strong>{c.code}</strong>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

function MailPage(props: { ctx: PageContext; mail: Mail }) {
  const { ctx, mail } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={mail.subject}>
      <p>
        <a href="/dev/courriels">{t('mailbox.back')}</a>
      </p>
      <h1>{mail.subject}</h1>
      <dl class="summary">
        <dt>{t('mailbox.to')}</dt>
        <dd>{mail.to}</dd>
        <dt>{t('mailbox.date')}</dt>
        <dd>{t.date(mail.createdAt, 'datetime')}</dd>
      </dl>
      <pre class="mail-body">
        <Linkified text={mail.text} />
      </pre>
      {mail.attachments?.length ? (
        <section aria-labelledby="attachments-title">
          <h2 id="attachments-title">{t('mailbox.attachments')}</h2>
          <ul>
            {mail.attachments.map((a, i) => (
              <li key={i}>
                <a href={`/dev/courriels/${mail.id}/pieces/${i}`} download={a.filename}>
                  {a.filename}
                </a>{' '}
                ({a.contentType})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

/**
 * Development only (registered when the configuration has the development mailbox: the embedded
 * database, DEMO=1 or DEV_MAILBOX=1; never in production): the mailbox that shows the outbox when
 * no SMTP server is configured, and the SMS outbox (kept there without an SMS provider), with the current TOTP codes that `codes` gives (the demo's staff).
 * Reset links and login codes are the keys of every account: a request that does not come from
 * this machine straight to the app gets the 404 page, as if the pages did not exist.
 */
export function devRoutes(deps: { db: Db; devTools: boolean; codes?: () => Promise<DevCode[]> }): FastifyPluginAsync {
  const { db } = deps;
  const mailParams = z.object({ id: z.string().regex(/^\d{1,15}$/).transform(Number) });
  const attachmentParams = mailParams.extend({ n: z.string().regex(/^\d{1,3}$/).transform(Number) });
  return async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (!fromLoopback(request)) return reply.callNotFound();
    });
    app.get('/dev/courriels', async (request, reply) => {
      const [mails, sms, codes] = await Promise.all([
        db.select().from(outbox).orderBy(desc(outbox.id)).limit(100),
        db.select().from(smsOutbox).orderBy(desc(smsOutbox.id)).limit(100),
        deps.codes?.() ?? [],
      ]);
      return sendPage(reply, <MailboxPage ctx={pageContext(request, reply, deps.devTools)} mails={mails} sms={sms} codes={codes} />);
    });
    app.get<{ Params: z.output<typeof mailParams> }>('/dev/courriels/:id', { schema: { params: mailParams } }, async (request, reply) => {
      const [mail] = await db.select().from(outbox).where(eq(outbox.id, request.params.id));
      if (!mail) return reply.callNotFound();
      return sendPage(reply, <MailPage ctx={pageContext(request, reply, deps.devTools)} mail={mail} />);
    });
    // SVC-7: a file sent with the email (a convocation's calendar file), downloaded as it was sent.
    app.get<{ Params: z.output<typeof attachmentParams> }>('/dev/courriels/:id/pieces/:n', { schema: { params: attachmentParams } }, async (request, reply) => {
      const [mail] = await db.select({ attachments: outbox.attachments }).from(outbox).where(eq(outbox.id, request.params.id));
      const file = mail?.attachments?.[request.params.n];
      if (!file) return reply.callNotFound();
      const safeName = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .header('content-type', /^[\w.+-]+\/[\w.+-]+(; ?[\w-]+=[\w.-]+)*$/.test(file.contentType) ? file.contentType : 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${safeName}"`)
        .header('cache-control', 'no-store')
        .send(file.content);
    });
  };
}
