import {
  Pipeline,
  Promotion,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { isCurrentPromotion } from '../domain/currentPromotion';
import { deployedVersion, runsEverywhere } from '../domain/deployedVersion';
import { failedSincePromotion } from '../domain/promotionFailure';
import { at } from '../domain/time';
import { AutomaticPromotion } from './AutomaticPromotion';
import { AutomaticRollback } from './AutomaticRollback';
import { GateAlarm } from './GateAlarm';
import { PromotionRecords } from './PromotionRecords';
import { PromotionRules } from './PromotionRules';
import { carryOut } from './carryOut';
import { PromotionServiceOptions } from './promotionOptions';
import { strategyContext } from './strategyContext';

/** States in which the change was made and the deployment is awaited. */
const AWAITING_DEPLOYMENT: PromotionState[] = [
  'committed',
  'notified',
  'merged',
];

/**
 * The follow-up loop: runs requested promotions, follows pull requests,
 * notices deployments, and starts automatic promotions. Safe to run often
 * and from several replicas (every change is a compare and set on the
 * promotion's state).
 */
export class PromotionFollowUp {
  private processing?: Promise<void>;
  private processAgain = false;
  /** Automatic rollback looks on the next pass: deployments changed, a promotion is under way, or at start. */
  private rollbackDue = true;
  private readonly now: () => Date;

  constructor(
    private readonly options: PromotionServiceOptions,
    private readonly rules: PromotionRules,
    private readonly records: PromotionRecords,
    private readonly automatic: AutomaticPromotion,
    private readonly rollback: AutomaticRollback,
    private readonly alarm?: GateAlarm,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Moves every promotion on that can move; one pass at a time, again if asked meanwhile. */
  process(): Promise<void> {
    if (this.processing) {
      this.processAgain = true;
      return this.processing;
    }
    this.processing = (async () => {
      do {
        this.processAgain = false;
        try {
          await this.processOnce();
        } catch (error) {
          this.options.logger.error(
            'Failed to process promotions',
            error as Error,
          );
        }
      } while (this.processAgain);
    })().finally(() => {
      this.processing = undefined;
    });
    return this.processing;
  }

  /** Deployments or canary phases changed: a pass soon, automatic rollback included. */
  deploymentsChanged(): void {
    this.rollbackDue = true;
    this.kick();
  }

  /** Starts processing soon, without waiting for it. */
  kick(): void {
    setImmediate(() => {
      this.process();
    });
  }

  private async processOnce(): Promise<void> {
    const pipelines = await this.options.listPipelines();
    const byRef = new Map(pipelines.map(p => [`${p.namespace}/${p.name}`, p]));
    const wake = await this.automatic.start(pipelines);
    this.alarm?.arm(wake);
    for (const promotion of await this.options.store.listActive()) {
      const pipeline = byRef.get(
        `${promotion.pipelineNamespace}/${promotion.pipelineName}`,
      );
      if (!pipeline) continue;
      try {
        await this.advance(pipeline, promotion);
      } catch (error) {
        this.options.logger.error(
          `Failed to follow up the promotion of ${promotion.version} to ${promotion.environment} in pipeline ${pipeline.namespace}/${pipeline.name}`,
          error as Error,
        );
      }
    }
    // After the follow-up, which tells a failed promotion; not on every pass.
    if (this.rollbackDue) {
      this.rollbackDue = false; // a change from now on asks again
      const { again, started } = await this.rollback
        .start(pipelines)
        .catch(error => {
          this.rollbackDue = true;
          throw error;
        });
      if (again) this.rollbackDue = true;
      // Carry the rollback out now, not at the next change or scheduled pass.
      if (started) this.processAgain = true;
    }
  }

  private async advance(pipeline: Pipeline, promotion: Promotion) {
    const spec = effectivePromotion(pipeline, promotion.environment).strategy;
    switch (promotion.state) {
      case 'requested':
        // Approved (or asked for) before the environment moved past it: never run it.
        if (await this.supersedeIfPassed(pipeline, promotion)) return;
        await carryOut(this.options, this.records, {
          pipeline,
          promotion,
          spec,
        });
        return;
      case 'waiting-approval':
        await this.supersedeIfPassed(pipeline, promotion);
        return;
      case 'in-progress':
        if (
          at(promotion.updatedAt) <
          this.now().getTime() - (this.options.staleAfterMs ?? 10 * 60_000)
        ) {
          // Its replica died while carrying it out; strategies are idempotent.
          await this.records.move(promotion, ['in-progress'], {
            state: 'requested',
          });
        }
        return;
      case 'pr-open': {
        if (!spec) return;
        const strategy = this.options.strategyFor(spec);
        if (!strategy.follow || !promotion.pullRequestUrl) return;
        const state = await strategy.follow(
          await strategyContext(this.options, pipeline, promotion, spec),
          promotion.pullRequestUrl,
        );
        if (state === 'merged') {
          await this.records.move(promotion, ['pr-open'], { state: 'merged' });
        } else if (state === 'closed') {
          await this.records.move(promotion, ['pr-open'], {
            state: 'failed',
            error: 'The pull request was closed without merging',
          });
        }
        return;
      }
      default:
        if (AWAITING_DEPLOYMENT.includes(promotion.state)) {
          await this.checkDeployment(pipeline, promotion);
        }
    }
  }

  /**
   * A promotion not started yet (waiting for approval, or requested) whose
   * environment meanwhile runs its version, or a newer one (a hand commit),
   * is superseded: carrying it out would change nothing, or go back.
   * Returns whether it was.
   */
  private async supersedeIfPassed(
    pipeline: Pipeline,
    promotion: Promotion,
  ): Promise<boolean> {
    const env = pipeline.environments.find(
      e => e.name === promotion.environment,
    );
    if (!env) return false;
    const deployments = await this.rules.deploymentsOf(pipeline, {
      workingSet: true,
    });
    const running = deployedVersion(env.targets, deployments)?.chartVersion;
    if (isCurrentPromotion(promotion, running)) return false;
    const superseded = await this.records.move(promotion, [promotion.state], {
      state: 'superseded',
    });
    if (superseded) {
      this.options.logger.info(
        `Superseded the ${promotion.state} promotion of ${promotion.version} to ${promotion.environment}: it runs ${running} now`,
        { promotionId: promotion.id },
      );
    }
    return true;
  }

  /** Deployed once every target runs the version; failed when it failed there. */
  private async checkDeployment(pipeline: Pipeline, promotion: Promotion) {
    const env = pipeline.environments.find(
      e => e.name === promotion.environment,
    );
    if (!env) return;
    const deployments = await this.rules.deploymentsOf(pipeline);
    if (runsEverywhere(env.targets, deployments, promotion.version)) {
      await this.records.move(promotion, [promotion.state], {
        state: 'deployed',
      });
      return;
    }
    const failed = failedSincePromotion(env.targets, deployments, promotion);
    if (failed) {
      await this.records.move(promotion, [promotion.state], {
        state: 'failed',
        error: `${promotion.version} ${failed.status} on ${failed.cluster}/${
          failed.namespace
        }: ${failed.message ?? ''}`.trim(),
      });
    }
  }
}
