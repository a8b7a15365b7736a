import { Entity } from '@backstage/catalog-model';
import { FLUX_PIPELINES_ANNOTATION } from '@flux-pipelines/plugin-flux-pipelines-common';

/** True when the entity links to a Flux pipeline; use it with `EntitySwitch`. */
export function isFluxPipelinesAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[FLUX_PIPELINES_ANNOTATION]);
}
