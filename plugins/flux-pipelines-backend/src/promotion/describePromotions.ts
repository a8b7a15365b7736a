import {
  EnvironmentStatus,
  Pipeline,
  PipelineWithStatus,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { newestFirst } from '../database/DeploymentStore';
import { currentPromotion } from '../domain/currentPromotion';
import { deployedVersion } from '../domain/deployedVersion';
import { onAnyTarget } from '../domain/objectKey';
import { rollbackCandidates } from '../domain/rollbackCandidates';
import { gateStates } from './gateChecks';
import { PromotionRules } from './PromotionRules';
import { PromotionServiceOptions } from './promotionOptions';

/**
 * The page's description of promotion: adds to described pipelines the
 * promotion current for what each environment runs, rollback candidates,
 * holds, approval settings and the gates' states for the promotable version,
 * and withdraws a promotable version whose Helm tests have not passed
 * upstream.
 */
export class PromotionDescriber {
  constructor(
    private readonly options: PromotionServiceOptions,
    private readonly rules: PromotionRules,
  ) {}

  async describe(
    items: PipelineWithStatus[],
    options: {
      /** Their targets' working sets, when already read. */
      deployments?: TargetDeployment[];
      /** The pipelines described, with overrides, when already read. */
      pipelines?: Pipeline[];
    } = {},
  ): Promise<PipelineWithStatus[]> {
    // Looked up once for all pipelines, alongside their promotions.
    const testedApps = this.rules.testedApps();
    testedApps.catch(() => {}); // (awaited below; rejects there)
    const pipelines = options.pipelines ?? (await this.options.listPipelines());
    return Promise.all(
      items.map(async item => {
        const pipeline = pipelines.find(
          p => p.namespace === item.namespace && p.name === item.name,
        );
        if (!pipeline) return item;
        const [deployments, promotions, holds, tested] = await Promise.all([
          options.deployments
            ? ofPipeline(pipeline, options.deployments)
            : this.rules.deploymentsOf(pipeline, { workingSet: true }),
          this.options.store.list(pipeline, { limit: 200 }),
          this.options.store.holds(pipeline),
          testedApps,
        ]);
        const untested = await this.untested(pipeline, item, tested);
        const now = (this.options.now ?? (() => new Date()))().getTime();
        const gatesOf = await Promise.all(
          item.environments.map((env, index) =>
            env.promotable && !untested.has(env.name)
              ? gateStates({
                  pipeline,
                  index,
                  version: env.promotable.version,
                  deployments,
                  now,
                  canaries: this.options.canaries,
                  objects: this.options.deployments,
                })
              : [],
          ),
        );
        const environments = item.environments.map((env, index) => {
          const promotion = currentPromotion(
            promotions.filter(p => p.environment === env.name),
            deployedVersion(env.targets, deployments)?.chartVersion,
          );
          const { promotable: _promotable, ...withoutPromotable } = env;
          const hold = holds.get(env.name);
          const candidates = rollbackCandidates(
            pipeline,
            env.name,
            deployments,
          );
          const promotable = untested.has(env.name)
            ? undefined
            : env.promotable;
          const gates = gatesOf[index];
          const status: EnvironmentStatus = {
            ...(promotable ? env : withoutPromotable),
            ...approvalOf(effectivePromotion(pipeline, env.name)),
            ...(gates.length ? { gates } : {}),
            ...(promotion ? { promotion } : {}),
            ...(hold ? { hold } : {}),
            ...(candidates.length ? { rollbackCandidates: candidates } : {}),
          };
          return status;
        });
        return { ...item, environments };
      }),
    );
  }

  /** The environments whose promotable version has not passed its Helm tests upstream. */
  private async untested(
    pipeline: Pipeline,
    item: PipelineWithStatus,
    tested: Set<string>,
  ): Promise<Set<string>> {
    const untested = new Set<string>();
    await Promise.all(
      item.environments.map(async (env, i) => {
        const previous = pipeline.environments[i - 1];
        if (
          env.promotable &&
          previous &&
          (await this.rules.untestedTarget(
            pipeline,
            previous.targets,
            env.promotable.version,
            tested,
          ))
        ) {
          untested.add(env.name);
        }
      }),
    );
    return untested;
  }
}

/** What the card says of approval into an environment. */
function approvalOf(spec: ReturnType<typeof effectivePromotion>) {
  return {
    manual: spec.manual,
    ...(spec.separateApprover ? { separateApprover: true } : {}),
  };
}

/** The deployments of a pipeline's app on its targets, newest first. */
function ofPipeline(
  pipeline: Pipeline,
  deployments: TargetDeployment[],
): TargetDeployment[] {
  const targets = pipeline.environments.flatMap(e => e.targets);
  return deployments
    .filter(
      d =>
        d.kind === pipeline.appRef.kind &&
        d.name === pipeline.appRef.name &&
        onAnyTarget(targets, d),
    )
    .sort(newestFirst);
}
