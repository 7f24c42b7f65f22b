import { z } from 'zod';
import { multiline } from '../../ui/forms';
import { MAX_URL_LENGTH } from './endpoints.rules';
import { webhookEventTypes, type WebhookEventType } from './events';

/** SVC-8: the administrator's webhook forms. One checkbox per event type (its name: `typeField`). */
export const typeField = (type: WebhookEventType) => `type_${type}`;

const checkbox = z.literal('on', { error: 'field.invalidChoice' }).optional().transform(Boolean);
const yesNo = z.enum(['yes', 'no'], { error: 'field.invalidChoice' }).transform((v) => v === 'yes');

/** Add or edit an endpoint: URL, description, the event types it receives, personal data granted. */
export const endpointSchema = z
  .object({
    url: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(MAX_URL_LENGTH, 'webhooks.err.urlTooLong'),
    description: multiline(z.string().trim().max(300, 'field.tooLong')).optional(),
    personal: yesNo,
    ...(Object.fromEntries(webhookEventTypes.map((type) => [typeField(type), checkbox])) as Record<string, typeof checkbox>),
  })
  .transform((v) => {
    const checked = v as Record<string, unknown>;
    return { url: v.url, description: v.description ?? '', personalData: v.personal, eventTypes: webhookEventTypes.filter((type) => checked[typeField(type)] === true) };
  });

/** Disable or enable an endpoint. */
export const endpointStateSchema = z.object({ disabled: yesNo });

/** Allow a host that resolves to an internal address, with the reason. */
export const allowedHostSchema = z.object({
  host: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(253, 'webhooks.err.host'),
  reason: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(300, 'field.tooLong'),
});

/** Remove an allowed host. */
export const removeHostSchema = z.object({ host: z.string().trim().min(1).max(253) });
