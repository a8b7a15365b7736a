import { Entity } from '@backstage/catalog-model';
import {
  FLUX_PIPELINES_ANNOTATION,
  Pipeline,
  parsePipelineRefs,
} from '@internal/plugin-flux-pipelines-common';

/** The pipelines an entity links to through its annotation, in its order. */
export function pipelinesForEntity(
  entity: Entity,
  pipelines: Pipeline[],
): Pipeline[] {
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
