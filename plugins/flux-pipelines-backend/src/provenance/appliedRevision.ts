import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { at } from '../domain/time';
import { AppLabelStore } from '../database/AppLabelStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { parseSourceRevision } from '../ingest/sourceRevision';

/** The labels kustomize-controller puts on every object it applies. */
export const APPLIED_BY_NAME = 'kustomize.toolkit.fluxcd.io/name';
export const APPLIED_BY_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';

/**
 * The Kustomization that applied an object, from the labels
 * kustomize-controller puts on it: one on the same cluster, or none when the
 * labels are missing or ambiguous.
 */
export async function appliedBy(
  labels: AppLabelStore,
  ref: FluxObjectRef,
): Promise<FluxObjectRef | undefined> {
  const [names, namespaces] = await Promise.all([
    labels.labelValues([ref], APPLIED_BY_NAME),
    labels.labelValues([ref], APPLIED_BY_NAMESPACE),
  ]);
  if (names.length !== 1 || namespaces.length !== 1) return undefined;
  return {
    cluster: ref.cluster,
    namespace: namespaces[0],
    kind: 'Kustomization',
    name: names[0],
  };
}

/** When a deployment began: its start, else its first known time. */
function beganAt(d: TargetDeployment): number {
  return at(d.startedAt ?? d.finishedAt ?? d.updatedAt);
}

/** When a deployment ended, or was last seen. */
function endedAt(d: TargetDeployment): number {
  return at(d.finishedAt ?? d.updatedAt);
}

/** One revision a Kustomization reconciled, over all its attempts. */
interface Reconciliation {
  revision: string;
  /** The earliest start an attempt reported, if any did. */
  start?: number;
  end: number;
}

/** The applier's reconciliations, one per revision, in the order they ended. */
function reconciliations(applier: TargetDeployment[]): Reconciliation[] {
  const byRevision = new Map<string, Reconciliation>();
  for (const d of applier) {
    const r = byRevision.get(d.chartVersion) ?? {
      revision: d.chartVersion,
      end: -Infinity,
    };
    if (d.startedAt) r.start = Math.min(r.start ?? Infinity, at(d.startedAt));
    r.end = Math.max(r.end, endedAt(d));
    byRevision.set(d.chartVersion, r);
  }
  return [...byRevision.values()].sort(
    (a, b) => a.end - b.end || (a.start ?? a.end) - (b.start ?? b.end),
  );
}

/**
 * The revision the applying Kustomization had reached when `deployment`
 * (of an object it applies) started: the newest revision whose
 * reconciliation may have applied the object by then. A Kustomization
 * reconciles one revision at a time, so a reconciliation whose start was
 * never seen (only its end, from an event) began after the previous one
 * ended: it counts only if that was before the deployment's second
 * (Kubernetes times have whole seconds; a start seen in the same second
 * counts). Undefined when none did, or it does not parse.
 */
export function revisionAt(
  applier: TargetDeployment[],
  deployment: TargetDeployment,
): string | undefined {
  const started = beganAt(deployment);
  let found: string | undefined;
  let previousEnd = -Infinity;
  for (const r of reconciliations(applier)) {
    const mayHaveApplied =
      r.start !== undefined ? r.start <= started : previousEnd < started;
    if (mayHaveApplied) found = r.revision;
    previousEnd = r.end;
  }
  return parseSourceRevision(found)?.revision;
}
