/** SVC-8: signed webhooks to other systems (docs/decisions/020-…, built by issue 17). */
export { webhookEventTypes, isWebhookEventType, payloadFields, type WebhookEventType, type WebhookBody, type PayloadField } from './events';

// The staff side (SVC-8): the administrator's pages, the DPO's list, the module's personal data.
import './webhooks.messages';
export { webhookRoutes } from './webhooks.routes';
export { webhookRecipients, type EndpointRecipient } from './admin.service';
export { webhooksDataSet } from './webhooks.personal';
export { RECIPIENTS as webhookRecipientsPath } from './views/webhooks';
