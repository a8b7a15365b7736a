import { normaliseCoreEvent } from './normaliseCoreEvent';
import { normaliseEventsV1 } from './normaliseEventsV1';
import { normaliseHelmReleaseStatus } from './normaliseHelmReleaseStatus';
import { normaliseKustomizationStatus } from './normaliseKustomizationStatus';
import { normaliseWebhook } from './normaliseWebhook';
import {
  NormaliseContext,
  NormaliseResult,
  neverThrows,
  rejected,
} from './types';
import { field, isObj } from './values';

export type InputShape =
  | 'core-event'
  | 'events.k8s.io'
  | 'webhook'
  | 'helmrelease'
  | 'kustomization'
  | 'unknown';

/** Guesses which input an object is, from its shape alone. */
export function detectShape(input: unknown): InputShape {
  if (!isObj(input)) return 'unknown';
  const apiVersion = field(input, 'apiVersion');
  const kind = field(input, 'kind');
  if (apiVersion === 'events.k8s.io/v1' || isObj(field(input, 'regarding')))
    return 'events.k8s.io';
  if (kind === 'HelmRelease') return 'helmrelease';
  if (kind === 'Kustomization') return 'kustomization';
  if (!isObj(field(input, 'involvedObject'))) return 'unknown';
  if (kind === 'Event' || apiVersion === 'v1') return 'core-event';
  // A webhook body has severity + timestamp and a flat metadata map; an Event
  // has count/lastTimestamp/source and an ObjectMeta.
  if (typeof field(input, 'severity') === 'string' && 'timestamp' in input)
    return 'webhook';
  const hasEventFields = [
    'count',
    'lastTimestamp',
    'firstTimestamp',
    'source',
    'type',
  ].some(k => k in input);
  if (hasEventFields) return 'core-event';
  return 'timestamp' in input ? 'webhook' : 'core-event';
}

function impl(input: unknown, ctx: NormaliseContext): NormaliseResult {
  switch (detectShape(input)) {
    case 'core-event':
      return normaliseCoreEvent(input, ctx);
    case 'events.k8s.io':
      return normaliseEventsV1(input, ctx);
    case 'webhook':
      return normaliseWebhook(input, ctx);
    case 'helmrelease':
      return normaliseHelmReleaseStatus(input, ctx);
    case 'kustomization':
      return normaliseKustomizationStatus(input, ctx);
    default: {
      const meta = field(input, 'metadata');
      const name = field(meta, 'name');
      const ns = field(meta, 'namespace');
      const object =
        typeof name === 'string' && name.length <= 253
          ? `${
              typeof ns === 'string' && ns.length <= 253 ? `${ns}/` : ''
            }${name}`
          : undefined;
      return rejected('unknown input shape', object);
    }
  }
}

/**
 * Normalises any input (core/v1 Event, events.k8s.io/v1 Event, webhook body,
 * HelmRelease or Kustomization object) by its shape. Never throws. Callers
 * that know the input kind should call the specific normaliser.
 */
export const normalise: (
  input: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normalise', impl);
