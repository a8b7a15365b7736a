import { Clock } from '../clock';
import { ResourceStore } from '../store/ResourceStore';
import { KubeObject, StoreChange } from '../store/types';
import { DesiredRelease } from './desiredRelease';
import { EventRecorder } from './EventRecorder';
import {
  HelmEventStyle,
  legacyEventStyle,
  v2EventStyle,
} from './helmEventStyles';
import {
  HELM_RELEASE,
  HelmReleaseSimulator,
  ReleaseOutcome,
} from './HelmReleaseSimulator';
import { WebhookForwarder, WebhookOptions } from './WebhookForwarder';
import { CANARY, CanaryOutcome, CanarySimulator } from './CanarySimulator';

export interface FluxSimulatorOptions {
  store: ResourceStore;
  clock: Clock;
  /** How long an install/upgrade runs (Reconciling meanwhile); default 20s. */
  releaseDurationMs?: number;
  /** How long Helm tests run; default 5s. */
  testDurationMs?: number;
  /** How long a rollback runs; default 5s. */
  rollbackDurationMs?: number;
  /** Wait before retrying after a remediated failure; default 30s. */
  retryIntervalMs?: number;
  /** Test hooks per chart (shown in TestSucceeded messages); default 1. */
  testHooks?: number;
  /** Controller generation to imitate: `v2` (helm-controller v1.x, default) or `legacy` (v2beta1). */
  controller?: 'v2' | 'legacy';
  /** apiVersion the v2 controller reports in involvedObject; default helm.toolkit.fluxcd.io/v2. */
  servedVersion?: string;
  /** Chart appVersion for a chart version; default: the version itself. */
  appVersionFor?: (chart: string, version: string) => string;
  /** Decides each attempt's outcome when neither a plan nor the `cluster-sim/outcome` annotation does. */
  outcomeFor?: (hr: KubeObject, desired: DesiredRelease) => ReleaseOutcome;
  /** Time per Flagger analysis step; default: each canary's `spec.analysis.interval`. */
  canaryStepMs?: number;
  /** Forward events to a notification-controller style webhook. */
  webhook?: WebhookOptions;
  /** Event recorder spam/aggregation tuning (defaults as client-go). */
  recorder?: {
    spamBurst?: number;
    spamRefillMs?: number;
    aggregateMaxEvents?: number;
    aggregateIntervalMs?: number;
  };
}

/**
 * The simulated Flux controllers of one stand-in cluster. Watches the store and runs the
 * helm-controller simulation for every HelmRelease whose chart version or values change.
 *
 * Outcomes, in priority order: {@link planOutcome}, the annotation `cluster-sim/outcome`
 * (`success` | `fail` | `test-fail`) on the HelmRelease, `options.outcomeFor`, success.
 * The annotation `cluster-sim/controller: legacy` makes one HelmRelease use the legacy events.
 */
export class FluxSimulator {
  readonly recorder: EventRecorder;
  readonly helm: HelmReleaseSimulator;
  readonly canaries: CanarySimulator;
  private readonly plans = new Map<string, ReleaseOutcome[]>();
  private readonly canaryPlans = new Map<string, CanaryOutcome>();
  private unsubscribe?: () => void;

  get store() {
    return this.options.store;
  }

  constructor(private readonly options: FluxSimulatorOptions) {
    const instance = 'helm-controller-5b9c7d8f6-x2k4q';
    const webhook = options.webhook
      ? new WebhookForwarder(options.webhook, 'helm-controller', instance)
      : undefined;
    this.recorder = new EventRecorder({
      store: options.store,
      clock: options.clock,
      component: 'helm-controller',
      instance,
      forward: webhook
        ? (o, v, e, at) => webhook.forward(o, v, e, at)
        : undefined,
      ...options.recorder,
    });
    const v2 = v2EventStyle(options.servedVersion);
    const legacy = legacyEventStyle();
    this.helm = new HelmReleaseSimulator({
      store: options.store,
      clock: options.clock,
      recorder: this.recorder,
      releaseDurationMs: options.releaseDurationMs ?? 20_000,
      testDurationMs: options.testDurationMs ?? 5_000,
      rollbackDurationMs: options.rollbackDurationMs ?? 5_000,
      retryIntervalMs: options.retryIntervalMs ?? 30_000,
      testHooks: options.testHooks ?? 1,
      appVersionFor: options.appVersionFor ?? ((_c, v) => v),
      outcomeFor: (hr, d) => this.outcome(hr, d),
      styleFor: (hr): HelmEventStyle =>
        (hr.metadata.annotations?.['cluster-sim/controller'] ??
          options.controller) === 'legacy'
          ? legacy
          : v2,
    });
    this.canaries = new CanarySimulator({
      store: options.store,
      clock: options.clock,
      recorder: new EventRecorder({
        store: options.store,
        clock: options.clock,
        component: 'flagger',
        instance: 'flagger-6d8f9c7b4-q9w2e',
      }),
      stepMs: options.canaryStepMs,
      outcomeFor: (c, version) =>
        this.canaryPlans.get(
          `${c.metadata.namespace}/${c.metadata.name}@${version}`,
        ) ??
        (c.metadata.annotations?.['cluster-sim/canary-outcome'] === 'fail'
          ? 'fail'
          : 'success'),
    });
  }

  /** Decides how the canary's analysis of one chart version ends (default: success). */
  planCanary(
    target: { namespace: string; name: string; version: string },
    outcome: CanaryOutcome,
  ): void {
    this.canaryPlans.set(
      `${target.namespace}/${target.name}@${target.version}`,
      outcome,
    );
  }

  start(): void {
    this.unsubscribe = this.options.store.subscribe(change =>
      this.onChange(change),
    );
    for (const hr of this.options.store.list(HELM_RELEASE))
      this.helm.kick(hr.metadata.namespace!, hr.metadata.name);
    for (const c of this.options.store.list(CANARY))
      this.canaries.kick(c.metadata.namespace!, c.metadata.name);
  }

  /** Marks every HelmRelease without history as installed long ago (no events). */
  settleAll(): void {
    for (const hr of this.options.store.list(HELM_RELEASE))
      this.helm.settle(hr.metadata.namespace!, hr.metadata.name);
  }

  stop(): void {
    this.unsubscribe?.();
    this.helm.stop();
    this.canaries.stop();
  }

  /**
   * Queues outcomes for the next attempts of one HelmRelease (optionally only for one chart
   * version), e.g. `['fail', 'fail']` then success.
   */
  planOutcome(
    target: { namespace: string; name: string; version?: string },
    ...outcomes: ReleaseOutcome[]
  ): void {
    const key = `${target.namespace}/${target.name}@${target.version ?? '*'}`;
    this.plans.set(key, [...(this.plans.get(key) ?? []), ...outcomes]);
  }

  private outcome(hr: KubeObject, d: DesiredRelease): ReleaseOutcome {
    const base = `${hr.metadata.namespace}/${hr.metadata.name}@`;
    for (const key of [
      `${base}${d.version}`,
      `${base}${d.version.replace(/\+.*/, '')}`,
      `${base}*`,
    ]) {
      const queue = this.plans.get(key);
      if (queue?.length) return queue.shift()!;
    }
    const annotated = hr.metadata.annotations?.['cluster-sim/outcome'];
    if (
      annotated === 'fail' ||
      annotated === 'test-fail' ||
      annotated === 'success'
    )
      return annotated;
    return this.options.outcomeFor?.(hr, d) ?? 'success';
  }

  private onChange(change: StoreChange) {
    if (change.type === 'DELETED') return;
    const o = change.object;
    if (change.storage === HELM_RELEASE.storage) {
      this.helm.kick(o.metadata.namespace!, o.metadata.name);
      this.canaries.kickRelease(o.metadata.namespace!, o.metadata.name);
    } else if (change.storage === CANARY.storage) {
      this.canaries.kick(o.metadata.namespace!, o.metadata.name);
    } else if (change.storage.startsWith('source.toolkit.fluxcd.io/')) {
      for (const hr of this.options.store.list(HELM_RELEASE)) {
        const ref = hr.spec?.chartRef ?? hr.spec?.chart?.spec?.sourceRef;
        if (
          ref?.name === o.metadata.name &&
          (ref.namespace ?? hr.metadata.namespace) === o.metadata.namespace
        ) {
          this.helm.kick(hr.metadata.namespace!, hr.metadata.name);
        }
      }
    }
  }
}
