import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { FluxObjectRef } from './ObservationStore';

/** A cluster pipeline that was not stored because configuration defines one of the same name. */
export interface ShadowedPipeline {
  /** The pipeline read from the cluster, not stored. */
  pipeline: Pipeline;
  /** The configured pipeline of the same namespace and name, which wins. */
  shadowedBy: Pipeline;
}

/**
 * A cluster pipeline that was not stored because another cluster's Pipeline
 * of the same namespace and name is stored, and this cluster does not outrank
 * it.
 */
export interface ConflictingPipeline {
  /** The pipeline read from the cluster, not stored. */
  pipeline: Pipeline;
  /** The cluster whose Pipeline of the same namespace and name is stored. */
  ownedBy: string;
}

/** What {@link PipelineStore.replacePipelines} did not store. */
export interface ReplacePipelinesResult {
  shadowed: ShadowedPipeline[];
  conflicts: ConflictingPipeline[];
}

/** Durable storage of pipelines and what happened to them. */
export interface PipelineStore {
  /**
   * Replaces every pipeline of one source with the given set; for source
   * `cluster` (which requires `origin`), only the pipelines read from that
   * cluster. A pipeline's identity includes its origin:
   * - configuration wins: a cluster pipeline with the namespace and name of a
   *   configured one is not stored, and reported as shadowed;
   * - a cluster pipeline never replaces or deletes another cluster's pipeline
   *   of the same namespace and name (even racing), unless that cluster is in
   *   `outranks`; otherwise it is not stored and reported as a conflict.
   */
  replacePipelines(
    source: Pipeline['source'],
    pipelines: Pipeline[],
    options?: { origin?: string; outranks?: string[] },
  ): Promise<ReplacePipelinesResult | void>;
  /**
   * Deletes the cluster pipelines whose origin cluster and namespace are no
   * longer trusted (stored before `pipelineSources` said otherwise); returns
   * them.
   */
  removeUntrustedPipelines?(
    trusts: (cluster: string, namespace: string) => boolean,
  ): Promise<Array<{ cluster: string; namespace: string; name: string }>>;
  /** All pipelines, ordered by namespace and name. */
  listPipelines(): Promise<Pipeline[]>;
  /** One pipeline, or undefined. */
  getPipeline(namespace: string, name: string): Promise<Pipeline | undefined>;
  /**
   * The cluster a `cluster` pipeline's Pipeline object was read from (where
   * its `secretRef` Secrets live); undefined for configured pipelines.
   */
  originCluster?(namespace: string, name: string): Promise<string | undefined>;
  /**
   * The watched apps (HelmReleases, Kustomizations on any cluster) that carry
   * a label with a value, when the store knows app labels.
   */
  findAppsByLabel?(label: string, value: string): Promise<FluxObjectRef[]>;
}
