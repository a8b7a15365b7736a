import { randomUUID } from 'node:crypto';
import { Clock, systemClock, toRfc3339 } from '../clock';
import { ApiError } from './ApiError';
import { KubeObject, StoreChange, StoreListener } from './types';
import { ResourceType, qualifiedResource } from './resourceTypes';
import { normaliseSecret } from './secrets';

export interface ResourceStoreOptions {
  clock?: Clock;
  /** How long events live after their last write; the apiserver default is one hour. */
  eventTtlMs?: number;
  /** How many changes are kept for watches to resume from; older versions get 410 Expired. */
  historyLimit?: number;
}

/** What {@link ResourceStore.backup} saves. */
export interface StoreBackup {
  readonly rv: number;
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, KubeObject>>;
  readonly expiries: ReadonlyMap<string, number>;
}

/**
 * All objects of the stand-in cluster, with one global, monotonically increasing
 * resourceVersion and a bounded change log that watches resume from.
 */
export class ResourceStore {
  readonly clock: Clock;
  private objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreChange[] = [];
  private readonly listeners = new Set<StoreListener>();
  private readonly expiries = new Map<string, number>();
  /** No expiry is earlier than this (so most calls need not look). */
  private earliestExpiry = Infinity;
  private readonly undelivered: StoreChange[] = [];
  private delivering = false;
  private readonly historyLimit: number;
  private rv = 1;
  private compactedRv = 1;
  private sweepTimer: unknown;
  eventTtlMs: number;

  constructor(options: ResourceStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.eventTtlMs = options.eventTtlMs ?? 3_600_000;
    this.historyLimit = options.historyLimit ?? 10_000;
    this.scheduleSweep();
  }

  currentResourceVersion(): number {
    return this.rv;
  }

  /** Versions below this one can no longer be watched from. */
  oldestResourceVersion(): number {
    return this.compactedRv;
  }

  list(type: ResourceType, namespace?: string): KubeObject[] {
    this.sweepExpired();
    const all = [...(this.objects.get(type.storage)?.values() ?? [])];
    return all
      .filter(o => !namespace || o.metadata.namespace === namespace)
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
      .map(clone);
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    this.sweepExpired();
    const found = this.bucket(type).get(key(namespace, name));
    if (!found) throw ApiError.notFound(qualifiedResource(type), name);
    return clone(found);
  }

  tryGet(type: ResourceType, namespace: string | undefined, name: string) {
    const found = this.bucket(type).get(key(namespace, name));
    return found ? clone(found) : undefined;
  }

  create(type: ResourceType, input: KubeObject): KubeObject {
    const obj = storedForm(type, clone(input));
    const meta = (obj.metadata ??= { name: '' });
    if (!meta.name && meta.generateName) {
      meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
    }
    if (!meta.name) {
      throw ApiError.invalid(
        qualifiedResource(type),
        '',
        'metadata.name: Required value: name or generateName is required',
      );
    }
    if (!type.namespaced) delete meta.namespace;
    const k = key(meta.namespace, meta.name);
    if (this.bucket(type).has(k))
      throw ApiError.alreadyExists(qualifiedResource(type), meta.name);
    meta.uid = randomUUID();
    meta.creationTimestamp = toRfc3339(this.clock.now());
    if (type.hasStatus && type.custom) meta.generation = 1;
    if (type.kind === 'Namespace') obj.status = { phase: 'Active' };
    return clone(this.write(type, 'ADDED', obj, undefined));
  }

  /**
   * Replaces an object. With `subresource: 'status'` only the status changes; otherwise the status
   * is kept and metadata.generation grows when anything but metadata and status changed.
   */
  update(
    type: ResourceType,
    input: KubeObject,
    options: { subresource?: 'status'; force?: boolean } = {},
  ): KubeObject {
    const name = input.metadata?.name;
    const existing = this.bucket(type).get(
      key(input.metadata?.namespace, name),
    );
    if (!existing) throw ApiError.notFound(qualifiedResource(type), name);
    const wanted = input.metadata?.resourceVersion;
    if (!options.force) {
      if (!wanted) {
        throw ApiError.invalid(
          qualifiedResource(type),
          name,
          'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
        );
      }
      if (wanted !== existing.metadata.resourceVersion)
        throw ApiError.conflict(qualifiedResource(type), name);
    }
    return clone(this.replace(type, existing, clone(input), options));
  }

  /**
   * Writes `input` (the store's own copy, not the caller's) over `existing`.
   * Stored objects are never changed in place, so the new one shares the
   * parts it keeps from the old one instead of copying them.
   */
  private replace(
    type: ResourceType,
    existing: KubeObject,
    input: KubeObject,
    options: { subresource?: 'status' },
  ): KubeObject {
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = {
        ...existing,
        metadata: { ...existing.metadata },
        status: input.status,
      };
    } else {
      next = storedForm(type, input);
      if (type.hasStatus && type.custom) next.status = existing.status;
      if (type.kind === 'Namespace') next.status = existing.status;
      next.metadata = {
        ...next.metadata,
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        generation: existing.metadata.generation,
        namespace: existing.metadata.namespace,
      };
      if (type.hasStatus && type.custom && specOf(next) !== specOf(existing)) {
        next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
      }
    }
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    if (sameContent(next, existing)) return existing;
    return this.write(type, 'MODIFIED', next, existing);
  }

  /**
   * Reads, changes and writes an object without a version precondition (for
   * controllers). Returns the object as stored: read it, never change it.
   */
  mutate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    change: (obj: KubeObject) => void,
    options: { subresource?: 'status' } = {},
  ): Readonly<KubeObject> {
    this.sweepExpired();
    const existing = this.bucket(type).get(key(namespace, name));
    if (!existing) throw ApiError.notFound(qualifiedResource(type), name);
    const obj = clone(existing);
    change(obj);
    return this.replace(type, existing, obj, options);
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const existing = this.bucket(type).get(key(namespace, name));
    if (!existing) throw ApiError.notFound(qualifiedResource(type), name);
    this.bucket(type).delete(key(namespace, name));
    this.expiries.delete(`${type.storage}|${key(namespace, name)}`);
    this.rv += 1;
    const gone = clone(existing);
    gone.metadata.resourceVersion = String(this.rv);
    this.record({
      rv: this.rv,
      type: 'DELETED',
      storage: type.storage,
      object: gone,
      previous: existing,
    });
    return clone(gone);
  }

  /** Changes of one storage after `rv`, or `undefined` when `rv` was compacted away. */
  changesSince(storage: string, rv: number): StoreChange[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.history.filter(c => c.rv > rv && c.storage === storage);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy of every object and the current resourceVersion, as an etcd backup holds them. */
  backup(): StoreBackup {
    return {
      rv: this.rv,
      objects: new Map(
        [...this.objects].map(([storage, byKey]) => [
          storage,
          new Map([...byKey].map(([k, o]) => [k, clone(o)])),
        ]),
      ),
      expiries: new Map(this.expiries),
    };
  }

  /**
   * Puts a backup back, as restoring etcd does: the objects and the
   * resourceVersion go back to the backup's, and the change log is gone, so
   * a client that saw later versions asks for ones the store does not have yet.
   */
  restore(backup: StoreBackup): void {
    this.objects = new Map(
      [...backup.objects].map(([storage, byKey]) => [
        storage,
        new Map([...byKey].map(([k, o]) => [k, clone(o)])),
      ]),
    );
    this.expiries.clear();
    for (const [id, at] of backup.expiries) this.expiries.set(id, at);
    this.earliestExpiry = -Infinity;
    this.rv = backup.rv;
    this.compactedRv = backup.rv;
    this.history.length = 0;
  }

  /** Forgets the change log, as after an apiserver/etcd restart: every older version becomes 410. */
  forgetHistory(): void {
    this.rv += 1;
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Deletes events whose TTL has passed (each a DELETED watch event). */
  sweepExpired(): void {
    const now = this.clock.now();
    if (now < this.earliestExpiry) return;
    this.earliestExpiry = Infinity;
    for (const [id, at] of [...this.expiries]) {
      if (at > now) {
        this.earliestExpiry = Math.min(this.earliestExpiry, at);
        continue;
      }
      const [storage, k] = id.split('|');
      const obj = this.objects.get(storage)?.get(k);
      this.expiries.delete(id);
      if (!obj) continue;
      const fake = { storage, namespaced: true, kind: 'Event' } as ResourceType;
      this.delete(fake, obj.metadata.namespace, obj.metadata.name);
    }
  }

  close(): void {
    if (this.sweepTimer) this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.listeners.clear();
  }

  private scheduleSweep() {
    const every = Math.max(1000, Math.min(30_000, this.eventTtlMs / 4));
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepExpired();
      this.scheduleSweep();
    }, every);
  }

  private write(
    type: ResourceType,
    kind: 'ADDED' | 'MODIFIED',
    obj: KubeObject,
    previous?: KubeObject,
  ) {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    const k = key(obj.metadata.namespace, obj.metadata.name);
    this.bucket(type).set(k, obj);
    if (type.storage === 'events') {
      const at = this.clock.now() + this.eventTtlMs;
      this.expiries.set(`${type.storage}|${k}`, at);
      this.earliestExpiry = Math.min(this.earliestExpiry, at);
    }
    // (the stored object itself: never changed in place once written)
    this.record({
      rv: this.rv,
      type: kind,
      storage: type.storage,
      object: obj,
      previous,
    });
    return obj;
  }

  private record(change: StoreChange) {
    this.history.push(change);
    while (this.history.length > this.historyLimit) {
      this.compactedRv = this.history.shift()!.rv;
    }
    // Listeners may write (controllers react to changes); their changes are delivered after
    // this one, so every listener sees resourceVersions in increasing order.
    this.undelivered.push(change);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (
        let next = this.undelivered.shift();
        next;
        next = this.undelivered.shift()
      ) {
        for (const listener of [...this.listeners]) listener(next);
      }
    } finally {
      this.delivering = false;
    }
  }

  private bucket(type: ResourceType) {
    let b = this.objects.get(type.storage);
    if (!b) this.objects.set(type.storage, (b = new Map()));
    return b;
  }
}

function key(namespace: string | undefined, name: string) {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(obj: KubeObject) {
  return key(obj.metadata.namespace, obj.metadata.name);
}

/** What the apiserver stores for a written object (a Secret's `stringData` becomes `data`). */
function storedForm(type: ResourceType, obj: KubeObject): KubeObject {
  return type.group === '' && type.kind === 'Secret'
    ? normaliseSecret(obj)
    : obj;
}

function specOf(obj: KubeObject) {
  const { metadata, status, ...rest } = obj;
  return JSON.stringify(sortKeys(rest));
}

/** Whether two objects hold the same content, whatever the order of their keys. */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x === y) return true;
  // The same content in another key order has the same length.
  return (
    x.length === y.length &&
    JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
  );
}

export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, sortKeys(value[k])]),
    );
  }
  return value;
}
