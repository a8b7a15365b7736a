/**
 * Shared types, API shapes and permissions of the flux-pipelines plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './annotations';
export * from './observation';
export * from './executions';
export * from './promotions';
export * from './signals';
export * from './rootCause';
export * from './insights';
export * from './gates';
