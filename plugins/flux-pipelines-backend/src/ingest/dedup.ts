import * as crypto from 'crypto';
import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { AGGREGATED_PREFIX } from './parseHelmMessage';

/** One-shot `crypto.hash` where Node has it (20.12+), else a Hash object. */
const sha256Hex: (input: string) => string =
  typeof crypto.hash === 'function'
    ? input => crypto.hash('sha256', input, 'hex')
    : input => crypto.createHash('sha256').update(input).digest('hex');

/** A short, stable hash of the parts (sha256, hex, 32 chars). */
export function stableHash(parts: Array<string | number | undefined>): string {
  let input = '';
  for (const p of parts) {
    // Length-prefix each part so ('ab','c') and ('a','bc') differ.
    const s = p === undefined ? '\u0000' : String(p);
    input += `${s.length}:${s};`;
  }
  return sha256Hex(input).slice(0, 32);
}

/** Dedup key of a Kubernetes Event (either API): one per (event, count). */
export function eventDedupKey(
  cluster: string,
  namespace: string,
  eventId: string,
  count: number,
): string {
  return `event:${cluster}/${namespace}/${eventId}/${count}`;
}

/** Dedup key of a status snapshot entry. */
export function statusDedupKey(
  cluster: string,
  namespace: string,
  name: string,
  version: string | number,
  status: string,
): string {
  return `status:${cluster}/${namespace}/${name}/${version}/${status}`;
}

/** The same moment, cut to the whole second (`2024-05-01T10:00:00Z`). */
export function toSecond(iso: string): string {
  return iso.length >= 19 ? `${iso.slice(0, 19)}Z` : iso;
}

/**
 * A key identical for the same occurrence whatever the input it came from: a
 * core Event, an events.k8s.io Event or the notification-controller webhook of
 * the same emission. (The webhook has no event uid or count, so the event's
 * `dedupKey` cannot match it.) Aggregated events' `(combined from similar
 * events): ` prefix is ignored. Status observations are keyed the same way but
 * will rarely match an event, as their time and message differ.
 */
export function occurrenceKey(obs: Observation): string {
  const message = obs.message.startsWith(AGGREGATED_PREFIX)
    ? obs.message.slice(AGGREGATED_PREFIX.length)
    : obs.message;
  return `occ:${stableHash([
    obs.cluster,
    obs.namespace,
    obs.kind,
    obs.name,
    obs.reason,
    obs.chartVersion,
    toSecond(obs.time),
    message,
  ])}`;
}
