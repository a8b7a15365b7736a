import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';

/** Identifies one Flux object on one cluster. */
export interface FluxObjectRef {
  cluster: string;
  namespace: string;
  kind: Observation['kind'];
  name: string;
}

/** The durable, de-duplicated log of observations. */
export interface ObservationStore {
  /**
   * Records observations; `occurrenceKey` identifies the same occurrence
   * arriving by another path. Returns the ones that were new, in input order.
   * Replaying the same input changes nothing.
   */
  record(
    items: Array<{ observation: Observation; occurrenceKey: string }>,
  ): Promise<Observation[]>;
  /** The timeline of one object, newest first; only one kind of action if given. */
  listForObject(
    ref: FluxObjectRef,
    options?: { limit?: number; action?: Observation['action'] },
  ): Promise<Observation[]>;
  /** Deletes observations older than the given time; returns how many. */
  deleteOlderThan(time: Date): Promise<number>;
}
