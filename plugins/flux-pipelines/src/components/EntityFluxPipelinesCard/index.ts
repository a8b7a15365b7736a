export { EntityFluxPipelinesCard } from './EntityFluxPipelinesCard';
