import type { FastifyPluginAsync } from 'fastify';
import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import { generate } from 'otplib';
import type { RouteDeps } from '../app';
import { users } from '../modules/accounts/accounts.table';
import type { PageContext } from '../ui/context';
import { Layout } from '../ui/Layout';
import { pageContext, sendPage } from './http';
import { outbox } from './platform.table';

type Mail = typeof outbox.$inferSelect;

/** Turns the URLs of a plain-text email into links; everything else stays text (escaped by preact). */
function Linkified(props: { text: string }) {
  const parts = props.text.split(/(https?:\/\/[^\s]+)/g);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}</>;
}

function MailboxPage(props: { ctx: PageContext; mails: Mail[]; codes: { email: string; role: string; code: string }[] }) {
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
    </Layout>
  );
}

/**
 * Development only (never registered in production): the mailbox that shows the outbox when no
 * SMTP server is configured, with the current TOTP codes of the demo staff accounts.
 */
export function devRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock } = deps;
  return async (app) => {
    app.get('/dev/courriels', async (request, reply) => {
      const mails = await db.select().from(outbox).orderBy(desc(outbox.id)).limit(100);
      const staff = await db
        .select({ email: users.email, role: users.role, secret: users.totpSecret })
        .from(users)
        .where(and(ne(users.role, 'learner'), isNotNull(users.totpSecret)));
      const demoStaff = staff.filter((s) => s.email.endsWith('@demo.cursus.fr'));
      const epoch = Math.floor(clock.now().getTime() / 1000);
      const codes = await Promise.all(
        demoStaff.map(async (s) => ({ email: s.email, role: s.role, code: await generate({ secret: s.secret!, epoch }) })),
      );
      return sendPage(reply, <MailboxPage ctx={pageContext(request, reply, true)} mails={mails} codes={codes} />);
    });
    app.get<{ Params: { id: string } }>('/dev/courriels/:id', async (request, reply) => {
      const id = Number(request.params.id);
      if (!Number.isSafeInteger(id) || id < 1) return reply.callNotFound();
      const [mail] = await db.select().from(outbox).where(eq(outbox.id, id));
      if (!mail) return reply.callNotFound();
      return sendPage(reply, <MailPage ctx={pageContext(request, reply, true)} mail={mail} />);
    });
  };
}
