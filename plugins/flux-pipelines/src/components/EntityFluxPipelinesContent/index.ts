export { EntityFluxPipelinesContent } from './EntityFluxPipelinesContent';
