import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import type { NormaliseResult } from '../types';

/** The single observation of an accepted result; fails the test otherwise. */
export function one(r: NormaliseResult): Observation {
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  if (r.observations.length !== 1) {
    throw new Error(`expected 1 observation, got ${r.observations.length}`);
  }
  return r.observations[0];
}
