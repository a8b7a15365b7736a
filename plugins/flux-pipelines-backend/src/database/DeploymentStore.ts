import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
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
  /**
   * What applying new observations to these objects needs, in one query per
   * few hundred objects: per object, its {@link WORKING_SET_RECENT} most
   * recently changed versions, every version currently deployed or in
   * progress, and the given `versions`. Older history (superseded, failed and
   * rolled-back versions long past) is left out, so the cost of ingest does
   * not grow with an object's history. In no particular order.
   */
  listWorkingSet(
    targets: Array<{ ref: FluxObjectRef; versions: string[] }>,
  ): Promise<TargetDeployment[]>;
  /** Inserts or replaces deployments (by object and version). */
  save(deployments: TargetDeployment[]): Promise<void>;
}

/**
 * The order the store lists an object's versions in: most recently changed
 * first; on a tie (Kubernetes times have second precision, and a failed
 * reconciliation and the next one often end in the same second) the one
 * started later first, then by version.
 */
export function newestFirst(a: TargetDeployment, b: TargetDeployment): number {
  return (
    Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
    startedAt(b) - startedAt(a) ||
    (a.chartVersion < b.chartVersion ? 1 : -1)
  );
}

function startedAt(d: TargetDeployment): number {
  return d.startedAt ? Date.parse(d.startedAt) : -Infinity;
}

/** How many of an object's most recently changed versions its working set holds. */
export const WORKING_SET_RECENT = 10;
