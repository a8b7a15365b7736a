import { createHmac } from 'node:crypto';
import { toRfc3339 } from '../clock';
import { KubeObject } from '../store/types';
import { RecordedEvent } from './EventRecorder';

export interface WebhookOptions {
  /** Where to POST events, like a notification-controller Provider `address`. */
  url: string;
  /** Provider `generic-hmac`: the Secret's `token`, used as HMAC-SHA256 key for `X-Signature`. */
  hmacKey?: string;
  /** Alert `eventMetadata` merged into every payload's metadata (e.g. env, cluster). */
  eventMetadata?: Record<string, string>;
  /** Flux ≥ 2.5 strips the `<group>/` prefix of metadata keys (default true); false sends them prefixed. */
  stripPrefix?: boolean;
  /** Identical events within this window are dropped (notification-controller answers 429); default 5 min. */
  rateLimitMs?: number;
  /** Called with each delivery's outcome, for tests and logs. */
  onDelivery?: (result: {
    status?: number;
    error?: string;
    body: string;
  }) => void;
}

/**
 * Forwards non-trace controller events as notification-controller would to a `generic` or
 * `generic-hmac` provider: JSON body of FLUX.md §4, `Gotk-Component`, `X-Signature: sha256=<hex>`.
 * Delivery is at most once.
 */
export class WebhookForwarder {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly options: WebhookOptions,
    private readonly component: string,
    private readonly instance: string,
  ) {}

  payload(
    involved: KubeObject,
    apiVersion: string,
    event: RecordedEvent,
    at: number,
  ) {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.annotations ?? {})) {
      const bare = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
      if (this.options.stripPrefix === false) metadata[k] = v;
      else if (!['token', 'checksum', 'digest'].includes(bare))
        metadata[bare] = v;
    }
    Object.assign(metadata, this.options.eventMetadata ?? {});
    return {
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      severity: event.type === 'Warning' ? 'error' : 'info',
      timestamp: toRfc3339(at),
      message: event.message,
      reason: event.reason,
      metadata,
      reportingController: this.component,
      reportingInstance: this.instance,
    };
  }

  forward(
    involved: KubeObject,
    apiVersion: string,
    event: RecordedEvent,
    at: number,
  ): void {
    const payload = this.payload(involved, apiVersion, event, at);
    const key = JSON.stringify([
      payload.involvedObject.uid,
      payload.reason,
      payload.message,
      payload.metadata,
    ]);
    const last = this.recent.get(key);
    if (last !== undefined && at - last < (this.options.rateLimitMs ?? 300_000))
      return;
    this.recent.set(key, at);
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Gotk-Component': this.component,
    };
    if (this.options.hmacKey) {
      headers['X-Signature'] = `sha256=${createHmac(
        'sha256',
        this.options.hmacKey,
      )
        .update(body)
        .digest('hex')}`;
    }
    fetch(this.options.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(15_000),
    })
      .then(res => this.options.onDelivery?.({ status: res.status, body }))
      .catch(error =>
        this.options.onDelivery?.({
          error: String(error?.message ?? error),
          body,
        }),
      );
  }
}
