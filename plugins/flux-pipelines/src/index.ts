/**
 * The flux-pipelines frontend plugin: Flux deployment pipelines on the entity
 * page. The new frontend system's plugin is exported from `/alpha`.
 *
 * @packageDocumentation
 */
export { fluxPipelinesPlugin, EntityFluxPipelinesContent } from './plugin';
export { isFluxPipelinesAvailable } from './isFluxPipelinesAvailable';
export { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
export type { FluxPipelinesApi } from './api/FluxPipelinesApi';
export { FluxPipelinesClient } from './api/FluxPipelinesClient';
