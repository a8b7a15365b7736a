export type { NormaliseContext, NormaliseResult } from './types';
export { normalise, detectShape } from './normalise';
export type { InputShape } from './normalise';
export { normaliseCoreEvent } from './normaliseCoreEvent';
export { normaliseEventsV1 } from './normaliseEventsV1';
export { normaliseWebhook } from './normaliseWebhook';
export { normaliseHelmReleaseStatus } from './normaliseHelmReleaseStatus';
export { normaliseKustomizationStatus } from './normaliseKustomizationStatus';
export { parseHelmMessage, AGGREGATED_PREFIX } from './parseHelmMessage';
export type { ParsedHelmMessage } from './parseHelmMessage';
export { REASONS, classify } from './reasons';
export { occurrenceKey, stableHash } from './dedup';
export { truncateMessage, MAX_MESSAGE_CHARS } from './values';
export {
  CONTROLLERS_RULE,
  DEFAULT_OWNING_CONTROLLERS,
  controllerProblem,
} from './owningController';
export type { OwningControllers } from './owningController';
export {
  isVersionOf,
  versionProblem,
  MAX_VERSION_CHARS,
} from './versionFormat';
export { RefusalWarnings } from './RefusalWarnings';
