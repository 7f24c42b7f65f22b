/** SVC-8: signed webhooks to other systems (docs/webhooks.md, docs/decisions/023-signed-webhooks.md). */
export { webhookEventTypes, isWebhookEventType, payloadFields, type WebhookEventType, type WebhookBody, type PayloadField } from './events';

// The staff side (SVC-8): the administrator's pages, the DPO's list, the module's personal data.
import './webhooks.messages';
export { webhookRoutes } from './webhooks.routes';
export { webhookRecipients, type EndpointRecipient } from './admin.service';
export { webhooksDataSet } from './webhooks.personal';
export { RECIPIENTS as webhookRecipientsPath } from './views/webhooks';

// The delivery core (SVC-8): the outbox written in the changes' transactions, the delivery job, the log's pruning.
import { subscribeToChanges } from './messages.service';
subscribeToChanges();
export { announce, bodiesFor, dataFor, newMessageId } from './messages.service';
export { deliverMessage, webhookJobs, webhookQueueDepth, webhooksPruneTasks, type DeliveryDeps } from './delivery.service';
export { isForbiddenAddress, resolveDestination } from './ssrf';
export { maxAttempts, retryDelaysMs, requestTimeoutMs } from './delivery.rules';
