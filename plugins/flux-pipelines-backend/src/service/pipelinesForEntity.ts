import { Entity } from '@backstage/catalog-model';
import {
  FLUX_PIPELINES_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  Pipeline,
  parsePipelineRefs,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { FluxObjectRef } from '../database/ObservationStore';
import { objectKey, targetKey } from '../domain/objectKey';

/** The label on HelmReleases / Kustomizations that names their catalog entity, as for the Kubernetes plugin. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** Finds the watched apps that carry a label (e.g. the pipeline store). */
export interface AppLabelLookup {
  findAppsByLabel?(label: string, value: string): Promise<FluxObjectRef[]>;
}

/**
 * The pipelines an entity links to through its annotation
 * (`flux-pipelines.io/pipelines`), in its order.
 */
export function pipelinesForEntity(
  entity: Entity,
  pipelines: Pipeline[],
): Pipeline[];
/**
 * The pipelines an entity links to: those its `flux-pipelines.io/pipelines`
 * annotation names, in its order, then those whose app (the object named by
 * `appRef` on any of their targets) carries the label
 * `backstage.io/kubernetes-id` with the value of the entity's annotation of
 * that name, by namespace and name. Each pipeline once.
 */
export function pipelinesForEntity(
  entity: Entity,
  pipelines: Pipeline[],
  appLabels: AppLabelLookup,
): Promise<Pipeline[]>;
export function pipelinesForEntity(
  entity: Entity,
  pipelines: Pipeline[],
  appLabels?: AppLabelLookup,
): Pipeline[] | Promise<Pipeline[]> {
  const annotated = byAnnotation(entity, pipelines);
  if (!appLabels) return annotated;
  return (async () => {
    const id = entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION]?.trim();
    if (!id || !appLabels.findAppsByLabel) return annotated;
    const apps = await appLabels.findAppsByLabel(KUBERNETES_ID_LABEL, id);
    return [...new Set([...annotated, ...pipelinesDeploying(apps, pipelines)])];
  })();
}

function byAnnotation(entity: Entity, pipelines: Pipeline[]): Pipeline[] {
  const refs = parsePipelineRefs(
    entity.metadata.annotations?.[FLUX_PIPELINES_ANNOTATION],
  );
  return refs.flatMap(
    ref =>
      pipelines.find(
        p => p.namespace === ref.namespace && p.name === ref.name,
      ) ?? [],
  );
}

/** The pipelines with a target where one of `apps` is its app. */
export function pipelinesDeploying(
  apps: FluxObjectRef[],
  pipelines: Pipeline[],
): Pipeline[] {
  const keys = new Set(apps.map(a => objectKey(a)));
  const names = new Set(apps.map(a => a.name));
  return pipelines
    .filter(
      p =>
        names.has(p.appRef.name) &&
        p.environments.some(e =>
          e.targets.some(t => keys.has(targetKey(p, t))),
        ),
    )
    .sort((a, b) =>
      a.namespace === b.namespace
        ? a.name.localeCompare(b.name)
        : a.namespace.localeCompare(b.namespace),
    );
}
