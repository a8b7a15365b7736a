export { FluxPipelinesPage } from './FluxPipelinesPage';
