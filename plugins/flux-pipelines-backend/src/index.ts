/**
 * The flux-pipelines backend plugin: follows Flux deployments into pipeline
 * executions and serves them under `/api/flux-pipelines`.
 *
 * @packageDocumentation
 */
export { fluxPipelinesPlugin as default } from './plugin';
