import { Clock, toRfc3339 } from '../clock';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES } from '../store/resourceTypes';
import { KubeObject } from '../store/types';

const EVENT_TYPE = RESOURCE_TYPES.find(
  t => t.kind === 'Event' && t.group === '',
)!;

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  annotations?: Record<string, string>;
  /** Trace events become Normal Kubernetes events but are never forwarded. */
  trace?: boolean;
}

export interface EventRecorderOptions {
  store: ResourceStore;
  clock: Clock;
  /** source.component, e.g. `helm-controller`. */
  component: string;
  /** reportingInstance, a pod name. */
  instance?: string;
  /** Called for every non-trace event, before Kubernetes deduplication (Flux forwards these). */
  forward?: (
    involved: KubeObject,
    apiVersion: string,
    event: RecordedEvent,
    at: number,
  ) => void;
  spamBurst?: number;
  spamRefillMs?: number;
  aggregateMaxEvents?: number;
  aggregateIntervalMs?: number;
}

interface Observation {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

/**
 * Writes core/v1 Events like client-go's recorder: identical events bump `count` on the same
 * object, ten different messages for one object and reason within ten minutes are combined into
 * `(combined from similar events): ...` without annotations, and a per-object token bucket
 * (burst 25, then one per 5 minutes) silently drops the excess.
 */
export class EventRecorder {
  private readonly observed = new Map<string, Observation>();
  private readonly aggregates = new Map<
    string,
    { messages: Set<string>; last: number }
  >();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxEvents: number;
  private readonly intervalMs: number;

  constructor(private readonly options: EventRecorderOptions) {
    this.burst = options.spamBurst ?? 25;
    this.refillMs = options.spamRefillMs ?? 300_000;
    this.maxEvents = options.aggregateMaxEvents ?? 10;
    this.intervalMs = options.aggregateIntervalMs ?? 600_000;
  }

  /** Records an event about `involved` (shown with `apiVersion`); returns the Event written, if any. */
  record(
    involved: KubeObject,
    apiVersion: string,
    event: RecordedEvent,
  ): KubeObject | undefined {
    const now = this.options.clock.now();
    if (!event.trace) this.options.forward?.(involved, apiVersion, event, now);
    const ref = {
      kind: involved.kind,
      namespace: involved.metadata.namespace,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion,
      resourceVersion: involved.metadata.resourceVersion,
    };
    const objectKey = [
      this.options.component,
      ref.kind,
      ref.namespace,
      ref.name,
      ref.uid,
      apiVersion,
    ].join('|');
    const aggregateKey = [objectKey, event.type, event.reason].join('|');

    let message = event.message;
    let annotations = event.annotations;
    let key = [aggregateKey, message].join('|');
    const agg = this.aggregates.get(aggregateKey);
    const record =
      agg && now - agg.last <= this.intervalMs
        ? agg
        : { messages: new Set<string>(), last: now };
    record.messages.add(message);
    record.last = now;
    this.aggregates.set(aggregateKey, record);
    if (record.messages.size >= this.maxEvents) {
      message = `(combined from similar events): ${event.message}`;
      annotations = undefined;
      key = aggregateKey;
    }

    if (!this.takeToken(objectKey, now)) return undefined;

    const stamp = toRfc3339(now);
    const seen = this.observed.get(key);
    if (
      seen &&
      this.options.store.tryGet(EVENT_TYPE, seen.namespace, seen.name)
    ) {
      seen.count += 1;
      return this.options.store.mutate(
        EVENT_TYPE,
        seen.namespace,
        seen.name,
        e => {
          e.count = seen.count;
          e.lastTimestamp = stamp;
          e.message = message;
        },
      );
    }
    const namespace = ref.namespace ?? 'default';
    // client-go names an Event `<object>.<hex nanoseconds>`; here the
    // nanoseconds are the millisecond and a count, moved on past any name
    // taken (another controller's recorder may have written about an object
    // of the same name in the same millisecond: a Canary beside its
    // HelmRelease).
    let sequence = BigInt(now) * 1_000_000n + BigInt(this.observed.size);
    const nameAt = (n: bigint) => `${ref.name}.${n.toString(16)}`;
    while (this.options.store.tryGet(EVENT_TYPE, namespace, nameAt(sequence)))
      sequence += 1n;
    const name = nameAt(sequence);
    const count = seen ? seen.count + 1 : 1;
    this.observed.set(key, {
      name,
      namespace,
      count,
      firstTimestamp: seen?.firstTimestamp ?? stamp,
    });
    return this.options.store.create(EVENT_TYPE, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name,
        namespace,
        ...(annotations ? { annotations: { ...annotations } } : {}),
      },
      involvedObject: ref,
      reason: event.reason,
      message,
      source: { component: this.options.component },
      firstTimestamp: seen?.firstTimestamp ?? stamp,
      lastTimestamp: stamp,
      count,
      type: event.type,
      eventTime: null,
      reportingComponent: this.options.component,
      reportingInstance:
        this.options.instance ?? `${this.options.component}-5b9c7d8f6-x2k4q`,
    });
  }

  private takeToken(objectKey: string, now: number): boolean {
    const bucket = this.buckets.get(objectKey) ?? {
      tokens: this.burst,
      at: now,
    };
    const refill = Math.floor((now - bucket.at) / this.refillMs);
    if (refill > 0) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + refill);
      bucket.at += refill * this.refillMs;
    }
    if (bucket.tokens >= this.burst) bucket.at = now;
    this.buckets.set(objectKey, bucket);
    if (bucket.tokens <= 0) return false;
    bucket.tokens -= 1;
    return true;
  }
}
