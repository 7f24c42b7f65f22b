/** SVC-8: signed webhooks to other systems (docs/decisions/020-…, built by issue 17). */
export { webhookEventTypes, isWebhookEventType, payloadFields, type WebhookEventType, type WebhookBody, type PayloadField } from './events';
