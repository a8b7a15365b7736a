import { LoggerService } from '@backstage/backend-plugin-api';
import { FluxKind } from '../clusters/discoverFluxResources';
import {
  FluxListReceiver,
  FluxObjectChange,
  FluxObjectSink,
} from '../clusters/FluxObjectSink';
import { KubeObject } from '../clusters/listResource';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { AppLabelStore } from '../database/AppLabelStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { PipelineStore } from '../database/PipelineStore';
import { PipelineSources } from '../config/readPipelineSources';
import {
  OwningControllers,
  RefusalWarnings,
  normalise,
  occurrenceKey,
} from '../ingest';
import { ClusterPipelines } from './ClusterPipelines';
import { CanaryIngest } from './CanaryIngest';
import { CanaryStore } from '../database/CanaryStore';
import { StatusFingerprintStore } from '../database/StatusFingerprintStore';
import { ListedStatus, StatusFingerprints } from './StatusFingerprints';
import { appRef, describe } from './appObjects';
import { AppLabelWriter } from './AppLabelWriter';

/**
 * Where the cluster watchers deliver: Events and HelmRelease / Kustomization
 * status go through the normaliser into the deployment tracker; WGE Pipelines
 * from trusted sources become the pipelines of source `cluster`
 * ({@link ClusterPipelines}). The labels of HelmReleases and Kustomizations are remembered
 * for linking catalog entities. Bad input is logged once, naming the object,
 * and skipped.
 */
export class FluxIngestSink implements FluxObjectSink {
  private readonly pipelines: ClusterPipelines;
  private readonly labels: AppLabelWriter;
  private readonly refusals: RefusalWarnings;
  private readonly canaries?: CanaryIngest;
  private readonly fingerprints?: StatusFingerprints;

  constructor(
    private readonly options: {
      tracker: DeploymentTracker;
      pipelines: PipelineStore;
      /** Where Pipeline objects are trusted; none without it. */
      pipelineSources: PipelineSources;
      appLabels?: AppLabelStore;
      logger: LoggerService;
      /** Per kind, the controllers whose events count (default: Flux's own). */
      controllers?: OwningControllers;
      /** Where Flagger canary phases are recorded; Canaries are skipped without it. */
      canaries?: CanaryStore;
      /** Where a list finds the statuses already ingested, to skip them. */
      fingerprints?: StatusFingerprintStore;
      /** Told after canary phases were recorded (gates are re-evaluated). */
      onCanaries?: () => void;
      /** Told which pipelines a cluster's Pipeline objects added, changed or removed. */
      onPipelines?: (
        pipelines: Array<{ namespace: string; name: string }>,
      ) => Promise<void> | void;
    },
  ) {
    if (options.canaries)
      this.canaries = new CanaryIngest({
        store: options.canaries,
        logger: options.logger,
        onRecorded: options.onCanaries,
      });
    this.pipelines = new ClusterPipelines({
      store: options.pipelines,
      sources: options.pipelineSources,
      logger: options.logger,
      onChange: options.onPipelines,
    });
    this.refusals = new RefusalWarnings({ logger: options.logger });
    this.labels = new AppLabelWriter(options.appLabels);
    if (options.fingerprints)
      this.fingerprints = new StatusFingerprints(options.fingerprints);
  }

  /** What `/health` says of a cluster's ignored Pipeline objects. */
  pipelineHealth(cluster: string) {
    return this.pipelines.health(cluster);
  }

  /**
   * Events only: they are normalised and queued at the tracker before the
   * first `await`, so overlapping calls reach it in call order (HelmReleases
   * and Kustomizations first write their labels, so they wait their turn).
   */
  takesOverlappingCalls(kind: FluxKind): boolean {
    return kind === 'Event';
  }

  async changed(cluster: string, kind: FluxKind, changes: FluxObjectChange[]) {
    if (kind === 'Pipeline') {
      await this.pipelines.changed(cluster, changes);
      return;
    }
    if (kind === 'Canary') {
      await this.canaries?.ingest(
        cluster,
        changes.flatMap(c => (c.change.type === 'DELETED' ? [] : [c.object])),
      );
      return;
    }
    if (kind === 'HelmRelease' || kind === 'Kustomization') {
      for (const { object, change } of changes) {
        await this.labels.changed(
          cluster,
          kind,
          object,
          change.type === 'DELETED',
        );
      }
    }
    // A deleted Event says nothing new (it expired); a deleted app keeps its history.
    await this.ingest(
      cluster,
      kind,
      changes.flatMap(c => (c.change.type === 'DELETED' ? [] : [c.object])),
    );
  }

  /**
   * A list, page by page. After every (re)list, HelmReleases and
   * Kustomizations are reconciled from the objects themselves: versions
   * deployed while nothing was watching appear with their real times. Each
   * page's labels are written before what its statuses say is ingested.
   */
  listing(cluster: string, kind: FluxKind): FluxListReceiver {
    if (kind === 'Pipeline') {
      // Few per cluster, and replaced as a whole: kept until the list is done.
      const items: KubeObject[] = [];
      return {
        page: page => {
          items.push(...page);
        },
        done: () => this.pipelines.synced(cluster, items),
      };
    }
    if (kind === 'Canary') {
      return { page: page => this.canaries?.ingest(cluster, page), done() {} };
    }
    if (kind !== 'HelmRelease' && kind !== 'Kustomization') {
      return { page: page => this.ingest(cluster, kind, page), done() {} };
    }
    const labels = this.labels.listing(cluster, kind);
    // Statuses that give the observations already recorded are skipped.
    const fingerprints = this.fingerprints?.listing(cluster, kind);
    return {
      page: async page => {
        await labels.page(page);
        if (!fingerprints) {
          await this.ingest(cluster, kind, page);
          return;
        }
        await fingerprints.page(this.normalise(cluster, kind, page), changed =>
          this.options.tracker.ingest(changed),
        );
      },
      done: async () => {
        await labels.done();
        await fingerprints?.done();
      },
    };
  }

  /** A whole list at once: {@link listing} with one page. */
  async synced(cluster: string, kind: FluxKind, items: KubeObject[]) {
    const list = this.listing(cluster, kind);
    await list.page(items);
    await list.done();
  }

  /** Normalises the objects and hands what they say to the tracker at once. */
  private async ingest(cluster: string, kind: FluxKind, objects: KubeObject[]) {
    const items = this.normalise(cluster, kind, objects).flatMap(o => o.items);
    if (items.length) await this.options.tracker.ingest(items);
  }

  /** What each object says; bad ones are logged once, naming the object, and left out. */
  private normalise(
    cluster: string,
    kind: FluxKind,
    objects: KubeObject[],
  ): ListedStatus[] {
    const listed: ListedStatus[] = [];
    for (const object of objects) {
      const result = normalise(object, {
        cluster,
        controllers: this.options.controllers,
      });
      if (!result.ok) {
        const label = result.object ?? describe(object);
        const message = `Skipped a ${kind} from cluster ${cluster} (${label}): ${result.reason}`;
        if (result.rule) {
          this.refusals.warn(`${cluster}/${kind}/${label}`, message, {
            cluster,
            object: label,
            rule: result.rule,
          });
        } else {
          this.options.logger.warn(message);
        }
        continue;
      }
      listed.push({
        ref: appRef(cluster, kind as FluxObjectRef['kind'], object),
        items: result.observations.map(observation => ({
          observation,
          occurrenceKey: occurrenceKey(observation),
        })),
      });
    }
    return listed;
  }
}
