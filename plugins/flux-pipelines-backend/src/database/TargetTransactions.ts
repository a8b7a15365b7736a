import { DeploymentStore } from './DeploymentStore';
import { FluxObjectRef, ObservationStore } from './ObservationStore';
import { RevisionStore } from './RevisionStore';

/** The stores as seen from inside one transaction. */
export interface TargetStores {
  observations: ObservationStore;
  deployments: DeploymentStore;
  /** The read model's change counters; bumped for the objects whose deployments changed. */
  revisions?: RevisionStore;
}

/**
 * Runs the ingest of Flux objects' observations as one unit: recording the
 * observations and updating those objects' deployments commit together or not
 * at all, and no other writer (in this or another process) updates the same
 * objects' deployments in between.
 */
export interface TargetTransactions {
  run<T>(
    refs: FluxObjectRef[],
    work: (stores: TargetStores) => Promise<T>,
  ): Promise<T>;
}
