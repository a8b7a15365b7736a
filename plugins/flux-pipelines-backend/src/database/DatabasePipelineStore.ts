import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DatabaseAppLabelStore } from './DatabaseAppLabelStore';
import { DatabaseRevisionStore } from './DatabaseRevisionStore';
import { FluxObjectRef } from './ObservationStore';
import { PipelineStore, ReplacePipelinesResult } from './PipelineStore';
import { PIPELINES_KEY } from './RevisionStore';

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
    options: { origin?: string; outranks?: string[] } = {},
  ): Promise<ReplacePipelinesResult> {
    if (source === 'cluster' && !options.origin) {
      throw new Error('Cluster pipelines are replaced per origin cluster');
    }
    const now = new Date();
    const origin = source === 'cluster' ? options.origin! : null;
    return this.changing(async tx => {
      const result: ReplacePipelinesResult = { shadowed: [], conflicts: [] };
      const keep = pipelines.map(p => [p.namespace, p.name]);
      const stale = tx<PipelineRow>('pipelines').where({ source });
      if (origin) stale.where({ origin_cluster: origin });
      if (keep.length) {
        stale.whereNot(q => q.whereIn(['namespace', 'name'], keep));
      }
      await stale.delete();
      if (!pipelines.length) return result;
      const upsert = tx<PipelineRow>('pipelines')
        .insert(pipelines.map(p => toRow(p, now, origin)))
        .onConflict(['namespace', 'name'])
        .merge(['source', 'spec', 'updated_at', 'origin_cluster']);
      if (!origin) {
        await upsert; // configuration wins over every cluster
        return result;
      }
      // The conflict clause decides per row, atomically: configuration wins,
      // even over a concurrent writer, and one cluster replaces only its own
      // pipelines and those of the clusters it outranks.
      await upsert
        .where('pipelines.source', '<>', 'config')
        .whereIn('pipelines.origin_cluster', [
          origin,
          ...(options.outranks ?? []),
        ]);
      const owners = await tx<PipelineRow>('pipelines')
        .whereIn(['namespace', 'name'], keep)
        .whereNot(q => q.where({ source: 'cluster', origin_cluster: origin }));
      const byKey = new Map(
        pipelines.map(p => [`${p.namespace}/${p.name}`, p]),
      );
      for (const row of owners) {
        const pipeline = byKey.get(`${row.namespace}/${row.name}`)!;
        if (row.source === 'config') {
          result.shadowed.push({ pipeline, shadowedBy: fromRow(row) });
        } else {
          result.conflicts.push({
            pipeline,
            ownedBy: row.origin_cluster ?? 'unknown',
          });
        }
      }
      return result;
    });
  }

  async removeUntrustedPipelines(
    trusts: (cluster: string, namespace: string) => boolean,
  ): Promise<Array<{ cluster: string; namespace: string; name: string }>> {
    return this.changing(async tx => {
      const rows = await tx<PipelineRow>('pipelines')
        .where({ source: 'cluster' })
        .select('namespace', 'name', 'origin_cluster');
      const untrusted = rows.filter(
        row =>
          !row.origin_cluster || !trusts(row.origin_cluster, row.namespace),
      );
      if (!untrusted.length) return [];
      await tx<PipelineRow>('pipelines')
        .where({ source: 'cluster' })
        .whereIn(
          ['namespace', 'name'],
          untrusted.map(row => [row.namespace, row.name]),
        )
        .delete();
      return untrusted.map(row => ({
        cluster: row.origin_cluster ?? 'unknown',
        namespace: row.namespace,
        name: row.name,
      }));
    });
  }

  /**
   * Runs `work` in a transaction that then tells this store's readers and
   * every replica's read model (see `readmodel/`) that the pipelines changed;
   * the bumps come last, holding their rows' locks only until the commit.
   */
  private changing<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async tx => {
      const result = await work(tx);
      await tx(REVISION_TABLE).where({ id: 1 }).increment('revision', 1);
      await new DatabaseRevisionStore(tx).bump([PIPELINES_KEY]);
      return result;
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
