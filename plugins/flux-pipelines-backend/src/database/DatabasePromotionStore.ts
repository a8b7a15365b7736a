import {
  FINAL_PROMOTION_STATES,
  Promotion,
  PromotionHold,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toDate, toIsoString } from './timestamps';
import { DatabaseRevisionStore } from './DatabaseRevisionStore';
import { promotionsKey } from './RevisionStore';
import { PromotionRow, fromRow, toRow } from './promotionRows';
import {
  NewPromotion,
  PipelineRef,
  PromotionChange,
  PromotionStore,
} from './PromotionStore';

const TABLE = 'promotions';
const HOLDS = 'promotion_holds';

/**
 * Promotion records and rollback holds on the plugin's database. The unique
 * keys of the `promotions` table make "one running promotion per environment"
 * and "one automatic promotion per version and environment" hold across
 * concurrent requests and replicas.
 */
export class DatabasePromotionStore implements PromotionStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates a promotion unless the environment already has a running one (or,
   * for an automatic promotion, unless this version was promoted
   * automatically before). Returns the promotion that holds the slot and
   * whether it was created by this call.
   */
  async create(
    input: NewPromotion,
  ): Promise<{ promotion: Promotion; created: boolean }> {
    const time = this.now();
    const row: PromotionRow = {
      ...toRow({
        ...input,
        id: randomUUID(),
        requestedAt: time.toISOString(),
        updatedAt: time.toISOString(),
      }),
      active_key: isFinal(input.state) ? null : activeKey(input),
      automatic_key:
        input.onceKey ??
        (input.trigger === 'automatic' ? automaticKey(input) : null),
    };
    // The slot's holder can finish between a refused insert and the read of
    // it; then the slot is free and the insert is tried again.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.transaction(async tx => {
          await tx(TABLE).insert(row);
          await bumpPipeline(tx, input);
        });
        return { promotion: fromRow(row), created: true };
      } catch (error) {
        const existing = await this.db<PromotionRow>(TABLE)
          .where('active_key', activeKey(input))
          .orWhere(builder =>
            row.automatic_key
              ? builder.where('automatic_key', row.automatic_key)
              : builder.whereRaw('1 = 0'),
          )
          .first();
        if (existing) return { promotion: fromRow(existing), created: false };
        if (attempt >= 2) throw error;
      }
    }
  }

  async get(id: string): Promise<Promotion | undefined> {
    const row = await this.db<PromotionRow>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Changes a promotion if it is in one of the `from` states (compare and
   * set, so two replicas cannot both move it on). Returns the changed
   * promotion, or undefined when it was not in those states.
   */
  async update(
    id: string,
    from: readonly PromotionState[],
    change: PromotionChange,
  ): Promise<Promotion | undefined> {
    const patch: Partial<PromotionRow> = {
      updated_at: this.now(),
      ...(change.state ? { state: change.state } : {}),
      ...(change.approvedBy !== undefined
        ? { approved_by: change.approvedBy, approved_at: this.now() }
        : {}),
      ...(change.pullRequestUrl !== undefined
        ? { pull_request_url: change.pullRequestUrl }
        : {}),
      ...(change.commitSha !== undefined
        ? { commit_sha: change.commitSha }
        : {}),
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(change.overriddenGates?.length
        ? { overridden_gates: JSON.stringify(change.overriddenGates) }
        : {}),
      ...(change.state && isFinal(change.state) ? { active_key: null } : {}),
    };
    return this.db.transaction(async tx => {
      const count = await tx(TABLE)
        .where({ id })
        .whereIn('state', from as PromotionState[])
        .update(patch);
      const row = count
        ? await tx<PromotionRow>(TABLE).where({ id }).first()
        : undefined;
      if (!row) return undefined;
      const promotion = fromRow(row);
      await bumpPipeline(tx, promotion);
      return promotion;
    });
  }

  /** Promotions of a pipeline, newest first. */
  async list(
    pipeline: PipelineRef,
    options: { environment?: string; version?: string; limit?: number } = {},
  ): Promise<Promotion[]> {
    let query = this.db<PromotionRow>(TABLE).where({
      pipeline_namespace: pipeline.namespace,
      pipeline_name: pipeline.name,
    });
    if (options.environment) {
      query = query.where('environment', options.environment);
    }
    if (options.version) {
      query = query.where('version', options.version);
    }
    const rows = await query
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 100);
    return rows.map(fromRow);
  }

  /** Every promotion that is not final yet, oldest first (work to follow up). */
  async listActive(): Promise<Promotion[]> {
    const rows = await this.db<PromotionRow>(TABLE)
      .whereNotIn('state', FINAL_PROMOTION_STATES as PromotionState[])
      .orderBy('requested_at', 'asc');
    return rows.map(fromRow);
  }

  async setHold(
    pipeline: PipelineRef,
    environment: string,
    hold: PromotionHold,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(HOLDS)
        .insert({
          pipeline_namespace: pipeline.namespace,
          pipeline_name: pipeline.name,
          environment,
          version: hold.version,
          held_by: hold.heldBy,
          held_at: toDate(hold.heldAt),
        })
        .onConflict(['pipeline_namespace', 'pipeline_name', 'environment'])
        .merge();
      await bumpPipeline(tx, pipeline);
    });
  }

  /** Returns whether there was a hold to release. */
  async releaseHold(
    pipeline: PipelineRef,
    environment: string,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const count = await tx(HOLDS)
        .where({
          pipeline_namespace: pipeline.namespace,
          pipeline_name: pipeline.name,
          environment,
        })
        .delete();
      if (count) await bumpPipeline(tx, pipeline);
      return count > 0;
    });
  }

  /** The holds of a pipeline, by environment. */
  async holds(pipeline: PipelineRef): Promise<Map<string, PromotionHold>> {
    const rows = await this.db(HOLDS).where({
      pipeline_namespace: pipeline.namespace,
      pipeline_name: pipeline.name,
    });
    return new Map(
      rows.map((r: any) => [
        r.environment as string,
        {
          version: r.version,
          heldBy: r.held_by,
          heldAt: toIsoString(r.held_at),
        },
      ]),
    );
  }
}

/** Tells the replicas' read models, in the write's transaction, that the pipeline's promotions changed. */
function bumpPipeline(
  tx: Knex.Transaction,
  p: PipelineRef | { pipelineNamespace: string; pipelineName: string },
) {
  const pipeline =
    'pipelineName' in p
      ? { namespace: p.pipelineNamespace, name: p.pipelineName }
      : p;
  return new DatabaseRevisionStore(tx).bump([promotionsKey(pipeline)]);
}

function isFinal(state: PromotionState): boolean {
  return FINAL_PROMOTION_STATES.includes(state);
}

function activeKey(p: {
  pipelineNamespace: string;
  pipelineName: string;
  environment: string;
}): string {
  return JSON.stringify([p.pipelineNamespace, p.pipelineName, p.environment]);
}

function automaticKey(p: NewPromotion): string {
  return JSON.stringify([
    p.pipelineNamespace,
    p.pipelineName,
    p.environment,
    p.version,
  ]);
}
