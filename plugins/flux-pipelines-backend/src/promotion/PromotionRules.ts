import { ConflictError, InputError } from '@backstage/errors';
import {
  GateStatus,
  Pipeline,
  PromotionStrategySpec,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { newestFirst } from '../database/DeploymentStore';
import { succeededEverywhere } from '../correlate/confirmedSuccess';
import {
  deployedVersion,
  reachedBy,
  runsEverywhere,
} from '../domain/deployedVersion';
import { TargetLike, onAnyTarget, pipelineRefs } from '../domain/objectKey';
import { rollbackCandidates } from '../domain/rollbackCandidates';
import { isDowngrade } from '../domain/versionOrder';
import { GateMode, analyseGates } from './gateChecks';
import { testedApps, untestedTarget } from './helmTestsPassed';
import { PromotionServiceOptions } from './promotionOptions';

/** What a promotion of a version into an environment would do. */
export interface Analysis {
  index: number;
  /** Whether this promotion waits for approval (a rollback only where protected). */
  manual: boolean;
  strategy?: PromotionStrategySpec;
  fromEnvironment?: string;
  to: { version: string; appVersion?: string; digest?: string };
  from?: { version: string; appVersion?: string; digest?: string };
  /** The environment's gates for this version (none for a rollback). */
  gates: GateStatus[];
  /** Gates that refuse it, passed by an override. */
  overriddenGates: GateStatus[];
}

/**
 * The rules a promotion request is checked against: what may go where, and
 * whether Helm tests passed upstream. Version rules live in `domain/`.
 */
export class PromotionRules {
  private readonly now: () => Date;

  constructor(private readonly options: PromotionServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Checks that `version` may go to `environment`, and passes its gates
   * (unless overridden); 409 with the reason (naming the gate) if not. A
   * rollback goes to a version the environment ran before: one other than
   * what it runs, or (`{ failed }`, automatic rollback) than the failed one.
   */
  async analyse(
    pipeline: Pipeline,
    environment: string,
    version: string,
    rollback: boolean | { failed: string },
    gateMode: GateMode = {},
  ): Promise<Analysis> {
    const index = pipeline.environments.findIndex(e => e.name === environment);
    if (index < 0) {
      throw new InputError(
        `Pipeline ${pipeline.namespace}/${pipeline.name} has no environment ${environment}`,
      );
    }
    const env = pipeline.environments[index];
    const deployments = await this.deploymentsOf(pipeline);
    const spec = effectivePromotion(pipeline, environment);
    const { strategy } = spec;
    const manual = rollback ? spec.protected : spec.manual;
    if (strategy) this.options.checkTarget?.(pipeline, strategy, version);
    const current = deployedVersion(env.targets, deployments);
    const from = current ? info(current) : undefined;
    if (rollback) {
      const candidates = rollbackCandidates(
        pipeline,
        environment,
        deployments,
        typeof rollback === 'object' ? rollback.failed : undefined,
      );
      if (!candidates.some(c => c.version === version)) {
        throw new ConflictError(
          `${version} has not run successfully in ${environment} before${
            current ? ` (it runs ${current.chartVersion})` : ''
          }, so it cannot be rolled back to`,
        );
      }
      const known = deployments.find(
        d => d.chartVersion === version && onAnyTarget(env.targets, d),
      )!;
      return {
        index,
        manual,
        strategy,
        to: info(known),
        from,
        gates: [],
        overriddenGates: [],
      };
    }
    if (index === 0) {
      throw new ConflictError(
        `${environment} is the first environment of the pipeline; versions reach it from the GitOps repository, not by promotion`,
      );
    }
    const previous = pipeline.environments[index - 1];
    const reached = reachedBy(previous.targets, deployments, version);
    if (!succeededEverywhere(reached)) {
      const details = previous.targets
        .map((t, i) => `${t.cluster}/${t.namespace}: ${evidence(reached[i])}`)
        .join(', ');
      throw new ConflictError(
        `${version} has not succeeded in ${previous.name} (${details}); only versions that succeeded there can be promoted to ${environment}`,
      );
    }
    if (runsEverywhere(env.targets, deployments, version)) {
      throw new ConflictError(`${environment} already runs ${version}`);
    }
    if (isDowngrade(current?.chartVersion, version)) {
      throw new ConflictError(
        `${version} is older than ${
          current!.chartVersion
        }, which ${environment} runs; going back is a rollback, not a promotion (request it with rollback: true)`,
      );
    }
    const untested = await this.untestedTarget(
      pipeline,
      previous.targets,
      version,
    );
    if (untested) {
      throw new ConflictError(
        `${version} has not passed its Helm tests in ${previous.name} yet (${untested}); it can be promoted once they succeed`,
      );
    }
    const { gates, overriddenGates } = await analyseGates({
      pipeline,
      index,
      version,
      deployments,
      now: this.now().getTime(),
      canaries: this.options.canaries,
      objects: this.options.deployments,
      mode: gateMode,
    });
    return {
      index,
      manual,
      strategy,
      gates,
      overriddenGates,
      fromEnvironment: previous.name,
      to: info(reached.find(d => d?.appVersion) ?? reached[0]!),
      from,
    };
  }

  /** See {@link untestedTarget}. */
  untestedTarget(
    pipeline: Pipeline,
    targets: TargetLike[],
    version: string,
    tested?: Set<string>,
  ): Promise<string | undefined> {
    return untestedTarget(this.options, pipeline, targets, version, tested);
  }

  /** See {@link testedApps}. */
  testedApps(): Promise<Set<string>> {
    return testedApps(this.options);
  }

  /**
   * The deployments of a pipeline's targets: every known version, or with
   * `workingSet` only each target's recent ones and the deployed one.
   */
  async deploymentsOf(
    pipeline: Pipeline,
    options: { workingSet?: boolean } = {},
  ): Promise<TargetDeployment[]> {
    const refs = pipelineRefs(pipeline);
    const { deployments } = this.options;
    if (!options.workingSet) return deployments.listForObjects(refs);
    const working = await deployments.listWorkingSet(
      refs.map(ref => ({ ref, versions: [] })),
    );
    return working.sort(newestFirst);
  }
}

/** Why a pipeline cannot promote into an environment. */
export function noStrategy(pipeline: Pipeline, environment: string) {
  return `Pipeline ${pipeline.namespace}/${pipeline.name} has no promotion strategy for ${environment}; set spec.promotion.strategy on its Pipeline or fluxPipelines.promotion in app-config`;
}

/** A target's state of a version, for refusals; says when only events report it. */
function evidence(d: TargetDeployment | undefined): string {
  if (!d) return 'not deployed';
  return d.unconfirmed
    ? `${d.status} by events only, unconfirmed by its ${d.kind}'s status`
    : d.status;
}

function info(d: TargetDeployment) {
  return {
    version: d.chartVersion,
    ...(d.appVersion ? { appVersion: d.appVersion } : {}),
    ...(d.digest ? { digest: d.digest } : {}),
  };
}
