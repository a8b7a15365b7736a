import { Pipeline } from '@internal/plugin-flux-pipelines-common';

/** Durable storage of pipelines and what happened to them. */
export interface PipelineStore {
  /** Replaces every pipeline of one source with the given set. */
  replacePipelines(
    source: Pipeline['source'],
    pipelines: Pipeline[],
  ): Promise<void>;
  /** All pipelines, ordered by namespace and name. */
  listPipelines(): Promise<Pipeline[]>;
  /** One pipeline, or undefined. */
  getPipeline(namespace: string, name: string): Promise<Pipeline | undefined>;
}
