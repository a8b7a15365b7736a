import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  EnvironmentStatus,
  Pipeline,
  PipelineWithStatus,
  PromotableVersion,
  Promotion,
  PromotionPreview,
  PromotionState,
  PromotionStrategySpec,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { effectivePromotion } from '../config/promotionSpec';
import { nextPromotable } from '../domain/promotable';
import { isDowngrade } from '../domain/versionOrder';
import {
  DatabasePromotionStore,
  NewPromotion,
  PromotionChange,
} from '../database/DatabasePromotionStore';
import { DeploymentStore, newestFirst } from '../database/DeploymentStore';
import { ObservationStore } from '../database/ObservationStore';
import { AppLabelStore, HELM_TESTS_LABEL } from '../database/AppLabelStore';
import { hasSucceeded, isDeployedNow } from '../correlate/confirmedSuccess';
import { succeededEverywhere } from '../executions/describeEnvironment';
import {
  PromotionAuthor,
  PromotionContext,
  PromotionCredentials,
  PromotionStrategy,
} from './types';
import { at } from '../domain/time';

/** States in which the change was made and the deployment is awaited. */
const AWAITING_DEPLOYMENT: PromotionState[] = [
  'committed',
  'notified',
  'merged',
];
/** States a newer promotion into the same environment may supersede. */
const SUPERSEDABLE: PromotionState[] = [
  'requested',
  'waiting-approval',
  'pr-open',
  'committed',
  'notified',
  'merged',
];

/** Who asked, as the audit log and the records name them. */
export interface PromotionActor {
  /** The user's entity ref, or `pipeline` for automatic promotions. */
  ref: string;
}

/** Everything the service needs. */
export interface PromotionServiceOptions {
  store: DatabasePromotionStore;
  deployments: DeploymentStore;
  /**
   * The observation log: where an app runs Helm tests, a version counts as
   * succeeded only once its tests passed.
   */
  observations?: Pick<ObservationStore, 'listForObject'>;
  /** Tells which HelmReleases have `spec.test.enable` (see HELM_TESTS_LABEL). */
  appLabels?: Pick<AppLabelStore, 'findByLabel'>;
  /** Every pipeline, with configured promotion overrides applied. */
  listPipelines: () => Promise<Pipeline[]>;
  /** The strategy for a spec; throws for one that cannot be used. */
  strategyFor: (spec: PromotionStrategySpec) => PromotionStrategy;
  /**
   * Refuses (throws a NotAllowedError naming the rule) a promotion whose
   * strategy would write where app-config does not allow, before it is
   * previewed or recorded (see checkStrategyTarget).
   */
  checkTarget?: (
    pipeline: Pipeline,
    spec: PromotionStrategySpec,
    version: string,
  ) => void;
  /** Name and email for commits made on behalf of a user (or `pipeline`). */
  resolveAuthor: (ref: string) => Promise<PromotionAuthor>;
  /**
   * The credentials of a strategy's `secretRef`, read anew for every use
   * (see PipelineSecrets); throws when they cannot be read.
   */
  credentialsFor?: (
    pipeline: Pipeline,
    spec: PromotionStrategySpec,
  ) => Promise<PromotionCredentials | undefined>;
  logger: LoggerService;
  /** Told about every change of a promotion (signals, audit). */
  onChange?: (promotion: Promotion) => void;
  /** Only successes this recent trigger automatic promotion; default 1 hour. */
  automaticWindowMs?: number;
  /** An in-progress promotion this old is assumed abandoned by a crashed replica. */
  staleAfterMs?: number;
  now?: () => Date;
}

interface Analysis {
  index: number;
  /** Whether this promotion waits for approval (a rollback only where protected). */
  manual: boolean;
  strategy?: PromotionStrategySpec;
  fromEnvironment?: string;
  to: { version: string; appVersion?: string; digest?: string };
  from?: { version: string; appVersion?: string; digest?: string };
}

/**
 * Promotions: checks that a version may move on, records the promotion
 * (exactly once, by the store's unique keys), carries it out with the
 * environment's strategy, and follows it until the environment runs the
 * version. Automatic promotions and approvals go through the same records.
 */
export class PromotionService {
  private processing?: Promise<void>;
  private processAgain = false;
  private readonly now: () => Date;

  constructor(private readonly options: PromotionServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Adds promotion state, rollback candidates and holds to described
   * pipelines. `deployments`: their targets' working sets, when already read.
   */
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
    const testedApps = this.testedApps();
    testedApps.catch(() => {}); // (awaited below; rejects there)
    const pipelines = options.pipelines ?? (await this.options.listPipelines());
    return Promise.all(
      items.map(async item => {
        const pipeline = pipelines.find(
          p => p.namespace === item.namespace && p.name === item.name,
        );
        if (!pipeline) return item;
        // The recent versions are the rollback candidates a page offers.
        const [deployments, promotions, holds, tested] = await Promise.all([
          options.deployments
            ? ofPipeline(pipeline, options.deployments)
            : this.deploymentsOf(pipeline, { workingSet: true }),
          this.options.store.list(pipeline, { limit: 200 }),
          this.options.store.holds(pipeline),
          testedApps,
        ]);
        // A version whose Helm tests have not passed upstream is not promotable yet.
        const untested = new Set<string>();
        await Promise.all(
          item.environments.map(async (env, i) => {
            const previous = pipeline.environments[i - 1];
            if (
              env.promotable &&
              previous &&
              (await this.untestedTarget(
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
        const environments = item.environments.map((env): EnvironmentStatus => {
          const promotion = promotions.find(p => p.environment === env.name);
          const { promotable: _promotable, ...withoutPromotable } = env;
          const hold = holds.get(env.name);
          const candidates = rollbackCandidates(
            pipeline,
            env.name,
            deployments,
          );
          return {
            ...(untested.has(env.name) ? withoutPromotable : env),
            ...approvalOf(effectivePromotion(pipeline, env.name)),
            ...(promotion ? { promotion } : {}),
            ...(hold ? { hold } : {}),
            ...(candidates.length ? { rollbackCandidates: candidates } : {}),
          };
        });
        return { ...item, environments };
      }),
    );
  }

  async list(pipeline: Pipeline, environment?: string): Promise<Promotion[]> {
    return this.options.store.list(pipeline, { environment });
  }

  async preview(
    pipeline: Pipeline,
    environment: string,
    version: string,
    rollback = false,
  ): Promise<PromotionPreview> {
    const analysis = await this.analyse(
      pipeline,
      environment,
      version,
      rollback,
    );
    if (!analysis.strategy) {
      throw new ConflictError(noStrategy(pipeline, environment));
    }
    const draft = this.draft(pipeline, environment, analysis, {
      trigger: rollback ? 'rollback' : 'manual',
      requestedBy: 'pipeline',
      state: 'requested',
    });
    const files = await this.options
      .strategyFor(analysis.strategy)
      .preview(await this.context(pipeline, draft, analysis.strategy));
    return {
      environment,
      ...(analysis.fromEnvironment
        ? { fromEnvironment: analysis.fromEnvironment }
        : {}),
      strategy: analysis.strategy.type,
      manual: analysis.manual,
      ...(analysis.from ? { from: analysis.from } : {}),
      to: analysis.to,
      ...(files ? { files } : {}),
    };
  }

  /**
   * Asks for a promotion by a person. Returns the promotion holding the
   * environment's slot: the new one, or the identical one already running.
   */
  async request(input: {
    pipeline: Pipeline;
    environment: string;
    version: string;
    rollback?: boolean;
    actor: PromotionActor;
  }): Promise<{ promotion: Promotion; created: boolean }> {
    const { pipeline, environment, version, actor } = input;
    const rollback = input.rollback ?? false;
    const analysis = await this.analyse(
      pipeline,
      environment,
      version,
      rollback,
    );
    if (!analysis.strategy) {
      throw new ConflictError(noStrategy(pipeline, environment));
    }
    const result = await this.createSuperseding(
      this.draft(pipeline, environment, analysis, {
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
    this.changed(result.promotion);
    this.kick();
    return result;
  }

  /** Approves a promotion that waits for approval; it then runs. */
  async approve(
    pipeline: Pipeline,
    id: string,
    actor: PromotionActor,
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
    const approved = await this.options.store.update(id, ['waiting-approval'], {
      state: 'requested',
      approvedBy: actor.ref,
    });
    if (!approved) {
      throw new ConflictError(
        `The promotion of ${promotion.version} to ${promotion.environment} is ${promotion.state}, not waiting for approval`,
      );
    }
    this.changed(approved);
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

  /**
   * Moves every promotion on that can move: runs requested ones, follows
   * pull requests, notices deployments, and starts automatic promotions.
   * Safe to call often and from several replicas (every change is a compare
   * and set on the promotion's state).
   */
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

  /** Starts processing soon, without waiting for it. */
  kick(): void {
    setImmediate(() => {
      this.process();
    });
  }

  private async processOnce(): Promise<void> {
    const pipelines = await this.options.listPipelines();
    const byRef = new Map(pipelines.map(p => [`${p.namespace}/${p.name}`, p]));
    await this.startAutomatic(pipelines);
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
  }

  private async advance(pipeline: Pipeline, promotion: Promotion) {
    const spec = effectivePromotion(pipeline, promotion.environment).strategy;
    switch (promotion.state) {
      case 'requested':
        await this.run(pipeline, promotion, spec);
        return;
      case 'in-progress':
        if (
          at(promotion.updatedAt) <
          this.now().getTime() - (this.options.staleAfterMs ?? 10 * 60_000)
        ) {
          // Its replica died while carrying it out; strategies are idempotent.
          await this.move(promotion, ['in-progress'], { state: 'requested' });
        }
        return;
      case 'pr-open': {
        if (!spec) return;
        const strategy = this.options.strategyFor(spec);
        if (!strategy.follow || !promotion.pullRequestUrl) return;
        const state = await strategy.follow(
          await this.context(pipeline, promotion, spec),
          promotion.pullRequestUrl,
        );
        if (state === 'merged') {
          await this.move(promotion, ['pr-open'], { state: 'merged' });
        } else if (state === 'closed') {
          await this.move(promotion, ['pr-open'], {
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

  private async run(
    pipeline: Pipeline,
    promotion: Promotion,
    spec: PromotionStrategySpec | undefined,
  ) {
    const started = await this.move(promotion, ['requested'], {
      state: 'in-progress',
    });
    if (!started) return; // another replica took it
    if (!spec) {
      await this.move(started, ['in-progress'], {
        state: 'failed',
        error: noStrategy(pipeline, promotion.environment),
      });
      return;
    }
    try {
      const outcome = await this.options
        .strategyFor(spec)
        .promote(await this.context(pipeline, started, spec));
      await this.move(started, ['in-progress'], {
        state: outcome.state,
        ...('pullRequestUrl' in outcome
          ? { pullRequestUrl: outcome.pullRequestUrl }
          : {}),
        ...('commitSha' in outcome ? { commitSha: outcome.commitSha } : {}),
      });
    } catch (error) {
      this.options.logger.warn(
        `Promotion of ${promotion.version} to ${
          promotion.environment
        } in pipeline ${pipeline.namespace}/${pipeline.name} failed: ${
          (error as Error).message
        }`,
      );
      await this.move(started, ['in-progress'], {
        state: 'failed',
        error: (error as Error).message,
      });
    }
  }

  /** Deployed once every target runs the version; failed when it failed there. */
  private async checkDeployment(pipeline: Pipeline, promotion: Promotion) {
    const env = pipeline.environments.find(
      e => e.name === promotion.environment,
    );
    if (!env) return;
    const deployments = await this.deploymentsOf(pipeline);
    const reached = env.targets.map(t =>
      deployments.find(
        d =>
          d.cluster === t.cluster &&
          d.namespace === t.namespace &&
          d.chartVersion === promotion.version,
      ),
    );
    if (reached.every(isDeployedNow)) {
      await this.move(promotion, [promotion.state], { state: 'deployed' });
      return;
    }
    const failed = reached.find(
      d =>
        d &&
        (d.status === 'failed' || d.status === 'rolled-back') &&
        at(d.updatedAt) >= at(promotion.requestedAt) - 2000,
    );
    if (failed) {
      await this.move(promotion, [promotion.state], {
        state: 'failed',
        error: `${promotion.version} ${failed.status} on ${failed.cluster}/${
          failed.namespace
        }: ${failed.message ?? ''}`.trim(),
      });
    }
  }

  /**
   * For every environment after the first that has a strategy and no hold:
   * when the previous environment recently succeeded everywhere with a version
   * this one does not run, promote it (or wait for approval) — once per
   * version, as the store's automatic key guarantees.
   */
  private async startAutomatic(pipelines: Pipeline[]) {
    const window = this.options.automaticWindowMs ?? 60 * 60_000;
    const since = this.now().getTime() - window;
    for (const pipeline of pipelines) {
      if (
        !pipeline.environments.some(
          (_, i) =>
            i > 0 &&
            effectivePromotion(pipeline, pipeline.environments[i].name)
              .strategy,
        )
      ) {
        continue;
      }
      const deployments = await this.deploymentsOf(pipeline);
      const holds = await this.options.store.holds(pipeline);
      for (let i = 1; i < pipeline.environments.length; i++) {
        const env = pipeline.environments[i];
        const { manual, automatic, strategy } = effectivePromotion(
          pipeline,
          env.name,
        );
        if (!strategy || !automatic || holds.has(env.name)) continue;
        const candidate = nextPromotable(
          pipeline.environments[i - 1].targets.map(t =>
            deployments.filter(d => inTargets([t], d)),
          ),
          env.targets.map(t => deployedVersion([t], deployments)?.chartVersion),
        );
        if (!candidate || candidate.finishedAt < since) continue;
        const analysis = await this.analyse(
          pipeline,
          env.name,
          candidate.version,
          false,
        ).catch(() => undefined);
        if (!analysis) continue;
        const result = await this.createSuperseding(
          this.draft(pipeline, env.name, analysis, {
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
          );
          this.changed(result.promotion);
        }
      }
    }
  }

  /**
   * Creates a promotion; a different version's promotion that has not started
   * running (or already made its change) is superseded first.
   */
  private async createSuperseding(draft: NewPromotion) {
    const first = await this.options.store.create(draft);
    if (first.created || first.promotion.version === draft.version) {
      return first;
    }
    if (
      first.promotion.trigger === 'automatic' &&
      draft.trigger === 'automatic' &&
      first.promotion.state !== 'waiting-approval'
    ) {
      return first;
    }
    const superseded = await this.move(first.promotion, SUPERSEDABLE, {
      state: 'superseded',
    });
    if (!superseded) return first;
    return this.options.store.create(draft);
  }

  private draft(
    pipeline: Pipeline,
    environment: string,
    analysis: Analysis,
    rest: Pick<NewPromotion, 'trigger' | 'requestedBy' | 'state'>,
  ): Promotion & NewPromotion {
    const time = this.now().toISOString();
    return {
      id: 'draft',
      requestedAt: time,
      updatedAt: time,
      pipelineNamespace: pipeline.namespace,
      pipelineName: pipeline.name,
      environment,
      ...(analysis.fromEnvironment && rest.trigger !== 'rollback'
        ? { fromEnvironment: analysis.fromEnvironment }
        : {}),
      version: analysis.to.version,
      ...(analysis.to.appVersion ? { appVersion: analysis.to.appVersion } : {}),
      ...(analysis.from ? { previousVersion: analysis.from.version } : {}),
      strategy: analysis.strategy?.type ?? 'commit',
      ...rest,
    };
  }

  /** Checks that `version` may go to `environment`; 409 with the reason if not. */
  private async analyse(
    pipeline: Pipeline,
    environment: string,
    version: string,
    rollback: boolean,
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
      const candidates = rollbackCandidates(pipeline, environment, deployments);
      if (!candidates.some(c => c.version === version)) {
        throw new ConflictError(
          `${version} has not run successfully in ${environment} before${
            current ? ` (it runs ${current.chartVersion})` : ''
          }, so it cannot be rolled back to`,
        );
      }
      const known = deployments.find(
        d => d.chartVersion === version && inTargets(env.targets, d),
      )!;
      return { index, manual, strategy, to: info(known), from };
    }
    if (index === 0) {
      throw new ConflictError(
        `${environment} is the first environment of the pipeline; versions reach it from the GitOps repository, not by promotion`,
      );
    }
    const previous = pipeline.environments[index - 1];
    const reached = previous.targets.map(t =>
      deployments.find(
        d =>
          d.cluster === t.cluster &&
          d.namespace === t.namespace &&
          d.chartVersion === version,
      ),
    );
    if (!succeededEverywhere(reached)) {
      const details = previous.targets
        .map((t, i) => {
          const d = reached[i];
          return `${t.cluster}/${t.namespace}: ${describeEvidence(d)}`;
        })
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
    return {
      index,
      manual,
      strategy,
      fromEnvironment: previous.name,
      to: info(reached.find(d => d?.appVersion) ?? reached[0]!),
      from,
    };
  }

  /**
   * A target of the list where the app runs Helm tests (its HelmRelease
   * enables them, or a test result was seen for it) but `version` has no
   * successful test yet.
   */
  private async untestedTarget(
    pipeline: Pipeline,
    targets: Array<{ cluster: string; namespace: string }>,
    version: string,
    testedApps?: Set<string>,
  ): Promise<string | undefined> {
    const observations = this.options.observations;
    if (!observations) return undefined;
    const tested = testedApps ?? (await this.testedApps());
    const untested = await Promise.all(
      targets.map(async target => {
        const ref = {
          cluster: target.cluster,
          namespace: target.namespace,
          kind: pipeline.appRef.kind,
          name: pipeline.appRef.name,
        };
        const tests = await observations.listForObject(ref, {
          limit: 200,
          action: 'test',
        });
        const enabled = tested.has(
          JSON.stringify([ref.cluster, ref.namespace, ref.kind, ref.name]),
        );
        // Test results count as "this app runs tests" only for versions its
        // status confirms: forged test events must not block honest promotions.
        const confirmed = new Set(
          (await this.options.deployments.listForObject(ref))
            .filter(hasSucceeded)
            .map(d => d.chartVersion),
        );
        const seen = tests.some(
          o => o.chartVersion !== undefined && confirmed.has(o.chartVersion),
        );
        return (
          (enabled || seen) &&
          !tests.some(
            o => o.chartVersion === version && o.outcome === 'succeeded',
          )
        );
      }),
    );
    const first = targets.find((_, i) => untested[i]);
    return first ? `${first.cluster}/${first.namespace}` : undefined;
  }

  /** The apps whose HelmRelease enables Helm tests, as JSON [cluster, namespace, kind, name]. */
  private async testedApps(): Promise<Set<string>> {
    const refs =
      (await this.options.appLabels?.findByLabel(
        HELM_TESTS_LABEL,
        'enabled',
      )) ?? [];
    return new Set(
      refs.map(r => JSON.stringify([r.cluster, r.namespace, r.kind, r.name])),
    );
  }

  /**
   * The deployments of a pipeline's targets: every known version, or with
   * `workingSet` only each target's recent ones and the deployed one.
   */
  private async deploymentsOf(
    pipeline: Pipeline,
    options: { workingSet?: boolean } = {},
  ): Promise<TargetDeployment[]> {
    const refs = pipeline.environments.flatMap(env =>
      env.targets.map(t => ({
        cluster: t.cluster,
        namespace: t.namespace,
        kind: pipeline.appRef.kind,
        name: pipeline.appRef.name,
      })),
    );
    const { deployments } = this.options;
    if (!options.workingSet) return deployments.listForObjects(refs);
    const working = await deployments.listWorkingSet(
      refs.map(ref => ({ ref, versions: [] })),
    );
    return working.sort(newestFirst);
  }

  /** What a strategy is given; `secretRef` credentials are read each time. */
  private async context(
    pipeline: Pipeline,
    promotion: Promotion,
    spec: PromotionStrategySpec,
  ): Promise<PromotionContext> {
    const credentials = await this.options.credentialsFor?.(pipeline, spec);
    return {
      pipeline,
      promotion,
      spec,
      author: await this.options.resolveAuthor(
        promotion.approvedBy ?? promotion.requestedBy,
      ),
      ...(credentials ? { credentials } : {}),
    };
  }

  private async move(
    promotion: Promotion,
    from: readonly PromotionState[],
    change: PromotionChange,
  ): Promise<Promotion | undefined> {
    const moved = await this.options.store.update(promotion.id, from, change);
    if (moved) this.changed(moved);
    return moved;
  }

  private changed(promotion: Promotion) {
    try {
      this.options.onChange?.(promotion);
    } catch (error) {
      this.options.logger.warn(
        `Failed to publish a promotion change: ${(error as Error).message}`,
      );
    }
  }
}

/** What the card says of approval into an environment. */
function approvalOf(spec: ReturnType<typeof effectivePromotion>) {
  return {
    manual: spec.manual,
    ...(spec.separateApprover ? { separateApprover: true } : {}),
  };
}

function noStrategy(pipeline: Pipeline, environment: string) {
  return `Pipeline ${pipeline.namespace}/${pipeline.name} has no promotion strategy for ${environment}; set spec.promotion.strategy on its Pipeline or fluxPipelines.promotion in app-config`;
}

function inTargets(
  targets: Array<{ cluster: string; namespace: string }>,
  d: TargetDeployment,
) {
  return targets.some(
    t => t.cluster === d.cluster && t.namespace === d.namespace,
  );
}

/** A target's state of a version, for refusals; says when only events report it. */
function describeEvidence(d: TargetDeployment | undefined): string {
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

/** The version an environment runs: the current success on its first target that has one. */
function deployedVersion(
  targets: Array<{ cluster: string; namespace: string }>,
  deployments: TargetDeployment[],
): TargetDeployment | undefined {
  for (const t of targets) {
    const d = deployments.find(
      x =>
        x.cluster === t.cluster &&
        x.namespace === t.namespace &&
        isDeployedNow(x),
    );
    if (d) return d;
  }
  return undefined;
}

function runsEverywhere(
  targets: Array<{ cluster: string; namespace: string }>,
  deployments: TargetDeployment[],
  version: string,
) {
  return targets.every(t =>
    deployments.some(
      d =>
        d.cluster === t.cluster &&
        d.namespace === t.namespace &&
        d.chartVersion === version &&
        isDeployedNow(d),
    ),
  );
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
        inTargets(targets, d),
    )
    .sort(newestFirst);
}

/**
 * Versions that succeeded on every target of an environment before and are
 * not what it runs now, newest first: what it can be rolled back to.
 */
export function rollbackCandidates(
  pipeline: Pipeline,
  environment: string,
  deployments: TargetDeployment[],
): PromotableVersion[] {
  const env = pipeline.environments.find(e => e.name === environment);
  if (!env) return [];
  const current = deployedVersion(env.targets, deployments)?.chartVersion;
  const mine = deployments.filter(d => inTargets(env.targets, d));
  const key = (cluster: string, namespace: string, version: string) =>
    `${cluster}\u0000${namespace}\u0000${version}`;
  const byKey = new Map<string, TargetDeployment>();
  for (const d of mine) {
    const k = key(d.cluster, d.namespace, d.chartVersion);
    if (!byKey.has(k)) byKey.set(k, d);
  }
  const versions = [...new Set(mine.map(d => d.chartVersion))].filter(
    v => v !== current,
  );
  const candidates = versions.flatMap(version => {
    const reached = env.targets.map(t =>
      byKey.get(key(t.cluster, t.namespace, version)),
    );
    if (!reached.every(hasSucceeded)) return [];
    const finished = Math.max(...reached.map(d => at(d!.finishedAt)));
    const appVersion = reached.find(d => d?.appVersion)?.appVersion;
    return [{ version, ...(appVersion ? { appVersion } : {}), finished }];
  });
  return candidates
    .sort((a, b) => b.finished - a.finished)
    .map(({ finished: _finished, ...rest }) => rest);
}
