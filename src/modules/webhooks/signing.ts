import { createHmac, randomBytes } from 'node:crypto';

/**
 * SVC-8, Standard Webhooks: a secret is `whsec_` + base64 of random bytes; the signature of a
 * message is `v1,` + base64 HMAC-SHA256, keyed by the secret's bytes, of `id.timestamp.body`
 * (the timestamp in whole seconds). Several secrets (a rotation's overlap) give several
 * signatures, separated by spaces in one `webhook-signature` header.
 */
export const secretPrefix = 'whsec_';

export function newSecret(): string {
  return secretPrefix + randomBytes(32).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret, 'base64');
}

export function sign(secret: string, message: { id: string; timestamp: number; body: string }): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${message.id}.${message.timestamp}.${message.body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of a delivery, signed with every secret given. */
export function webhookHeaders(secrets: readonly string[], message: { id: string; timestamp: number; body: string }): Record<string, string> {
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': secrets.map((secret) => sign(secret, message)).join(' '),
  };
}
