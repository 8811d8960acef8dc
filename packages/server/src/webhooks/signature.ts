import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<hex HMAC-SHA256 of the exact body bytes, keyed by the webhook's secret_key>`. */
export const SIGNATURE_HEADER = 'x-skinscope-signature';
/** Header carrying the delivery id (the same on every attempt of one delivery: receivers dedupe by it). */
export const DELIVERY_HEADER = 'x-skinscope-delivery';
/** Header naming the event (`image.processed`). */
export const EVENT_HEADER = 'x-skinscope-event';

/** The signature header value of a body: `sha256=` and the hex HMAC-SHA256 of it with the secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when `header` is the signature of `body` (constant-time comparison), as a receiver checks it. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
