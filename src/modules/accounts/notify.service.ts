import { eq, type SQLWrapper } from 'drizzle-orm';
import { writeTogether } from '../../db/statements';
import type { Db, DbOrTx } from '../../db/database';
import type { NotifyChannel } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { translator, type Translator } from '../../platform/i18n';
import { queueEmail, undeliverable, type EmailAttachment } from '../../platform/outbox';
import { queueSms } from '../../platform/sms';
import { learnerProfiles, users } from './accounts.table';
import { channelsFor, mobileE164, smsTextOf, type Reach } from './notify.rules';
import type { LockedUser } from './locks';
import type { User } from './users.service';

/**
 * SVC-7: one message to a learner, written in their language by `compose`, in the caller's
 * transaction. `email` is the email (its footer is added here); `sms`, the short text of the
 * SMS, defaults to `sms.generic` (the email's subject and where to read more).
 */
export interface LearnerMessage {
  /** The template's key, for the SMS outbox and the tests (sms.attendance.warning, apps.email.accepted…). */
  purpose: string;
  /** `reach` says whether it goes by email too (an SMS then says "details by email", else not). */
  compose: (t: Translator, reach: Reach) => { subject: string; text: string; html?: string; sms?: string; link?: string; attachments?: EmailAttachment[] };
  /** Held until then (SEL-3's answer window). */
  notBefore?: Date;
  /**
   * SVC-2: what changes a learner's course itself (a session cancelled or moved, a meeting
   * cancelled) goes by every channel known, whatever the choice.
   */
  urgent?: boolean;
}

/** A file sent with the email (SVC-7: the convocation's calendar file), as the outbox keeps it. */
export type { EmailAttachment };

export interface Told {
  /** The channels used: the learner's choice where it can be honoured (`channelsFor`). */
  channels: ('email' | 'sms')[];
}

/** SVC-7: what the page `/compte/notifications` shows: the choice, and where each channel goes. */
export interface NotifySettings {
  choice: NotifyChannel;
  /** The address emails go to (null: none, a mobile-only account). */
  email: string | null;
  /** The mobile SMS go to, E.164 (null: none known, so SMS cannot be chosen). */
  mobile: string | null;
}

/** Where a learner's messages go: the record's mobile first, then the account's (as `tellLearner`). */
async function contactOf(db: DbOrTx, userId: string) {
  const row = await contactRowOf(db, userId);
  return row ? reachOf(row) : null;
}

async function contactRowOf(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ email: users.email, status: users.status, locale: users.locale, notifyBy: users.notifyBy, mobilePhone: users.mobilePhone, recordMobile: learnerProfiles.mobilePhone })
    .from(users)
    .leftJoin(learnerProfiles, eq(learnerProfiles.userId, users.id))
    .where(eq(users.id, userId));
  return row;
}

/** A person's row (the account's mobile is `mobilePhone`) with their record's mobile: `contactRowOf`'s, or `lockUser`'s. */
type ContactRow = Pick<User, 'email' | 'status' | 'locale' | 'notifyBy' | 'mobilePhone'> & { recordMobile: string | null };

/** Where the messages of a person go, from their row and their record's mobile. */
function reachOf(row: ContactRow) {
  return { email: emailOf(row), status: row.status, locale: row.locale, notifyBy: row.notifyBy, mobile: mobileOf(row) };
}

/** Decision 015: a mobile-only account's identifier (`…@mobile.invalid`, RFC 2606) is no address to write to. */
const emailOf = (row: ContactRow) => (row.email && !undeliverable(row.email) ? row.email : null);
/** The record's mobile first, then the account's, in E.164. */
const mobileOf = (row: ContactRow) => mobileE164(row.recordMobile) ?? mobileE164(row.mobilePhone);

export async function notifySettings(db: DbOrTx, userId: string): Promise<NotifySettings | null> {
  const found = await contactOf(db, userId);
  return found ? { choice: found.notifyBy, email: found.email, mobile: found.mobile } : null;
}

/**
 * SVC-7: the learner's choice, saved. SMS (alone or with email) needs a mobile number, email
 * alone an address: a choice that cannot be honoured is refused (the page offers only what can
 * be). Audited as `account.notify_changed` when it changes.
 */
export async function setNotifyChoice(deps: { db: Db; clock: Clock }, input: { userId: string; choice: NotifyChannel }): Promise<{ ok: true } | { ok: false; reason: 'no_mobile' | 'no_email' }> {
  return deps.db.transaction(async (tx) => {
    const found = await contactOf(tx, input.userId);
    if (!found) return { ok: false as const, reason: 'no_email' as const };
    if (input.choice !== 'email' && !found.mobile) return { ok: false as const, reason: 'no_mobile' as const };
    if (input.choice !== 'sms' && !found.email) return { ok: false as const, reason: 'no_email' as const };
    if (found.notifyBy === input.choice) return { ok: true as const };
    await tx.update(users).set({ notifyBy: input.choice }).where(eq(users.id, input.userId));
    await audit(tx, deps.clock, { action: 'account.notify_changed', actorId: input.userId, subjectId: input.userId, data: { from: found.notifyBy, to: input.choice } });
    return { ok: true as const };
  });
}

/**
 * The one way the modules tell a learner something (SVC-7): by email, SMS or both, as the learner
 * chose on `/compte/notifications` (SMS only where a mobile number is known; an account without
 * an email address is told by SMS). A closed account is told nothing. `to`: the person's id, or
 * their row read under their lock (`lockUser`), so that nothing is read again. `along`: writes of
 * the caller's change sent with the email's in one statement (`writeTogether`), else alone.
 */
export async function tellLearner(tx: DbOrTx, to: string | LockedUser, message: LearnerMessage, options: { along?: SQLWrapper[] } = {}): Promise<Told> {
  // The person's row read under their lock (`lockUser`) is what the message needs: no second read.
  const found = typeof to === 'string' ? await contactRowOf(tx, to) : to;
  if (!found || found.status === 'closed') {
    await writeTogether(tx, options.along ?? []);
    return { channels: [] };
  }
  const choice = message.urgent ? 'both' : found.notifyBy;
  const email = emailOf(found);
  // By email alone to a known address, whatever the mobile: it is not parsed (libphonenumber costs
  // more than the rest of the message).
  const mobile = choice === 'email' && email !== null ? null : mobileOf(found);
  const channels = channelsFor(choice, { email: email !== null, mobile: mobile !== null });
  const t = translator(found.locale);
  const composed = message.compose(t, { email: channels.includes('email') && email !== null });
  const held = message.notBefore ? { notBefore: message.notBefore } : {};
  // The caller's writes go with the first message's (one round trip), or alone.
  let along = options.along ?? [];
  if (channels.includes('email') && email) {
    await queueEmail(tx, { to: email, subject: composed.subject, text: `${composed.text}\n\n--\n${t('email.footer')}`, html: composed.html, attachments: composed.attachments }, { ...held, along });
    along = [];
  }
  if (channels.includes('sms') && mobile) {
    await queueSms(tx, { to: mobile, text: smsTextOf(t, composed), purpose: message.purpose }, held);
  }
  await writeTogether(tx, along);
  return { channels };
}
