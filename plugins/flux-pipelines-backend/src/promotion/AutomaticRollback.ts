import {
  Pipeline,
  PipelineEnvironment,
  Promotion,
  PromotionState,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { deployedVersion } from '../domain/deployedVersion';
import { healthFailureInSoak } from '../domain/healthFailureInSoak';
import { onTarget } from '../domain/objectKey';
import { failedSincePromotion, stillFailing } from '../domain/promotionFailure';
import { rollbackCandidates } from '../domain/rollbackCandidates';
import { gatherListedObjects } from './gatherListedObjects';
import { PromotionRecords } from './PromotionRecords';
import { PromotionRules } from './PromotionRules';
import { PromotionServiceOptions } from './promotionOptions';

/** States in which the follow-up concluded on a promotion's deployment. */
const CONCLUDED: PromotionState[] = ['deployed', 'failed'];

/**
 * Automatic rollback, for environments whose promotion settings have
 * `rollback: { automatic: true }`: when the version of the environment's
 * latest promotion (manual or automatic, never a rollback, never a hand
 * commit) failed there since (failed release, Helm rollback; a failed
 * canary only with `rollback.onCanaryFailure`, and only a canary following
 * the release in the target's own namespace, since anyone who may create a
 * Canary there can make one fail; or an object listed by the health gate
 * of the next environment, which judges this one's targets, failed within
 * that gate's soak: see `healthFailureInSoak`) and the environment still
 * stands there, the previous known-good version is promoted back with the environment's strategy, automatic
 * promotion into it is held, and the promotion says why. Once per failed
 * promotion across replicas (the store's once-key).
 */
export class AutomaticRollback {
  private readonly now: () => Date;

  constructor(
    private readonly options: PromotionServiceOptions,
    private readonly rules: PromotionRules,
    private readonly records: PromotionRecords,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Rolls back what failed; returns whether to look again on the next pass
   * even if no deployment changes (a promotion is still under way, or
   * looking failed), and whether it requested a rollback (for the caller
   * to carry out without waiting for another change).
   */
  async start(
    pipelines: Pipeline[],
  ): Promise<{ again: boolean; started: boolean }> {
    let again = false;
    let started = false;
    for (const pipeline of pipelines) {
      for (const env of pipeline.environments) {
        const spec = effectivePromotion(pipeline, env.name);
        if (!spec.automaticRollback || !spec.strategy) continue;
        const [last] = await this.options.store.list(pipeline, {
          environment: env.name,
          limit: 1,
        });
        if (!last || last.trigger === 'rollback') continue;
        if (!CONCLUDED.includes(last.state)) {
          again = true;
          continue;
        }
        try {
          if (await this.rollBack(pipeline, env, last)) started = true;
        } catch (error) {
          again = true;
          this.options.logger.warn(
            `Automatic rollback of ${last.version} in ${env.name} of pipeline ${
              pipeline.namespace
            }/${pipeline.name} failed: ${(error as Error).message}`,
            { promotionId: last.id },
          );
        }
      }
    }
    return { again, started };
  }

  private async rollBack(
    pipeline: Pipeline,
    env: PipelineEnvironment,
    failed: Promotion,
  ): Promise<boolean> {
    const deployments = await this.rules.deploymentsOf(pipeline);
    const cause = await this.failure(pipeline, env, failed, deployments);
    if (!cause) return false;
    const candidates = rollbackCandidates(
      pipeline,
      env.name,
      deployments,
      failed.version,
    );
    const to =
      candidates.find(c => c.version === failed.previousVersion) ??
      candidates[0];
    if (!to) return false;
    const analysis = await this.rules.analyse(pipeline, env.name, to.version, {
      failed: failed.version,
    });
    const reason = `automatic rollback: ${failed.version} failed in ${env.name} (${cause})`;
    const result = await this.records.createSuperseding({
      ...this.records.draft(pipeline, env.name, analysis, {
        trigger: 'rollback',
        requestedBy: 'pipeline',
        state: analysis.manual ? 'waiting-approval' : 'requested',
        reason,
        onceKey: JSON.stringify(['rollback-after', failed.id]),
      }),
    });
    if (!result.created) return false;
    await this.options.store.setHold(pipeline, env.name, {
      version: to.version,
      heldBy: 'pipeline',
      heldAt: this.now().toISOString(),
    });
    this.options.logger.info(
      `Rolling ${env.name} of pipeline ${pipeline.namespace}/${pipeline.name} back to ${to.version}: ${reason}`,
      {
        pipeline: `${pipeline.namespace}/${pipeline.name}`,
        environment: env.name,
        version: to.version,
        promotionId: result.promotion.id,
      },
    );
    this.records.changed(result.promotion);
    return true;
  }

  /** Why the promoted version failed in the environment, while it still stands there; none if it did not. */
  private async failure(
    pipeline: Pipeline,
    env: PipelineEnvironment,
    promotion: Promotion,
    deployments: TargetDeployment[],
  ): Promise<string | undefined> {
    const failed = failedSincePromotion(env.targets, deployments, promotion);
    if (failed) {
      if (!stillFailing(deployments, failed)) return undefined;
      return `${
        failed.status === 'rolled-back'
          ? 'Helm rolled it back'
          : 'release failed'
      } on ${failed.cluster}/${failed.namespace}`;
    }
    return (
      (await this.canaryFailure(pipeline, env, promotion, deployments)) ??
      (await this.healthFailure(pipeline, env, promotion, deployments))
    );
  }

  /** A failed canary following the release on a target, with `rollback.onCanaryFailure`. */
  private async canaryFailure(
    pipeline: Pipeline,
    env: PipelineEnvironment,
    promotion: Promotion,
    deployments: TargetDeployment[],
  ): Promise<string | undefined> {
    const store = this.options.canaries;
    if (
      !store ||
      !effectivePromotion(pipeline, env.name).rollbackOnCanaryFailure ||
      deployedVersion(env.targets, deployments)?.chartVersion !==
        promotion.version
    )
      return undefined;
    for (const t of env.targets) {
      const verdict = await store.verdict({
        cluster: t.cluster,
        namespace: t.namespace,
        name: pipeline.appRef.name,
        version: promotion.version,
      });
      if (verdict.state === 'failed')
        return `canary failed on ${t.cluster}/${t.namespace}`;
    }
    return undefined;
  }

  /**
   * An object listed by the health gate of the NEXT environment (which
   * judges this one's targets) failed within that gate's soak.
   */
  private async healthFailure(
    pipeline: Pipeline,
    env: PipelineEnvironment,
    promotion: Promotion,
    deployments: TargetDeployment[],
  ): Promise<string | undefined> {
    const index = pipeline.environments.indexOf(env) + 1;
    const gates = pipeline.environments[index]?.gates;
    if (!gates?.soak) return undefined;
    const objects = await gatherListedObjects({
      pipeline,
      index,
      version: promotion.version,
      stores: {
        deployments: this.options.deployments,
        canaries: this.options.canaries,
      },
    });
    if (!objects) return undefined;
    return healthFailureInSoak({
      version: promotion.version,
      promotedAt: promotion.requestedAt,
      environment: env.name,
      targets: env.targets.map(t => deployments.filter(d => onTarget(t, d))),
      gates,
      objects,
      onCanaryFailure: effectivePromotion(pipeline, env.name)
        .rollbackOnCanaryFailure,
      now: this.now().getTime(),
    });
  }
}
