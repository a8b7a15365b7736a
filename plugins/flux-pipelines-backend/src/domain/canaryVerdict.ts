/**
 * What a Flagger canary says about one version of the HelmRelease it follows.
 *
 * Flagger's `status.lastAppliedSpec` is a hash of the target's pod template, not a version. The
 * rule that ties a hash to a version: a Canary rendered by a Helm chart carries the labels
 * helm-controller and Helm put on every object of a release — `helm.toolkit.fluxcd.io/name`
 * (the HelmRelease it follows, which must be in the canary's own namespace) and `helm.sh/chart`
 * (`<chart>-<version>`). A hash belongs to the version the chart label named when the hash was
 * FIRST seen, and only if it was first seen while Flagger analysed it (an analysing phase): a
 * `Succeeded` left over from the previous revision, seen after Helm re-labelled the canary but
 * before Flagger noticed the new revision, keeps its old hash and so its old version, and a hash
 * first seen already finished (after downtime) counts for no version (the gate then waits).
 *
 * Among the canaries of one target and version, a `Failed` wins over any `Succeeded`: a tenant
 * who forges a succeeded Canary cannot unblock a version a real canary failed.
 */

/** Flagger's canary phases (pkg/apis/flagger/v1beta1). */
export const CANARY_PHASES = [
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
] as const;
export type CanaryPhase = (typeof CANARY_PHASES)[number];

/** Phases in which Flagger analyses a new revision. */
const ANALYSING: ReadonlySet<CanaryPhase> = new Set([
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

/** One phase of one canary revision, as recorded (oldest first per canary). */
export interface CanaryPhaseRecord {
  canary: string;
  specHash: string;
  phase: CanaryPhase;
  /** The chart version the canary's labels named when this phase was seen. */
  version: string;
  /** Flagger's `status.lastTransitionTime` (ISO). */
  at: string;
}

export type CanaryState = 'succeeded' | 'failed' | 'analysing' | 'none';

export interface CanaryVerdict {
  state: CanaryState;
  /** Per canary that counts for the version, its latest phase. */
  canaries: Array<{ canary: string; phase: CanaryPhase; at: string }>;
}

/** The version each canary revision analysed (see the file comment), keyed `canary/hash`. */
export function attributeRevisions(
  records: CanaryPhaseRecord[],
): Map<string, string> {
  const first = new Map<string, CanaryPhaseRecord>();
  for (const r of records) {
    const key = `${r.canary}/${r.specHash}`;
    if (!first.has(key)) first.set(key, r);
  }
  const versions = new Map<string, string>();
  for (const [key, r] of first)
    if (ANALYSING.has(r.phase)) versions.set(key, r.version);
  return versions;
}

/**
 * The canaries' verdict on `version` of one target, from the records of the canaries following
 * it (already limited to the target's cluster and namespace), oldest first.
 */
export function canaryVerdict(
  records: CanaryPhaseRecord[],
  version: string,
): CanaryVerdict {
  const versions = attributeRevisions(records);
  const latest = new Map<string, CanaryPhaseRecord>();
  const phases = new Set<CanaryPhase>();
  for (const r of records) {
    if (versions.get(`${r.canary}/${r.specHash}`) !== version) continue;
    phases.add(r.phase);
    latest.set(r.canary, r);
  }
  let state: CanaryState = 'none';
  if (phases.has('Failed')) state = 'failed';
  else if (phases.has('Succeeded')) state = 'succeeded';
  else if (phases.size) state = 'analysing';
  return {
    state,
    canaries: [...latest.values()].map(r => ({
      canary: r.canary,
      phase: r.phase,
      at: r.at,
    })),
  };
}
