/**
 * The flux-pipelines frontend plugin: Flux deployment pipelines on the entity
 * page and an overview page. The new frontend system's plugin is exported
 * from `/alpha`.
 *
 * @packageDocumentation
 */
export {
  fluxPipelinesPlugin,
  EntityFluxPipelinesContent,
  EntityFluxPipelinesCard,
  FluxPipelinesPage,
} from './plugin';
export { rootRouteRef as fluxPipelinesRouteRef } from './routes';
export { isFluxPipelinesAvailable } from './isFluxPipelinesAvailable';
export { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
export type {
  FluxPipelinesApi,
  ExecutionsQuery,
  PipelineRef,
} from './api/FluxPipelinesApi';
export { FluxPipelinesClient } from './api/FluxPipelinesClient';
