import nodemailer, { type SendMailOptions } from 'nodemailer';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/database';
import { writeTogether } from '../db/statements';
import { outbox, type EmailAttachment } from './platform.table';

export type { EmailAttachment } from './platform.table';

export interface Email {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** SVC-7: files sent with it (text files: a calendar file). */
  attachments?: EmailAttachment[];
}

/**
 * RFC 2606's `.invalid`: an address that can never be delivered. The sign-in identifier of an
 * account registered with a mobile number only (`+33612345678@mobile.invalid`, decision 015) and
 * the tombstone of a closed account (`closed-<id>@closed.invalid`) end with it.
 */
export function undeliverable(address: string): boolean {
  return /\.invalid$/i.test(address.trim());
}

/**
 * Writes an email to the outbox. Call it with the transaction of the change the email announces:
 * the email exists if and only if the change was committed. An undeliverable address (`.invalid`)
 * gets nothing: the email is dropped here, so that no caller has to ask. `along`: the change's own
 * writes, sent with the email's in one statement (`writeTogether`), or alone if it is dropped.
 */
export async function queueEmail(db: DbOrTx, email: Email, options: { notBefore?: Date; along?: SQLWrapper[] } = {}): Promise<void> {
  if (undeliverable(email.to)) return writeTogether(db, options.along ?? []);
  // Written by hand rather than by drizzle's builder (which lists every column, each time): the
  // insert of every email of a rush, planned once per connection (`writeTogether` names it).
  const insert = sql`insert into ${outbox} (to_address, subject, body_text, body_html, attachments, next_attempt_at) values (${email.to}, ${email.subject}, ${email.text}, ${email.html ?? null}, ${email.attachments?.length ? JSON.stringify(email.attachments) : null}::jsonb, coalesce(${options.notBefore ?? null}::timestamptz, now()))`;
  await writeTogether(db, [...(options.along ?? []), insert]);
}

export interface MailTransport {
  /** `mailbox` keeps the mail in the outbox for the development mailbox page. */
  name: 'smtp' | 'mailbox';
  send(email: Email & { from: string }): Promise<void>;
  close(): void;
}

/** The message nodemailer sends: the email, its files as attachments (SVC-7: a calendar file). */
export function mailMessage(email: Email & { from: string }): SendMailOptions {
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}

export function createMailTransport(smtpUrl: string | undefined): MailTransport {
  if (!smtpUrl) return { name: 'mailbox', send: async () => {}, close: () => {} };
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    name: 'smtp',
    send: async (email) => {
      await transporter.sendMail(mailMessage(email));
    },
    close: () => transporter.close(),
  };
}

type ClaimedEmail = {
  id: number;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  attachments: EmailAttachment[] | null;
  attempts: number;
};

const MAX_ATTEMPTS = 8;

/**
 * Sends pending outbox emails (claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * workers share the outbox). A failure is retried with backoff, then marked failed.
 * Delivery is plumbing, timed by the database's clock, not the domain clock a demo may move.
 * Returns the number of emails sent.
 */
export async function deliverOutbox(options: { db: Db; transport: MailTransport; from: string; limit?: number; stopping?: () => boolean }): Promise<number> {
  const { db, transport } = options;
  const claimed = await db.execute<ClaimedEmail>(sql`
    update outbox set locked_until = now() + interval '2 minutes', attempts = attempts + 1
    where id in (
      select id from outbox
      where sent_at is null and failed_at is null and next_attempt_at <= now()
        and (locked_until is null or locked_until < now())
      order by id
      limit ${options.limit ?? 20}
      for update skip locked
    )
    returning id, to_address, subject, body_text, body_html, attachments, attempts`);
  let sent = 0;
  for (const [index, row] of claimed.rows.entries()) {
    // The process is stopping: the emails not sent yet are given back at once (not after the lease).
    if (options.stopping?.()) {
      const rest = claimed.rows.slice(index).map((r) => Number(r.id));
      await db.execute(sql`update outbox set locked_until = null, attempts = greatest(attempts - 1, 0) where id = any(${sql.param(rest)}::bigint[]) and sent_at is null`);
      break;
    }
    try {
      await transport.send({
        from: options.from,
        to: row.to_address,
        subject: row.subject,
        text: row.body_text,
        html: row.body_html ?? undefined,
        ...(row.attachments?.length ? { attachments: row.attachments } : {}),
      });
      await db.execute(
        sql`update outbox set sent_at = now(), transport = ${transport.name}, locked_until = null where id = ${row.id}`,
      );
      sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.execute(sql`
        update outbox set last_error = ${message.slice(0, 2000)}, locked_until = null,
          next_attempt_at = now() + ${2 ** row.attempts * 5} * interval '1 second',
          failed_at = case when ${row.attempts >= MAX_ATTEMPTS} then now() end
        where id = ${row.id}`);
    }
  }
  return sent;
}

/** Issue 19, metrics: the emails not yet sent nor given up (due now or later), and those given up. */
export async function outboxDepth(db: DbOrTx): Promise<{ pending: number; failed: number }> {
  const result = await db.execute<{ pending: string; failed: string }>(sql`
    select count(*) filter (where sent_at is null and failed_at is null) as pending, count(*) filter (where failed_at is not null) as failed from outbox`);
  return { pending: Number(result.rows[0].pending), failed: Number(result.rows[0].failed) };
}

// ---- personal data (ACC-11, ACC-14) ----------------------------------------------------------

/**
 * A person's addresses: their current ones, and former ones with when each stopped being theirs
 * (an address freed may be someone else's afterwards: only what was queued until then is theirs).
 */
export interface Addressees {
  emails: readonly string[];
  former?: readonly { email: string; until: Date }[];
}

function addressedTo(input: Addressees): SQL | null {
  const emails = [...new Set(input.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const former = (input.former ?? []).map((f) => ({ email: f.email.trim().toLowerCase(), until: f.until })).filter((f) => f.email);
  const parts: SQL[] = [];
  if (emails.length) parts.push(sql`lower(to_address) = any(${sql.param(emails)}::text[])`);
  for (const f of former) parts.push(sql`(lower(to_address) = ${f.email} and created_at <= ${f.until})`);
  return parts.length ? sql.join(parts, sql` or `) : null;
}

/** The emails written to these addresses (sent or not), oldest first: the download of one's data. */
export async function messagesTo(db: DbOrTx, input: Addressees) {
  const to = addressedTo(input);
  if (!to) return [];
  const rows = await db.execute<{ to: string; subject: string; text: string; created_at: Date; sent_at: Date | null; failed_at: Date | null }>(sql`
    select to_address as "to", subject, body_text as text, created_at, sent_at, failed_at from outbox
    where ${to} order by created_at, id`);
  return rows.rows.map((r) => ({ to: r.to, subject: r.subject, text: r.text, createdAt: r.created_at, sentAt: r.sent_at, failedAt: r.failed_at }));
}

/**
 * ACC-11: the emails already sent (or given up) to these addresses are deleted; those still to
 * send stay, to go (the closure's own email among them) and go with the sweep. Returns how many.
 */
export async function forgetMessagesTo(db: DbOrTx, input: Addressees): Promise<number> {
  const to = addressedTo(input);
  if (!to) return 0;
  const rows = await db.execute(sql`
    delete from outbox where (${to}) and (sent_at is not null or failed_at is not null)`);
  return rows.rowCount ?? 0;
}

/** ACC-14: deletes at most `limit` emails sent (or given up) before `before`; returns how many. */
export async function pruneSentEmails(db: DbOrTx, input: { before: Date; limit: number }): Promise<number> {
  const rows = await db.execute(sql`
    delete from outbox where id in (
      select id from outbox where coalesce(sent_at, failed_at) <= ${input.before} order by id limit ${input.limit})`);
  return rows.rowCount ?? 0;
}
