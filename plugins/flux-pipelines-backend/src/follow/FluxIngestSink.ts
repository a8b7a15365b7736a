import { LoggerService } from '@backstage/backend-plugin-api';
import { Pipeline } from '@internal/plugin-flux-pipelines-common';
import { FluxKind } from '../clusters/discoverFluxResources';
import { FluxChange, FluxObjectSink } from '../clusters/FluxObjectSink';
import { KubeObject } from '../clusters/listResource';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { PipelineStore } from '../database/PipelineStore';
import { normalise, occurrenceKey } from '../ingest';
import { pipelineFromWge } from './pipelineFromWge';

/**
 * Where the cluster watchers deliver: Events and HelmRelease / Kustomization
 * status go through the normaliser into the deployment tracker; WGE Pipelines
 * become the pipelines of source `cluster`. Bad input is logged once, naming
 * the object, and skipped.
 */
export class FluxIngestSink implements FluxObjectSink {
  private readonly pipelinesByCluster = new Map<
    string,
    Map<string, Pipeline>
  >();

  constructor(
    private readonly options: {
      tracker: DeploymentTracker;
      pipelines: PipelineStore;
      logger: LoggerService;
    },
  ) {}

  async event(cluster: string, event: KubeObject, change: FluxChange) {
    if (change.type !== 'DELETED') await this.ingest(cluster, event, 'Event');
  }

  async helmRelease(cluster: string, release: KubeObject, change: FluxChange) {
    if (change.type !== 'DELETED')
      await this.ingest(cluster, release, 'HelmRelease');
  }

  async kustomization(
    cluster: string,
    kustomization: KubeObject,
    change: FluxChange,
  ) {
    if (change.type !== 'DELETED')
      await this.ingest(cluster, kustomization, 'Kustomization');
  }

  async pipeline(cluster: string, pipeline: KubeObject, change: FluxChange) {
    const known = new Map(this.pipelinesByCluster.get(cluster));
    const key = `${pipeline.metadata?.namespace}/${pipeline.metadata?.name}`;
    if (change.type === 'DELETED') {
      known.delete(key);
    } else {
      const read = this.readPipeline(cluster, pipeline);
      if (!read) return;
      known.set(key, read);
    }
    await this.replaceClusterPipelines(cluster, [...known.values()]);
  }

  async synced(cluster: string, kind: FluxKind, items: KubeObject[]) {
    if (kind === 'Pipeline') {
      const read = items.flatMap(
        item => this.readPipeline(cluster, item) ?? [],
      );
      await this.replaceClusterPipelines(cluster, read);
      return;
    }
    // After every (re)list, reconcile from the objects themselves: versions
    // deployed while nothing was watching appear with their real times.
    for (const item of items) {
      await this.ingest(cluster, item, kind);
    }
  }

  private async ingest(cluster: string, object: KubeObject, kind: FluxKind) {
    const result = normalise(object, { cluster });
    if (!result.ok) {
      this.options.logger.warn(
        `Skipped a ${kind} from cluster ${cluster} (${
          result.object ?? describe(object)
        }): ${result.reason}`,
      );
      return;
    }
    if (result.observations.length) {
      await this.options.tracker.ingest(
        result.observations.map(observation => ({
          observation,
          occurrenceKey: occurrenceKey(observation),
        })),
      );
    }
  }

  private readPipeline(
    cluster: string,
    object: KubeObject,
  ): Pipeline | undefined {
    const read = pipelineFromWge(cluster, object);
    if ('error' in read) {
      this.options.logger.warn(`Skipped a WGE pipeline: ${read.error}`);
      return undefined;
    }
    return read.pipeline;
  }

  private async replaceClusterPipelines(
    cluster: string,
    pipelines: Pipeline[],
  ) {
    this.pipelinesByCluster.set(
      cluster,
      new Map(pipelines.map(p => [`${p.namespace}/${p.name}`, p])),
    );
    const all = [...this.pipelinesByCluster.values()].flatMap(m => [
      ...m.values(),
    ]);
    await this.options.pipelines.replacePipelines('cluster', all);
  }
}

function describe(object: KubeObject): string {
  const ns = object?.metadata?.namespace;
  const name = object?.metadata?.name;
  return typeof name === 'string'
    ? `${ns ?? ''}/${name}`
    : 'an object without a name';
}
