import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  Pipeline,
  PipelineWithStatus,
  Promotion,
  PromotionPreview,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { AutomaticPromotion } from './AutomaticPromotion';
import { AutomaticRollback } from './AutomaticRollback';
import { GateAlarm, systemTimers } from './GateAlarm';
import { analyseGates } from './gateChecks';
import { PromotionDescriber } from './describePromotions';
import { PromotionFollowUp } from './PromotionFollowUp';
import { PromotionRecords } from './PromotionRecords';
import { PromotionRules, noStrategy } from './PromotionRules';
import { PromotionActor, PromotionServiceOptions } from './promotionOptions';
import { previewPromotion } from './previewPromotion';

export type { PromotionActor, PromotionServiceOptions };

/**
 * Promotions, the one entry point of the routers: the request API (request,
 * approve, release a hold, preview, list) over the rules a request is
 * checked against, the records, the follow-up loop with automatic
 * promotion, and the page's description.
 */
export class PromotionService {
  private readonly rules: PromotionRules;
  private readonly records: PromotionRecords;
  private readonly followUp: PromotionFollowUp;
  private readonly describer: PromotionDescriber;
  private readonly alarm: GateAlarm;
  private readonly now: () => Date;

  constructor(private readonly options: PromotionServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.rules = new PromotionRules(options);
    this.records = new PromotionRecords(options);
    this.alarm = new GateAlarm({
      timers: options.timers ?? systemTimers,
      now: this.now,
      onAlarm: () => this.kick(),
      logger: options.logger,
    });
    this.followUp = new PromotionFollowUp(
      options,
      this.rules,
      this.records,
      new AutomaticPromotion(options, this.rules, this.records),
      new AutomaticRollback(options, this.rules, this.records),
      this.alarm,
    );
    this.describer = new PromotionDescriber(options, this.rules);
  }

  /**
   * Adds promotion state, rollback candidates and holds to described
   * pipelines (see {@link PromotionDescriber}).
   */
  describe(
    items: PipelineWithStatus[],
    options: { deployments?: TargetDeployment[]; pipelines?: Pipeline[] } = {},
  ): Promise<PipelineWithStatus[]> {
    return this.describer.describe(items, options);
  }

  get(id: string): Promise<Promotion | undefined> {
    return this.options.store.get(id);
  }

  async list(pipeline: Pipeline, environment?: string): Promise<Promotion[]> {
    return this.options.store.list(pipeline, { environment });
  }

  /** What a promotion would change, without changing anything (see {@link previewPromotion}). */
  preview(
    pipeline: Pipeline,
    environment: string,
    version: string,
    rollback = false,
  ): Promise<PromotionPreview> {
    return previewPromotion(
      { options: this.options, rules: this.rules, records: this.records },
      { pipeline, environment, version, rollback },
    );
  }

  /**
   * Asks for a promotion by a person. Returns the promotion holding the
   * environment's slot: the new one, or the identical one already running.
   * Its gates must pass, unless `override` (the caller checked the
   * permission); the gates overridden are on the promotion.
   */
  async request(input: {
    pipeline: Pipeline;
    environment: string;
    version: string;
    rollback?: boolean;
    override?: boolean;
    actor: PromotionActor;
  }): Promise<{ promotion: Promotion; created: boolean }> {
    const { pipeline, environment, version, actor } = input;
    const rollback = input.rollback ?? false;
    const analysis = await this.rules.analyse(
      pipeline,
      environment,
      version,
      rollback,
      { override: input.override },
    );
    if (!analysis.strategy) {
      throw new ConflictError(noStrategy(pipeline, environment));
    }
    const result = await this.records.createSuperseding(
      this.records.draft(pipeline, environment, analysis, {
        trigger: rollback ? 'rollback' : 'manual',
        requestedBy: actor.ref,
        state: analysis.manual ? 'waiting-approval' : 'requested',
      }),
    );
    if (!result.created) {
      if (result.promotion.version !== version) {
        throw new ConflictError(
          `A promotion of ${result.promotion.version} to ${environment} is ${result.promotion.state}; wait for it to finish`,
        );
      }
      return result;
    }
    if (rollback) {
      await this.options.store.setHold(pipeline, environment, {
        version,
        heldBy: actor.ref,
        heldAt: this.now().toISOString(),
      });
    }
    this.records.changed(result.promotion);
    this.kick();
    return result;
  }

  /**
   * Approves a promotion that waits for approval; it then runs. Its gates
   * must pass now (a rollback has none), unless `override`.
   */
  async approve(
    pipeline: Pipeline,
    id: string,
    actor: PromotionActor,
    options: { override?: boolean } = {},
  ): Promise<Promotion> {
    const promotion = await this.options.store.get(id);
    if (
      !promotion ||
      promotion.pipelineNamespace !== pipeline.namespace ||
      promotion.pipelineName !== pipeline.name
    ) {
      throw new NotFoundError(
        `No promotion ${id} in pipeline ${pipeline.namespace}/${pipeline.name}`,
      );
    }
    if (
      promotion.requestedBy === actor.ref &&
      effectivePromotion(pipeline, promotion.environment).separateApprover
    ) {
      throw new NotAllowedError(
        `${promotion.environment} is protected (fluxPipelines.promotion.protectedEnvironments, separateApprover): the promotion of ${promotion.version} must be approved by someone other than ${actor.ref}, who asked for it`,
      );
    }
    // A rollback has no gates; one not waiting is refused just below.
    const overriddenGates =
      promotion.trigger === 'rollback' || promotion.state !== 'waiting-approval'
        ? []
        : (
            await analyseGates({
              pipeline,
              index: pipeline.environments.findIndex(
                e => e.name === promotion.environment,
              ),
              version: promotion.version,
              deployments: await this.rules.deploymentsOf(pipeline),
              now: this.now().getTime(),
              canaries: this.options.canaries,
              objects: this.options.deployments,
              // Overridden when asked for: the approver need not override again.
              mode: {
                override: options.override || !!promotion.overriddenGates,
              },
            })
          ).overriddenGates;
    const approved = await this.options.store.update(id, ['waiting-approval'], {
      state: 'requested',
      approvedBy: actor.ref,
      ...(overriddenGates.length ? { overriddenGates } : {}),
    });
    if (!approved) {
      throw new ConflictError(
        `The promotion of ${promotion.version} to ${promotion.environment} is ${promotion.state}, not waiting for approval`,
      );
    }
    this.records.changed(approved);
    this.kick();
    return approved;
  }

  async releaseHold(pipeline: Pipeline, environment: string): Promise<void> {
    if (!pipeline.environments.some(e => e.name === environment)) {
      throw new NotFoundError(
        `Pipeline ${pipeline.namespace}/${pipeline.name} has no environment ${environment}`,
      );
    }
    if (!(await this.options.store.releaseHold(pipeline, environment))) {
      throw new NotFoundError(
        `Automatic promotion into ${environment} is not held`,
      );
    }
  }

  /** Moves every promotion on that can move (see {@link PromotionFollowUp}). */
  process(): Promise<void> {
    return this.followUp.process();
  }

  /** Starts processing soon, without waiting for it. */
  kick(): void {
    this.followUp.kick();
  }

  /** Deployments or canary phases changed: processes soon, automatic rollback included. */
  deploymentsChanged(): void {
    this.followUp.deploymentsChanged();
  }

  /** Stops the gates' timer (at shutdown). */
  stop(): void {
    this.alarm.stop();
  }
}
