import { createHmac, timingSafeEqual } from 'node:crypto';

/** The only signature header accepted: what notification-controller's `generic-hmac` sends. */
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks a notification-controller `generic-hmac` signature: the header must
 * be exactly `sha256=<64 hex digits>` (the HMAC-SHA256 of the raw body), so no
 * weaker algorithm, extra characters or truncated digest gets in. Constant-time
 * comparison.
 */
export function verifySignature(
  header: string | undefined,
  body: Buffer,
  key: string,
): boolean {
  const match = SIGNATURE.exec(header ?? '');
  if (!match) {
    return false;
  }
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
