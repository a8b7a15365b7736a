import {
  CANARY_PHASES,
  CanaryPhase,
  CanaryPhaseRecord,
} from '../domain/canaryVerdict';
import { field, isObj, isoTime, k8sName, str } from './values';

/** A canary's current phase, tied to the HelmRelease it follows (see `domain/canaryVerdict`). */
export interface CanaryObservation extends CanaryPhaseRecord {
  cluster: string;
  namespace: string;
  /** The HelmRelease in `namespace` the canary follows. */
  target: string;
}

export type CanaryNormaliseResult =
  | { ok: true; observation?: CanaryObservation; ignored?: string }
  | { ok: false; reason: string; object?: string };

const RELEASE_NAME = 'helm.toolkit.fluxcd.io/name';
const RELEASE_NAMESPACE = 'helm.toolkit.fluxcd.io/namespace';
const CHART = 'helm.sh/chart';

/**
 * Turns a Flagger `Canary` (flagger.app/v1beta1) into the phase of the revision it analyses.
 * A canary that follows no HelmRelease of its own namespace, or has no status yet, says nothing
 * (`ignored`); a malformed one is refused with a reason naming it. Never throws.
 */
export function normaliseCanary(
  input: unknown,
  ctx: { cluster: string },
): CanaryNormaliseResult {
  try {
    return impl(input, ctx);
  } catch (e) {
    const msg = e instanceof Error ? e.message : 'unknown';
    return { ok: false, reason: `internal error: ${msg.slice(0, 200)}` };
  }
}

function impl(input: unknown, ctx: { cluster: string }): CanaryNormaliseResult {
  const metadata = field(input, 'metadata');
  const namespace = k8sName(field(metadata, 'namespace'));
  const canary = k8sName(field(metadata, 'name'));
  if (!namespace || !canary)
    return { ok: false, reason: 'a Canary needs metadata.namespace and name' };
  const object = `${namespace}/${canary}`;
  const labels = field(metadata, 'labels');
  const target = k8sName(field(labels, RELEASE_NAME));
  if (!target) return { ok: true, ignored: `follows no HelmRelease` };
  const targetNamespace = str(field(labels, RELEASE_NAMESPACE));
  if (targetNamespace && targetNamespace !== namespace)
    return {
      ok: true,
      ignored: `follows a HelmRelease in another namespace (${targetNamespace})`,
    };
  const status = field(input, 'status');
  if (status === undefined || (isObj(status) && !field(status, 'phase')))
    return { ok: true, ignored: 'no status yet' };
  const phase = str(field(status, 'phase'));
  if (!phase || !(CANARY_PHASES as readonly string[]).includes(phase))
    return { ok: false, reason: `unknown status.phase '${phase}'`, object };
  const specHash = str(field(status, 'lastAppliedSpec'), 128);
  const at = isoTime(field(status, 'lastTransitionTime'));
  if (!specHash || !at)
    return {
      ok: false,
      reason: 'status needs lastAppliedSpec and lastTransitionTime',
      object,
    };
  const version = chartVersion(str(field(labels, CHART)));
  if (!version)
    return {
      ok: false,
      reason: `label ${CHART} does not name a chart version`,
      object,
    };
  return {
    ok: true,
    observation: {
      cluster: ctx.cluster,
      namespace,
      target,
      canary,
      specHash,
      phase: phase as CanaryPhase,
      version,
      at,
    },
  };
}

/** `podinfo-6.5.1` → `6.5.1`; chart names may contain dashes, versions start with a digit. */
export function chartVersion(label: string | undefined): string | undefined {
  return label?.match(/^.+?-(v?\d+\.\d+\.\d+\S*)$/)?.[1];
}
