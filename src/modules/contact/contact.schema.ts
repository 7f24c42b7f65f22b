import { z } from 'zod';
import { contactSubjects } from '../../domain/vocabulary';
import { isUuid } from '../../platform/input';
import { multiline } from '../../ui/forms';
import { CONTACT_TEXT_MAX } from './contact.rules';

/**
 * SVC-1: the contact forms; messages are message keys shown next to the field. A text over the
 * maximum has its own message saying the maximum and how long it is, and is shown again whole.
 */

/** The file field of the forms (platform/uploads). */
export const CONTACT_FILE_FIELD = 'attachment';

/**
 * The forms' text fields are read larger than the 2 000 bytes of other upload forms: a text of
 * 100 000 characters (up to 300 000 bytes in UTF-8) is read whole, so that the page shows it
 * again with the message that it is too long instead of a part of it.
 */
export const contactUpload = { upload: { maxFieldBytes: 320_000 } };

const text = multiline(
  z
    .string({ error: 'field.required' })
    .trim()
    .min(1, 'contact.error.text')
    .superRefine((v, ctx) => {
      if (v.length > CONTACT_TEXT_MAX) ctx.addIssue({ code: 'custom', message: 'contact.error.tooLong', params: { max: CONTACT_TEXT_MAX, length: v.length } });
    }),
);

/** The token of the form shown: the same form sent twice is one message (or one answer). */
const formToken = z.string({ error: 'contact.error.expired' }).refine(isUuid, 'contact.error.expired');

/** The learner's new message: a subject, maybe one of their applications, the text. */
export const contactSchema = z.object({
  subject: z.enum(contactSubjects, { error: 'contact.error.subject' }),
  about: z
    .string()
    .optional()
    .default('')
    .refine((v) => v === '' || isUuid(v), 'field.invalidChoice'),
  text,
  formToken,
});

/** The learner's reply, the staff's answer (which may close the conversation). */
export const replySchema = z.object({ text, formToken });
export const answerSchema = z.object({ text, formToken, close: z.literal('on', { error: 'field.invalidChoice' }).optional() });

export const queueQuery = z.object({
  statut: z.enum(['open', 'answered', 'closed', 'all']).optional(),
  message: z.enum(['answered', 'closed']).optional(),
});
