import { Pipeline } from '@internal/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DatabaseAppLabelStore } from './DatabaseAppLabelStore';
import { FluxObjectRef } from './ObservationStore';
import { PipelineStore, ReplacePipelinesResult } from './PipelineStore';

const REVISION_TABLE = 'pipelines_revision';

interface PipelineRow {
  namespace: string;
  name: string;
  source: string;
  spec: string;
  updated_at: Date | string;
  origin_cluster?: string | null;
}

/** A {@link PipelineStore} on the Backstage database service (SQLite or PostgreSQL). */
export class DatabasePipelineStore implements PipelineStore {
  private readonly labels: DatabaseAppLabelStore;
  /** The pipelines as last read, and the revision they were read at. */
  private listed?: { revision: string; pipelines: Promise<Pipeline[]> };

  /** @param db - a client on which migrateDatabase has run */
  constructor(private readonly db: Knex) {
    this.labels = new DatabaseAppLabelStore(db);
  }

  async replacePipelines(
    source: Pipeline['source'],
    pipelines: Pipeline[],
    options: { origin?: string } = {},
  ): Promise<ReplacePipelinesResult> {
    const now = new Date();
    const origin = source === 'cluster' ? options.origin ?? null : null;
    return this.db.transaction(async tx => {
      const shadowed: ReplacePipelinesResult['shadowed'] = [];
      let stored = pipelines;
      if (source === 'cluster' && pipelines.length) {
        const configured = new Map(
          (
            await tx<PipelineRow>('pipelines')
              .where({ source: 'config' })
              .whereIn(
                ['namespace', 'name'],
                pipelines.map(p => [p.namespace, p.name]),
              )
          ).map(row => [`${row.namespace}/${row.name}`, fromRow(row)]),
        );
        stored = pipelines.filter(p => {
          const shadowedBy = configured.get(`${p.namespace}/${p.name}`);
          if (shadowedBy) shadowed.push({ pipeline: p, shadowedBy });
          return !shadowedBy;
        });
      }
      const keep = stored.map(p => [p.namespace, p.name]);
      const stale = tx<PipelineRow>('pipelines').where({ source });
      if (source === 'cluster' && options.origin !== undefined) {
        stale.where({ origin_cluster: options.origin });
      }
      if (keep.length) {
        stale.whereNot(q => q.whereIn(['namespace', 'name'], keep));
      }
      await stale.delete();
      await tx(REVISION_TABLE).where({ id: 1 }).increment('revision', 1);
      if (stored.length) {
        const upsert = tx<PipelineRow>('pipelines')
          .insert(stored.map(p => toRow(p, now, origin)))
          .onConflict(['namespace', 'name'])
          .merge(['source', 'spec', 'updated_at', 'origin_cluster']);
        // Configuration wins, even over a concurrent writer.
        await (source === 'cluster'
          ? upsert.where('pipelines.source', '<>', 'config')
          : upsert);
      }
      return { shadowed };
    });
  }

  /**
   * Every pipeline. They are read again only when the table's revision has
   * changed since the last read (by any replica), so a page asking for them
   * costs one tiny query. The objects returned are shared: do not modify
   * them.
   */
  async listPipelines(): Promise<Pipeline[]> {
    const row = await this.db(REVISION_TABLE).where({ id: 1 }).first();
    const revision = String(row?.revision ?? 'none');
    if (this.listed?.revision !== revision) {
      const pipelines = this.db<PipelineRow>('pipelines')
        .orderBy(['namespace', 'name'])
        .then(rows => rows.map(fromRow));
      this.listed = { revision, pipelines };
      pipelines.catch(() => {
        if (this.listed?.pipelines === pipelines) this.listed = undefined;
      });
    }
    return [...(await this.listed.pipelines)];
  }

  async getPipeline(
    namespace: string,
    name: string,
  ): Promise<Pipeline | undefined> {
    const row = await this.db<PipelineRow>('pipelines')
      .where({ namespace, name })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async originCluster(
    namespace: string,
    name: string,
  ): Promise<string | undefined> {
    const row = await this.db<PipelineRow>('pipelines')
      .where({ namespace, name, source: 'cluster' })
      .first('origin_cluster');
    return row?.origin_cluster ?? undefined;
  }

  async findAppsByLabel(
    label: string,
    value: string,
  ): Promise<FluxObjectRef[]> {
    return this.labels.findByLabel(label, value);
  }
}

function toRow(
  pipeline: Pipeline,
  now: Date,
  origin: string | null,
): PipelineRow {
  return {
    namespace: pipeline.namespace,
    name: pipeline.name,
    source: pipeline.source,
    spec: JSON.stringify({
      appRef: pipeline.appRef,
      environments: pipeline.environments,
      ...(pipeline.promotion ? { promotion: pipeline.promotion } : {}),
    }),
    updated_at: now,
    origin_cluster: origin,
  };
}

function fromRow(row: PipelineRow): Pipeline {
  const spec = JSON.parse(row.spec);
  return {
    namespace: row.namespace,
    name: row.name,
    source: row.source as Pipeline['source'],
    appRef: spec.appRef,
    environments: spec.environments,
    ...(spec.promotion ? { promotion: spec.promotion } : {}),
  };
}
