import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One entry of `fluxPipelines.pipelineSources`. */
export interface PipelineSource {
  cluster: string;
  namespaces: string[];
}

/**
 * Where Weave GitOps `Pipeline` objects are trusted: the clusters and
 * namespaces of `fluxPipelines.pipelineSources` (the WGE management-cluster
 * model). Without that key no cluster's Pipeline is trusted.
 *
 * When two trusted clusters define a pipeline of the same namespace and name,
 * the cluster named first in the list wins; see {@link outranked}.
 */
export class PipelineSources {
  private readonly namespaces = new Map<string, Set<string>>();

  /** Trusts exactly the given sources, in order of precedence. */
  static of(sources: PipelineSource[]): PipelineSources {
    return new PipelineSources(sources);
  }

  private constructor(sources: PipelineSource[]) {
    for (const { cluster, namespaces } of sources) {
      const known = this.namespaces.get(cluster) ?? new Set<string>();
      namespaces.forEach(ns => known.add(ns));
      this.namespaces.set(cluster, known);
    }
  }

  /** Whether any Pipeline on this cluster can be trusted (worth watching). */
  hasCluster(cluster: string): boolean {
    return this.namespaces.has(cluster);
  }

  /** Whether a Pipeline in this namespace of this cluster defines a pipeline. */
  trusts(cluster: string, namespace: string): boolean {
    return this.namespaces.get(cluster)?.has(namespace) ?? false;
  }

  /**
   * The source clusters this one takes precedence over (those named after it),
   * whose pipelines of the same namespace and name it replaces.
   */
  outranked(cluster: string): string[] {
    const order = [...this.namespaces.keys()];
    const at = order.indexOf(cluster);
    return at < 0 ? [] : order.slice(at + 1);
  }

  /** The clusters named, in order of precedence. */
  clusters(): string[] {
    return [...this.namespaces.keys()];
  }
}

/**
 * Reads `fluxPipelines.pipelineSources` and logs at start what it means:
 * which clusters' Pipelines are read, and that none is when the key is
 * absent. `clusters` are the configured cluster names, to warn of a source
 * naming a cluster that is not watched.
 */
export function readPipelineSources(
  config: Config,
  options: { clusters: string[]; logger: LoggerService },
): PipelineSources {
  const { logger } = options;
  const entries = config.getOptionalConfigArray(
    'fluxPipelines.pipelineSources',
  );
  if (!entries) {
    logger.warn(
      'Pipeline objects in the clusters are ignored: fluxPipelines.pipelineSources ' +
        'does not name the clusters and namespaces to read them from',
    );
    return PipelineSources.of([]);
  }
  const sources = entries.map((entry, i) => {
    const where = `fluxPipelines.pipelineSources[${i}]`;
    const cluster = entry.getString('cluster');
    const namespaces = entry.getStringArray('namespaces');
    if (!namespaces.length || namespaces.some(ns => !ns.trim())) {
      throw new InputError(
        `${where}: namespaces must name at least one namespace, and no empty one`,
      );
    }
    if (!options.clusters.includes(cluster)) {
      logger.warn(
        `${where} names the cluster ${cluster}, which is not watched: no Pipeline is read from it`,
        { cluster },
      );
    }
    return { cluster, namespaces };
  });
  const result = PipelineSources.of(sources);
  for (const source of sources) {
    logger.info(
      `Reading Pipeline objects from cluster ${
        source.cluster
      }, namespaces ${source.namespaces.join(', ')}`,
      { cluster: source.cluster },
    );
  }
  const unwatched = options.clusters.filter(c => !result.hasCluster(c));
  if (unwatched.length) {
    logger.info(
      `Not reading Pipeline objects from clusters ${unwatched.join(
        ', ',
      )}: not in fluxPipelines.pipelineSources`,
    );
  }
  return result;
}
