import { ConflictError } from '@backstage/errors';
import {
  GateStatus,
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { CanaryStore } from '../database/CanaryStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { blockingGates, evaluateGates, needsCanaries } from '../domain/gates';
import { onTarget } from '../domain/objectKey';
import { gatherListedObjects } from './gatherListedObjects';

/** How gates apply to an analysis. */
export interface GateMode {
  /** Pass through refusing gates (the caller checked the permission). */
  override?: boolean;
  /** Only report the gates' states, refuse nothing (a preview). */
  reportOnly?: boolean;
}

type GateContext = {
  pipeline: Pipeline;
  index: number;
  version: string;
  deployments: TargetDeployment[];
  now: number;
  /** Where the health gate reads canary verdicts; none known without it. */
  canaries?: Pick<CanaryStore, 'verdict'>;
  /** Where the health gate reads the objects it lists; none known without it. */
  objects?: Pick<DeploymentStore, 'listForObject'>;
};

/**
 * The gates' states for a promotion, and those overridden; 409 naming the
 * gate when one refuses and the mode neither overrides nor only reports.
 */
export async function analyseGates(
  options: GateContext & { mode: GateMode },
): Promise<{ gates: GateStatus[]; overriddenGates: GateStatus[] }> {
  const gates = await gateStates(options);
  if (options.mode.reportOnly) return { gates, overriddenGates: [] };
  const overriddenGates = checkGates(gates, {
    environment: options.pipeline.environments[options.index].name,
    version: options.version,
    override: options.mode.override ?? false,
  });
  return { gates, overriddenGates };
}

/**
 * The state of each gate of environment `index` for promoting `version` at
 * `now` (ms), from the pipeline's deployments (newest first). Empty for the
 * first environment and for environments without gates.
 */
export async function gateStates(options: GateContext): Promise<GateStatus[]> {
  const { pipeline, index, deployments, version } = options;
  const env = pipeline.environments[index];
  const previous = pipeline.environments[index - 1];
  if (!env?.gates || !previous) return [];
  const store = options.canaries;
  const canaries =
    store && needsCanaries(env.gates)
      ? await Promise.all(
          previous.targets.map(t =>
            store.verdict({
              cluster: t.cluster,
              namespace: t.namespace,
              name: pipeline.appRef.name,
              version,
            }),
          ),
        )
      : undefined;
  const objects = await gatherListedObjects({
    pipeline,
    index,
    version,
    stores: { deployments: options.objects, canaries: store },
  });
  return evaluateGates(env.gates, {
    version,
    fromEnvironment: previous.name,
    previous: previous.targets.map(t =>
      deployments.filter(d => onTarget(t, d)),
    ),
    now: options.now,
    ...(canaries ? { canaries } : {}),
    ...(objects ? { objects } : {}),
  });
}

/**
 * Refuses (409 naming the gate) a promotion that a gate refuses, unless the
 * caller overrides; returns the gates overridden.
 */
export function checkGates(
  states: GateStatus[],
  context: { environment: string; version: string; override: boolean },
): GateStatus[] {
  const blocking = blockingGates(states);
  if (!blocking.length || context.override) return blocking;
  const first = blocking[0];
  throw new ConflictError(
    `refused by gate ${first.gate} of ${context.environment}: ${first.reason}${
      blocking.length > 1
        ? ` (also ${blocking
            .slice(1)
            .map(g => `${g.gate}: ${g.reason}`)
            .join('; ')})`
        : ''
    }; ${
      context.version
    } can be promoted once it passes, or anyway by someone with flux-pipelines.promotion.override (override: true)`,
  );
}
