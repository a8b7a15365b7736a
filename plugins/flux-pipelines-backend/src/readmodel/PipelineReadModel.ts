import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { PipelineStore } from '../database/PipelineStore';
import { PIPELINES_KEY, RevisionStore } from '../database/RevisionStore';
import { RevisionedCache, readThrough } from './RevisionedCache';

/**
 * A {@link PipelineStore} whose list of pipelines (and so each pipeline the
 * pages look up) is answered from memory while no replica changed the
 * stored pipelines since: the database store bumps their revision in each
 * write's transaction. Writes go to the database.
 *
 * Memory: the stored pipelines once (the objects returned are shared: do not
 * modify them).
 */
export class PipelineReadModel implements Required<PipelineStore> {
  private readonly cache = new RevisionedCache<Promise<Pipeline[]>>(1);

  constructor(
    private readonly options: {
      pipelines: Required<PipelineStore>;
      revisions: RevisionStore;
    },
  ) {}

  replacePipelines(...args: Parameters<PipelineStore['replacePipelines']>) {
    return this.options.pipelines.replacePipelines(...args);
  }

  async removeUntrustedPipelines(
    trusts: (cluster: string, namespace: string) => boolean,
  ) {
    return this.options.pipelines.removeUntrustedPipelines(trusts);
  }

  async originCluster(namespace: string, name: string) {
    return this.options.pipelines.originCluster(namespace, name);
  }

  async findAppsByLabel(label: string, value: string) {
    return this.options.pipelines.findAppsByLabel(label, value);
  }

  async listPipelines(): Promise<Pipeline[]> {
    return [
      ...(await readThrough({
        cache: this.cache,
        key: PIPELINES_KEY,
        revisionKey: PIPELINES_KEY,
        revisions: this.options.revisions,
        read: () => this.options.pipelines.listPipelines(),
      })),
    ];
  }

  async getPipeline(namespace: string, name: string) {
    return (await this.listPipelines()).find(
      p => p.namespace === namespace && p.name === name,
    );
  }
}
