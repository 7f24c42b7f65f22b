/** SVC-8: signed webhooks to other systems (docs/decisions/020-…, built by issue 17). */
export { webhookEventTypes, isWebhookEventType, payloadFields, type WebhookEventType, type WebhookBody, type PayloadField } from './events';
// The delivery core (SVC-8): the outbox written in the changes' transactions, the delivery job, the log's pruning.
import { subscribeToChanges } from './messages.service';
subscribeToChanges();
export { announce, bodiesFor, dataFor, newMessageId } from './messages.service';
export { deliverMessage, webhookJobs, webhooksPruneTasks, type DeliveryDeps } from './delivery.service';
export { isForbiddenAddress, resolveDestination } from './ssrf';
export { maxAttempts, retryDelaysMs, requestTimeoutMs } from './delivery.rules';
