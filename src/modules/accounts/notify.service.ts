import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { translator, type Translator } from '../../platform/i18n';
import { queueEmail, undeliverable, type EmailAttachment } from '../../platform/outbox';
import { queueSms } from '../../platform/sms';
import { learnerProfiles, users } from './accounts.table';
import { channelsFor, mobileE164 } from './notify.rules';

/**
 * SVC-7: one message to a learner, written in their language by `compose`, in the caller's
 * transaction. `email` is the email (its footer is added here); `sms`, the short text of the
 * SMS, defaults to `sms.generic` (the email's subject and where to read more).
 */
export interface LearnerMessage {
  /** The template's key, for the SMS outbox and the tests (sms.attendance.warning, apps.email.accepted…). */
  purpose: string;
  compose: (t: Translator) => { subject: string; text: string; html?: string; sms?: string; link?: string; attachments?: EmailAttachment[] };
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

/**
 * The one way the modules tell a learner something (SVC-7): by email, SMS or both, as the learner
 * chose on `/compte/notifications` (SMS only where a mobile number is known; an account without
 * an email address is told by SMS). A closed account is told nothing.
 */
export async function tellLearner(tx: DbOrTx, userId: string, message: LearnerMessage): Promise<Told> {
  const [row] = await tx
    .select({ email: users.email, status: users.status, locale: users.locale, notifyBy: users.notifyBy, accountMobile: users.mobilePhone, recordMobile: learnerProfiles.mobilePhone })
    .from(users)
    .leftJoin(learnerProfiles, eq(learnerProfiles.userId, users.id))
    .where(eq(users.id, userId));
  if (!row || row.status === 'closed') return { channels: [] };
  const mobile = mobileE164(row.recordMobile) ?? mobileE164(row.accountMobile);
  // Decision 015: a mobile-only account's identifier (`…@mobile.invalid`) is no address to write to.
  const email = row.email && !undeliverable(row.email) ? row.email : null;
  const channels = channelsFor(message.urgent ? 'both' : row.notifyBy, { email: email !== null, mobile: mobile !== null });
  const t = translator(row.locale);
  const composed = message.compose(t);
  const options = message.notBefore ? { notBefore: message.notBefore } : {};
  if (channels.includes('email') && email) {
    await queueEmail(tx, { to: email, subject: composed.subject, text: `${composed.text}\n\n--\n${t('email.footer')}`, html: composed.html, attachments: composed.attachments }, options);
  }
  if (channels.includes('sms') && mobile) {
    const text = composed.sms ?? t('sms.generic', { subject: composed.subject, link: composed.link ?? '' });
    await queueSms(tx, { to: mobile, text, purpose: message.purpose }, options);
  }
  return { channels };
}
