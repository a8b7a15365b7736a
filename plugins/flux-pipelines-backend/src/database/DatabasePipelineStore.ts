import { Pipeline } from '@internal/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { PipelineStore } from './PipelineStore';

interface PipelineRow {
  namespace: string;
  name: string;
  source: string;
  spec: string;
  updated_at: Date | string;
}

/** A {@link PipelineStore} on the Backstage database service (SQLite or PostgreSQL). */
export class DatabasePipelineStore implements PipelineStore {
  /** @param db - a client on which migrateDatabase has run */
  constructor(private readonly db: Knex) {}

  async replacePipelines(
    source: Pipeline['source'],
    pipelines: Pipeline[],
  ): Promise<void> {
    const now = new Date();
    await this.db.transaction(async tx => {
      const keep = pipelines.map(p => [p.namespace, p.name]);
      const stale = tx<PipelineRow>('pipelines').where({ source });
      if (keep.length) {
        stale.whereNot(q => q.whereIn(['namespace', 'name'], keep));
      }
      await stale.delete();
      if (pipelines.length) {
        await tx<PipelineRow>('pipelines')
          .insert(pipelines.map(p => toRow(p, now)))
          .onConflict(['namespace', 'name'])
          .merge(['source', 'spec', 'updated_at']);
      }
    });
  }

  async listPipelines(): Promise<Pipeline[]> {
    const rows = await this.db<PipelineRow>('pipelines').orderBy([
      'namespace',
      'name',
    ]);
    return rows.map(fromRow);
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
}

function toRow(pipeline: Pipeline, now: Date): PipelineRow {
  return {
    namespace: pipeline.namespace,
    name: pipeline.name,
    source: pipeline.source,
    spec: JSON.stringify({
      appRef: pipeline.appRef,
      environments: pipeline.environments,
    }),
    updated_at: now,
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
  };
}
