import {
  GatesSpec,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { ListedObjectEvidence, evaluateGates } from './gates';
import { listedObjectState } from './gates/listedObject';
import { SAME_MOMENT_MS } from './rollback';
import { at } from './time';

/** What decides whether a promoted version failed its health gate within the soak. */
export interface HealthFailureInput {
  /** The version promoted into the environment. */
  version: string;
  /** When that promotion was asked for (RFC 3339). */
  promotedAt: string;
  /** The environment the version was promoted into. */
  environment: string;
  /** Its targets' deployments, newest first (one list per target). */
  targets: TargetDeployment[][];
  /** The gates of the environment AFTER it: they judge its targets. */
  gates: GatesSpec | undefined;
  /** The evidence on the objects those gates list, on the environment's targets. */
  objects: ListedObjectEvidence[];
  /** Whether a listed Canary that failed counts (`rollback.onCanaryFailure`). */
  onCanaryFailure: boolean;
  /** The clock (ms): when a canary's failure is seen. */
  now: number;
}

/**
 * Why the promoted version failed the health gate that judges the
 * environment within that gate's soak, if it did: a listed Kustomization or
 * HelmRelease (a Canary only with `onCanaryFailure`) that the health gate's
 * own rule judges failed, observed since the promotion and before the soak
 * (the same soak gate, evaluated at the moment of the failure) elapsed
 * since the version arrived on every target. Without a soak there is no
 * window: a health failure never rolls back. Waiting or unknown never counts.
 */
export function healthFailureInSoak(
  input: HealthFailureInput,
): string | undefined {
  const soak = input.gates?.soak;
  if (!soak) return undefined;
  for (const o of input.objects) {
    if (o.kind === 'Canary' && !input.onCanaryFailure) continue;
    const { state, why } = listedObjectState(o, input.version);
    if (state !== 'failed') continue;
    const failedAt = o.newest ? at(o.newest.updatedAt) : input.now;
    if (failedAt < at(input.promotedAt) - SAME_MOMENT_MS) continue;
    const [soaking] = evaluateGates(
      { soak },
      {
        version: input.version,
        fromEnvironment: input.environment,
        previous: input.targets,
        now: failedAt,
      },
    );
    // Waiting with an end: the version runs Ready there and the soak was not over.
    if (soaking.state === 'waiting' && soaking.until) return why;
  }
  return undefined;
}
