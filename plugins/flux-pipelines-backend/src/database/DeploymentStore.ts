import { TargetDeployment } from '@internal/plugin-flux-pipelines-common';
import { FluxObjectRef } from './ObservationStore';

/** Per-target, per-version deployment state. */
export interface DeploymentStore {
  /** Every known version of one object, most recently changed first. */
  listForObject(ref: FluxObjectRef): Promise<TargetDeployment[]>;
  /** Inserts or replaces deployments (by object and version). */
  save(deployments: TargetDeployment[]): Promise<void>;
}
