import { CanaryVerdict } from '../domain/canaryVerdict';
import { CanaryObservation } from '../ingest/normaliseCanary';

/**
 * The canaries a gate asks about, and the version: those following a
 * HelmRelease (`name`, a pipeline target's app), or the one Canary a health
 * gate lists by its own name (`canary`), in exactly that namespace.
 */
export type CanaryQuery = {
  cluster: string;
  namespace: string;
  version: string;
} & ({ name: string; canary?: never } | { canary: string; name?: never });

/** The phases Flagger canaries went through, and their verdict per target version. */
export interface CanaryStore {
  /** Records phases; a phase already seen for a canary revision is kept as first seen. */
  record(observations: CanaryObservation[]): Promise<void>;
  /**
   * Whether the canaries following the HelmRelease (in its namespace only) succeeded or failed
   * for the version: `failed` wins over `succeeded` (see `domain/canaryVerdict`).
   */
  verdict(query: CanaryQuery): Promise<CanaryVerdict>;
  /**
   * Deletes the phases of canary revisions last seen before `time`, except
   * each canary's latest revision whatever its age (a version's failed
   * analysis keeps blocking it); returns how many phases.
   */
  deleteOlderThan(time: Date): Promise<number>;
}
