import {
  Pipeline,
  PipelineTarget,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/** Identifies one Flux object on one cluster. */
export interface ObjectRef {
  cluster: string;
  namespace: string;
  kind: Pipeline['appRef']['kind'];
  name: string;
}

/** A cluster and namespace a pipeline deploys to (its target), or a deployment on one. */
export type TargetLike = Pick<PipelineTarget, 'cluster' | 'namespace'>;

/** The pipeline's app on one of its targets: the Flux object that deploys there. */
export function targetRef(
  pipeline: Pick<Pipeline, 'appRef'>,
  target: TargetLike,
): ObjectRef {
  return {
    cluster: target.cluster,
    namespace: target.namespace,
    kind: pipeline.appRef.kind,
    name: pipeline.appRef.name,
  };
}

/** The Flux objects of every target of a pipeline, in environment order. */
export function pipelineRefs(pipeline: Pipeline): ObjectRef[] {
  return pipeline.environments.flatMap(environment =>
    environment.targets.map(target => targetRef(pipeline, target)),
  );
}

/**
 * The one string key of a Flux object (JSON of cluster, namespace, kind and
 * name), optionally of one of its versions. The object form is also hashed
 * into the database's per-object lock keys, so it must not change.
 */
export function objectKey(
  ref: Pick<ObjectRef, 'cluster' | 'namespace' | 'name'> & { kind: string },
  version?: string,
): string {
  const parts = [ref.cluster, ref.namespace, ref.kind, ref.name];
  return JSON.stringify(version === undefined ? parts : [...parts, version]);
}

/** The key of the pipeline's app on a target, as {@link objectKey}. */
export function targetKey(
  pipeline: Pick<Pipeline, 'appRef'>,
  target: TargetLike,
  version?: string,
): string {
  return objectKey(targetRef(pipeline, target), version);
}

/** The parts of an {@link objectKey}, back from its string. */
export function parseObjectKey(key: string): ObjectRef & { version?: string } {
  const [cluster, namespace, kind, name, version] = JSON.parse(key);
  return { cluster, namespace, kind, name, ...(version ? { version } : {}) };
}

/** Whether a deployment (or target) is on `target`: same cluster and namespace. */
export function onTarget(target: TargetLike, d: TargetLike): boolean {
  return d.cluster === target.cluster && d.namespace === target.namespace;
}

/** Whether a deployment (or target) is on one of `targets`. */
export function onAnyTarget(targets: TargetLike[], d: TargetLike): boolean {
  return targets.some(t => onTarget(t, d));
}
