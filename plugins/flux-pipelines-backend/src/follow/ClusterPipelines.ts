import { LoggerService } from '@backstage/backend-plugin-api';
import {
  IgnoredPipeline,
  Pipeline,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { FluxObjectChange } from '../clusters/FluxObjectSink';
import { KubeObject } from '../clusters/listResource';
import { PipelineSources } from '../config/readPipelineSources';
import { PipelineStore } from '../database/PipelineStore';
import { pipelineFromWge } from './pipelineFromWge';

/** The most ignored Pipelines `/health` lists per cluster. */
const HEALTH_LIST_LIMIT = 50;

/**
 * Turns the WGE `Pipeline` objects of each cluster into the pipelines of
 * source `cluster`: only those in a trusted source (`pipelineSources`) count,
 * each cluster replaces only its own, and the rest are ignored, each logged
 * once (until it is deleted) and listed for `/health`.
 */
export class ClusterPipelines {
  /** Per cluster, the trusted pipelines read, by namespace/name. */
  private readonly read = new Map<string, Map<string, Pipeline>>();
  /** Per cluster, objects refused before storing (untrusted or invalid). */
  private readonly rejected = new Map<string, Map<string, IgnoredPipeline>>();
  /** Per cluster, pipelines the store did not take (config or another cluster). */
  private readonly refused = new Map<string, IgnoredPipeline[]>();
  private readonly logged = new Set<string>();

  constructor(
    private readonly options: {
      store: PipelineStore;
      sources: PipelineSources;
      logger: LoggerService;
      /** Told which pipelines a cluster added, changed or removed. */
      onChange?: (
        pipelines: Array<{ namespace: string; name: string }>,
      ) => Promise<void> | void;
    },
  ) {}

  async changed(cluster: string, changes: FluxObjectChange[]) {
    const read = new Map(this.read.get(cluster));
    const rejected = new Map(this.rejected.get(cluster));
    for (const { object, change } of changes) {
      const key = keyOf(object);
      read.delete(key);
      rejected.delete(key);
      if (change.type === 'DELETED') {
        this.forget(cluster, gone => gone === key);
      } else {
        this.accept(cluster, object, read, rejected);
      }
    }
    await this.replace(cluster, read, rejected);
  }

  async synced(cluster: string, items: KubeObject[]) {
    const read = new Map<string, Pipeline>();
    const rejected = new Map<string, IgnoredPipeline>();
    for (const item of items) this.accept(cluster, item, read, rejected);
    const present = new Set(items.map(keyOf));
    this.forget(cluster, key => !present.has(key));
    await this.replace(cluster, read, rejected);
  }

  /** The Pipeline objects of a cluster that are ignored now, for `/health`. */
  health(cluster: string): {
    ignoredPipelineCount?: number;
    ignoredPipelines?: IgnoredPipeline[];
  } {
    const all = [
      ...(this.rejected.get(cluster)?.values() ?? []),
      ...(this.refused.get(cluster) ?? []),
    ].sort((a, b) => compare(ignoredKey(a), ignoredKey(b)));
    if (!all.length) return {};
    return {
      ignoredPipelineCount: all.length,
      ignoredPipelines: all.slice(0, HEALTH_LIST_LIMIT),
    };
  }

  private accept(
    cluster: string,
    object: KubeObject,
    read: Map<string, Pipeline>,
    rejected: Map<string, IgnoredPipeline>,
  ) {
    const key = keyOf(object);
    // The watcher delivers only objects with a namespace and a name.
    const namespace = String(object.metadata?.namespace);
    const name = String(object.metadata?.name);
    if (!this.options.sources.trusts(cluster, namespace)) {
      rejected.set(key, {
        namespace,
        name,
        reason: 'not-a-pipeline-source',
        message: `refused by fluxPipelines.pipelineSources: namespace ${namespace} of cluster ${cluster} is not a pipeline source`,
      });
      return;
    }
    const result = pipelineFromWge(cluster, object);
    if ('error' in result) {
      rejected.set(key, {
        namespace,
        name,
        reason: 'invalid',
        message: result.error,
      });
      return;
    }
    read.set(key, result.pipeline);
  }

  private async replace(
    cluster: string,
    read: Map<string, Pipeline>,
    rejected: Map<string, IgnoredPipeline>,
  ) {
    const result = await this.options.store.replacePipelines(
      'cluster',
      [...read.values()],
      { origin: cluster, outranks: this.options.sources.outranked(cluster) },
    );
    const changed = changedPipelines(this.read.get(cluster), read);
    this.read.set(cluster, read);
    this.rejected.set(cluster, rejected);
    if (changed.length) await this.tell(cluster, changed);
    const refused: IgnoredPipeline[] = [
      ...(result?.shadowed ?? []).map(({ pipeline, shadowedBy }) => ({
        namespace: pipeline.namespace,
        name: pipeline.name,
        reason: 'configured-pipeline-wins' as const,
        message:
          `the configured pipeline ${shadowedBy.namespace}/${shadowedBy.name} ` +
          `(fluxPipelines.pipelines) has the same namespace and name, and configuration wins`,
      })),
      ...(result?.conflicts ?? []).map(({ pipeline, ownedBy }) => ({
        namespace: pipeline.namespace,
        name: pipeline.name,
        reason: 'owned-by-another-cluster' as const,
        message:
          `refused by fluxPipelines.pipelineSources: the pipeline ${pipeline.namespace}/${pipeline.name} ` +
          `is defined by cluster ${ownedBy}, which this cluster does not outrank`,
      })),
    ];
    this.refused.set(cluster, refused);
    for (const ignored of [...rejected.values(), ...refused]) {
      this.logOnce(cluster, ignored);
    }
  }

  private async tell(cluster: string, changed: Pipeline[]) {
    try {
      await this.options.onChange?.(changed);
    } catch (error) {
      this.options.logger.warn(
        `Could not announce the changed pipelines of cluster ${cluster}: ${error}`,
      );
    }
  }

  private logOnce(cluster: string, ignored: IgnoredPipeline) {
    const key = JSON.stringify([
      cluster,
      ignored.namespace,
      ignored.name,
      ignored.reason,
    ]);
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.options.logger.warn(
      `Ignored the Pipeline ${ignored.namespace}/${ignored.name} from cluster ${cluster}: ${ignored.message}`,
      {
        cluster,
        namespace: ignored.namespace,
        name: ignored.name,
        reason: ignored.reason,
      },
    );
  }

  /** Objects deleted are logged again if they come back. */
  private forget(cluster: string, deleted: (key: string) => boolean) {
    for (const logged of [...this.logged]) {
      const [c, namespace, name] = JSON.parse(logged);
      if (c === cluster && deleted(`${namespace}/${name}`)) {
        this.logged.delete(logged);
      }
    }
  }
}

/** The pipelines that are new, different or gone in `after`. */
function changedPipelines(
  before: Map<string, Pipeline> | undefined,
  after: Map<string, Pipeline>,
): Pipeline[] {
  const changed = [...after].filter(
    ([key, p]) => JSON.stringify(before?.get(key)) !== JSON.stringify(p),
  );
  const gone = [...(before ?? [])].filter(([key]) => !after.has(key));
  return [...changed, ...gone].map(([, p]) => p);
}

function keyOf(object: KubeObject): string {
  return `${object.metadata?.namespace}/${object.metadata?.name}`;
}

function ignoredKey(ignored: IgnoredPipeline): string {
  return `${ignored.namespace}/${ignored.name}`;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
