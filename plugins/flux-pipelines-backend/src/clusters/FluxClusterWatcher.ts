import { KubeConfig } from '@kubernetes/client-node';
import { BackoffOptions, backoffDelay, sleep } from './backoff';
import { ClusterDefinition } from './ClusterDefinition';
import { describeError } from './describeError';
import { FluxResource, discoverFluxResources } from './discoverFluxResources';
import { FluxObjectSink } from './FluxObjectSink';
import { KubeObject } from './listResource';
import { ListPageGate } from './ListPageGate';
import { ResourceWatcher, WatchChange, WatchStatus } from './ResourceWatcher';
import { toKubeConfig } from './toKubeConfig';

/** Health of one cluster, safe to show (no credentials). */
export interface ClusterHealth {
  cluster: string;
  /** True when discovery worked and every watch is connected. */
  connected: boolean;
  lastEventAt?: Date;
  lastError?: string;
  /** Per watched resource, keyed `group/version/plural`. */
  resources: Record<string, WatchStatus>;
}

export interface FluxClusterWatcherOptions {
  cluster: ClusterDefinition;
  sink: FluxObjectSink;
  /** A malformed object, or one the sink failed on; the watch goes on. */
  onInvalid?(cluster: string, what: string, error: Error): void;
  onHealth?(health: ClusterHealth): void;
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: number;
  /** Shared by the clusters: how many list pages may be held at once. */
  pageGate?: ListPageGate;
  /** Defaults to {@link toKubeConfig} of the cluster. */
  kubeConfig?: KubeConfig;
  /**
   * Whether to watch WGE `Pipeline` objects (when served); default true. A
   * cluster that is no pipeline source need not be asked for them.
   */
  watchPipelines?: boolean;
}

/**
 * Follows the Flux objects of one cluster: discovers the served APIs, then runs
 * one {@link ResourceWatcher} per resource and forwards objects to the sink.
 */
export class FluxClusterWatcher {
  private readonly kubeConfig: KubeConfig;
  private readonly secrets: string[];
  private discoveryError?: string;
  private discovered = false;
  private readonly statuses = new Map<string, WatchStatus>();

  static create(options: FluxClusterWatcherOptions): FluxClusterWatcher {
    return new FluxClusterWatcher(options);
  }

  private constructor(private readonly options: FluxClusterWatcherOptions) {
    const { cluster } = options;
    this.kubeConfig = options.kubeConfig ?? toKubeConfig(cluster);
    this.secrets =
      cluster.auth.type === 'serviceAccount'
        ? [cluster.auth.token.reveal()]
        : [];
  }

  get cluster(): string {
    return this.options.cluster.name;
  }

  health(): ClusterHealth {
    const statuses = [...this.statuses.values()];
    const times = statuses.map(s => s.lastEventAt?.getTime() ?? 0);
    const latest = Math.max(0, ...times);
    const error = statuses.find(s => !s.connected && s.lastError)?.lastError;
    return {
      cluster: this.cluster,
      connected:
        this.discovered &&
        statuses.length > 0 &&
        statuses.every(s => s.connected),
      lastEventAt: latest ? new Date(latest) : undefined,
      lastError: this.discoveryError ?? error,
      resources: Object.fromEntries(
        [...this.statuses].map(([k, s]) => [k, { ...s }]),
      ),
    };
  }

  /** Watches until `signal` aborts; never rejects. */
  async run(outer: AbortSignal): Promise<void> {
    // Our watchers listen to this one; the caller's signal gets one listener.
    const inner = new AbortController();
    const stop = () => inner.abort();
    outer.addEventListener('abort', stop, { once: true });
    if (outer.aborted) inner.abort();
    const resources = await this.discover(inner.signal);
    if (resources) {
      await Promise.all(
        resources.map(r => this.watcherFor(r).run(inner.signal)),
      );
    }
    outer.removeEventListener('abort', stop);
  }

  private async discover(signal: AbortSignal) {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const resources = (
          await discoverFluxResources(
            this.kubeConfig,
            this.options.cluster.eventApis,
            signal,
          )
        ).filter(
          r => r.kind !== 'Pipeline' || this.options.watchPipelines !== false,
        );
        this.discovered = true;
        this.discoveryError = undefined;
        for (const r of resources)
          this.statuses.set(key(r), { connected: false });
        this.reportHealth();
        return resources;
      } catch (error) {
        const failure = describeError(error, this.secrets);
        this.discoveryError = `Discovery failed: ${failure.message}`;
        this.reportHealth();
        const delay = backoffDelay(
          attempt,
          this.options.backoff,
          failure.retryAfterMs,
        );
        await sleep(delay, signal);
      }
    }
    return undefined;
  }

  private watcherFor(resource: FluxResource): ResourceWatcher {
    const apiVersion = resource.group
      ? `${resource.group}/${resource.version}`
      : resource.version;
    return new ResourceWatcher({
      kubeConfig: this.kubeConfig,
      resource,
      backoff: this.options.backoff,
      watchTimeoutSeconds: this.options.watchTimeoutSeconds,
      secrets: this.secrets,
      deliveriesInFlight: this.options.sink.takesOverlappingCalls?.(
        resource.kind,
      )
        ? 2
        : 1,
      onStatus: status => {
        this.statuses.set(key(resource), status);
        this.reportHealth();
      },
      onEvents: changes => this.forward(resource, apiVersion, changes),
      pageGate: this.options.pageGate,
      onList: ({ relist }) => {
        const { kind } = resource;
        const receiver = this.options.sink.listing(this.cluster, kind, {
          relist,
          apiVersion,
        });
        return {
          page: items =>
            this.safely(`${kind} list`, () =>
              receiver.page(items.filter(i => this.validate(resource, i))),
            ),
          done: () => this.safely(`${kind} list`, () => receiver.done()),
        };
      },
    });
  }

  /** Runs a sink call; a failure only loses what it was given. */
  private async safely(what: string, call: () => void | Promise<void>) {
    try {
      await call();
    } catch (error) {
      this.invalid(what, error);
    }
  }

  private async forward(
    resource: FluxResource,
    apiVersion: string,
    changes: WatchChange[],
  ) {
    const valid = changes.flatMap(({ type, object }) =>
      this.validate(resource, object)
        ? [{ object, change: { type, apiVersion } }]
        : [],
    );
    if (!valid.length) return;
    try {
      await this.options.sink.changed(this.cluster, resource.kind, valid);
    } catch (error) {
      if (valid.length === 1) {
        this.invalid(describe(resource, valid[0].object), error);
        return;
      }
      // Find the objects it failed on, so that only they are lost (the sink
      // is idempotent: what it stored of the batch is not stored twice).
      for (const one of valid) {
        try {
          await this.options.sink.changed(this.cluster, resource.kind, [one]);
        } catch (failure) {
          this.invalid(describe(resource, one.object), failure);
        }
      }
    }
  }

  private validate(resource: FluxResource, obj: KubeObject): boolean {
    const meta = obj?.metadata;
    if (
      obj &&
      typeof obj === 'object' &&
      typeof meta?.name === 'string' &&
      typeof meta.namespace === 'string'
    ) {
      return true;
    }
    this.invalid(
      describe(resource, obj),
      new Error('object has no metadata.name or metadata.namespace'),
    );
    return false;
  }

  private invalid(what: string, error: unknown) {
    const err = error instanceof Error ? error : new Error(String(error));
    try {
      this.options.onInvalid?.(this.cluster, what, err);
    } catch {
      // A failing hook must not stop the watch either.
    }
  }

  private reportHealth() {
    this.options.onHealth?.(this.health());
  }
}

function key(r: FluxResource): string {
  return `${r.group || 'core'}/${r.version}/${r.plural}`;
}

function describe(resource: FluxResource, obj: KubeObject | undefined): string {
  const ns = obj?.metadata?.namespace;
  const name = obj?.metadata?.name;
  return `${resource.kind} ${ns ? `${ns}/` : ''}${name ?? '(unnamed)'}`;
}
