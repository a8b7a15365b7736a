import { createHmac } from 'node:crypto';

/** Webhook keys of the two clusters the route tests configure. */
export const WEBHOOK_KEYS: Record<string, string> = {
  main: 'main-secret-key',
  edge: 'edge-secret-key',
};

/** `fluxPipelines.clusters` for {@link WEBHOOK_KEYS}: webhook-only clusters. */
export const webhookClusters = Object.entries(WEBHOOK_KEYS).map(
  ([name, webhookHmacKey]) => ({ name, webhookHmacKey }),
);

/** The `X-Signature` header notification-controller's generic-hmac provider sends. */
export function signWebhook(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
