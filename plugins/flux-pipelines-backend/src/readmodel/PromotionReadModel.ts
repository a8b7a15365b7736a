import {
  Promotion,
  PromotionHold,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  NewPromotion,
  PipelineRef,
  PromotionChange,
  PromotionStore,
} from '../database/PromotionStore';
import { RevisionStore, promotionsKey } from '../database/RevisionStore';
import { RevisionedCache, readThrough } from './RevisionedCache';

/** How many pipelines' promotion lists and holds the read model keeps. */
const MAX_ENTRIES = 10_000;

/**
 * A {@link PromotionStore} whose reads of a pipeline's promotions and holds
 * (what the pages show) are answered from memory while no replica changed
 * them since: the database store bumps the pipeline's revision in each
 * write's transaction. Everything else goes to the database.
 *
 * Memory: per pipeline and asked-for limit, its newest promotions (at most
 * the limit, 200 on the pages) and its holds.
 */
export class PromotionReadModel implements PromotionStore {
  private readonly lists = new RevisionedCache<Promise<Promotion[]>>(
    MAX_ENTRIES,
  );
  private readonly holdMaps = new RevisionedCache<
    Promise<Map<string, PromotionHold>>
  >(MAX_ENTRIES);

  constructor(
    private readonly options: {
      promotions: PromotionStore;
      revisions: RevisionStore;
    },
  ) {}

  create(input: NewPromotion) {
    return this.options.promotions.create(input);
  }

  get(id: string) {
    return this.options.promotions.get(id);
  }

  update(id: string, from: readonly PromotionState[], change: PromotionChange) {
    return this.options.promotions.update(id, from, change);
  }

  listActive() {
    return this.options.promotions.listActive();
  }

  setHold(pipeline: PipelineRef, environment: string, hold: PromotionHold) {
    return this.options.promotions.setHold(pipeline, environment, hold);
  }

  releaseHold(pipeline: PipelineRef, environment: string) {
    return this.options.promotions.releaseHold(pipeline, environment);
  }

  async list(
    pipeline: PipelineRef,
    options?: { environment?: string; version?: string; limit?: number },
  ): Promise<Promotion[]> {
    const ref = { namespace: pipeline.namespace, name: pipeline.name };
    const found = await readThrough({
      cache: this.lists,
      key: JSON.stringify([ref, options ?? {}]),
      revisionKey: promotionsKey(ref),
      revisions: this.options.revisions,
      read: () => this.options.promotions.list(ref, options),
    });
    return found.map(p => ({ ...p }));
  }

  async holds(pipeline: PipelineRef): Promise<Map<string, PromotionHold>> {
    const ref = { namespace: pipeline.namespace, name: pipeline.name };
    const found = await readThrough({
      cache: this.holdMaps,
      key: JSON.stringify(ref),
      revisionKey: promotionsKey(ref),
      revisions: this.options.revisions,
      read: () => this.options.promotions.holds(ref),
    });
    return new Map([...found].map(([env, hold]) => [env, { ...hold }]));
  }
}
