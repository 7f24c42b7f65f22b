/**
 * SVC-8: the events other systems can be told of, one vocabulary for the service that writes the
 * messages and the form where an administrator chooses them. Payloads are thin: ids and what
 * changed; personal data only for an endpoint granted it (`personal`).
 */
export const webhookEventTypes = ['application.status_changed', 'payment.received', 'session.cancelled', 'catalogue.changed'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
export const isWebhookEventType = (value: string): value is WebhookEventType => (webhookEventTypes as readonly string[]).includes(value);

/** The body of every message (Standard Webhooks' recommended shape). */
export interface WebhookBody<Data = Record<string, unknown>> {
  type: WebhookEventType;
  /** ISO 8601, when the change happened. */
  timestamp: string;
  data: Data;
}

/**
 * What each event's `data` carries, one declaration read by the service that builds payloads
 * and by the data protection officer's list: a field marked `personal` is sent only to an
 * endpoint granted personal data (`webhook_endpoints.personal_data`).
 */
export interface PayloadField {
  name: string;
  personal: boolean;
  /** Message key of the field's meaning, shown to administrators and the DPO. */
  meaning: string;
}
export const payloadFields: Record<WebhookEventType, readonly PayloadField[]> = {
  'application.status_changed': [
    { name: 'application_id', personal: false, meaning: 'webhooks.field.applicationId' },
    { name: 'session_code', personal: false, meaning: 'webhooks.field.sessionCode' },
    { name: 'course_code', personal: false, meaning: 'webhooks.field.courseCode' },
    { name: 'from', personal: false, meaning: 'webhooks.field.from' },
    // A status of the lifecycle, or 'deleted': the learner deleted a preselection (APP-6), the application is gone.
    { name: 'to', personal: false, meaning: 'webhooks.field.to' },
    { name: 'learner', personal: true, meaning: 'webhooks.field.learner' },
  ],
  'payment.received': [
    { name: 'payment_id', personal: false, meaning: 'webhooks.field.paymentId' },
    { name: 'application_id', personal: false, meaning: 'webhooks.field.applicationId' },
    { name: 'session_code', personal: false, meaning: 'webhooks.field.sessionCode' },
    { name: 'amount_cents', personal: false, meaning: 'webhooks.field.amountCents' },
    { name: 'method', personal: false, meaning: 'webhooks.field.method' },
    { name: 'learner', personal: true, meaning: 'webhooks.field.learner' },
  ],
  'session.cancelled': [
    { name: 'session_code', personal: false, meaning: 'webhooks.field.sessionCode' },
    { name: 'course_code', personal: false, meaning: 'webhooks.field.courseCode' },
    { name: 'reason', personal: false, meaning: 'webhooks.field.reason' },
  ],
  'catalogue.changed': [
    { name: 'course_codes', personal: false, meaning: 'webhooks.field.courseCodes' },
    { name: 'session_codes', personal: false, meaning: 'webhooks.field.sessionCodes' },
    { name: 'change', personal: false, meaning: 'webhooks.field.change' },
  ],
};
