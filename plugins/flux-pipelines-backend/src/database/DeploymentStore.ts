import { TargetDeployment } from '@internal/plugin-flux-pipelines-common';
import { FluxObjectRef } from './ObservationStore';

/** Per-target, per-version deployment state. */
export interface DeploymentStore {
  /** Every known version of one object, most recently changed first. */
  listForObject(ref: FluxObjectRef): Promise<TargetDeployment[]>;
  /**
   * Every known version of many objects, in one query (per few hundred
   * objects): most recently changed first.
   */
  listForObjects(refs: FluxObjectRef[]): Promise<TargetDeployment[]>;
  /** Inserts or replaces deployments (by object and version). */
  save(deployments: TargetDeployment[]): Promise<void>;
}
