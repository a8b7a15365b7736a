import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a notification-controller `generic-hmac` signature:
 * `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` (sha1, sha384 and
 * sha512 are accepted too, as Flux allows them). Constant-time comparison.
 */
export function verifySignature(
  header: string | undefined,
  body: Buffer,
  key: string,
): boolean {
  const match = /^(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)$/.exec(
    header?.trim() ?? '',
  );
  if (!match) {
    return false;
  }
  const expected = createHmac(match[1], key).update(body).digest();
  const given = Buffer.from(match[2], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
