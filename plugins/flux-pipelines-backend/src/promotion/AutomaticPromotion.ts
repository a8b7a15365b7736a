import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { deployedVersion } from '../domain/deployedVersion';
import { onTarget } from '../domain/objectKey';
import { blockingGates, nextGateChange } from '../domain/gates';
import { nextPromotable } from '../domain/promotable';
import { skippedEnvironments } from '../domain/skipped';
import { gateStates } from './gateChecks';
import { PromotionRecords } from './PromotionRecords';
import { PromotionRules } from './PromotionRules';
import { PromotionServiceOptions } from './promotionOptions';

/**
 * Automatic promotion: for every environment after the first that has a
 * strategy, automatic promotion and no hold, when the previous environment
 * recently succeeded everywhere with a version this one does not run, it
 * promotes that version (or asks for approval) — once per version, as the
 * store's automatic key guarantees. A version that skipped an earlier
 * environment (a hand commit further down) is never carried on automatically.
 * A version its gates hold back moves on once they pass; `start` returns when
 * the earliest of them changes on its own.
 */
export class AutomaticPromotion {
  private readonly now: () => Date;

  constructor(
    private readonly options: PromotionServiceOptions,
    private readonly rules: PromotionRules,
    private readonly records: PromotionRecords,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async start(pipelines: Pipeline[]): Promise<number | undefined> {
    const wakes: number[] = [];
    for (const pipeline of pipelines) {
      if (
        pipeline.environments.some(
          (env, i) => i > 0 && effectivePromotion(pipeline, env.name).strategy,
        )
      ) {
        wakes.push(...(await this.startIn(pipeline)));
      }
    }
    return wakes.length ? Math.min(...wakes) : undefined;
  }

  /** Starts what may start; returns when waiting gates change. */
  private async startIn(pipeline: Pipeline): Promise<number[]> {
    const wakes: number[] = [];
    const window = this.options.automaticWindowMs ?? 60 * 60_000;
    const now = this.now().getTime();
    const since = now - window;
    const deployments = await this.rules.deploymentsOf(pipeline);
    const holds = await this.options.store.holds(pipeline);
    const environments = pipeline.environments.map(env => ({
      name: env.name,
      perTarget: env.targets.map(t => deployments.filter(d => onTarget(t, d))),
    }));
    for (let i = 1; i < pipeline.environments.length; i++) {
      const env = pipeline.environments[i];
      const { manual, automatic, strategy } = effectivePromotion(
        pipeline,
        env.name,
      );
      if (!strategy || !automatic || holds.has(env.name)) continue;
      const candidate = nextPromotable(
        environments[i - 1].perTarget,
        env.targets.map(t => deployedVersion([t], deployments)?.chartVersion),
      );
      if (!candidate) continue;
      const gates = (at: number) =>
        gateStates({
          pipeline,
          index: i,
          version: candidate.version,
          deployments,
          now: at,
          canaries: this.options.canaries,
          objects: this.options.deployments,
        });
      const states = await gates(now);
      if (blockingGates(states).length) {
        const wake = nextGateChange(states);
        if (wake !== undefined) wakes.push(wake);
        continue;
      }
      // A version its gates held back moves on when they open, however old its success.
      const openedRecently =
        states.length > 0 && blockingGates(await gates(since)).length > 0;
      if (candidate.finishedAt < since && !openedRecently) continue;
      if (skippedEnvironments(environments, i, candidate.version).length) {
        continue;
      }
      const analysis = await this.rules
        .analyse(pipeline, env.name, candidate.version, false)
        .catch(() => undefined);
      if (!analysis) continue;
      const result = await this.records.createSuperseding(
        this.records.draft(pipeline, env.name, analysis, {
          trigger: 'automatic',
          requestedBy: 'pipeline',
          state: manual ? 'waiting-approval' : 'requested',
        }),
      );
      if (result.created) {
        this.options.logger.info(
          `Automatic promotion of ${candidate.version} to ${
            env.name
          } in pipeline ${pipeline.namespace}/${pipeline.name}${
            manual ? ' waits for approval' : ''
          }`,
          {
            pipeline: `${pipeline.namespace}/${pipeline.name}`,
            environment: env.name,
            version: candidate.version,
          },
        );
        this.records.changed(result.promotion);
      }
    }
    return wakes;
  }
}
