import { Knex } from 'knex';
import {
  CanaryPhase,
  CanaryVerdict,
  canaryVerdict,
} from '../domain/canaryVerdict';
import { at } from '../domain/time';
import { CanaryObservation } from '../ingest/normaliseCanary';
import { CanaryQuery, CanaryStore } from './CanaryStore';

const TABLE = 'canary_phases';

interface CanaryRow {
  cluster: string;
  namespace: string;
  target: string;
  canary: string;
  spec_hash: string;
  phase: string;
  version: string;
  transition_at: string;
}

/** A {@link CanaryStore} on the plugin's database; replicas record each sighting once. */
export class DatabaseCanaryStore implements CanaryStore {
  constructor(private readonly db: Knex) {}

  async record(observations: CanaryObservation[]): Promise<void> {
    for (const o of observations) {
      const row: CanaryRow = {
        cluster: o.cluster,
        namespace: o.namespace,
        target: o.target,
        canary: o.canary,
        spec_hash: o.specHash,
        phase: o.phase,
        version: o.version,
        transition_at: o.at,
      };
      await this.db(TABLE)
        .insert(row)
        .onConflict(['cluster', 'namespace', 'canary', 'spec_hash', 'phase'])
        .ignore();
    }
  }

  async deleteOlderThan(time: Date): Promise<number> {
    const rows: Array<
      Pick<CanaryRow, 'cluster' | 'namespace' | 'canary'> & {
        id: number | string;
        spec_hash: string;
        transition_at: string;
      }
    > = await this.db(TABLE).select(
      'id',
      'cluster',
      'namespace',
      'canary',
      'spec_hash',
      'transition_at',
    );
    const revisions = new Map<
      string,
      { canary: string; ids: number[]; lastId: number; lastAt: number }
    >();
    const latestId = new Map<string, number>();
    for (const r of rows) {
      const id = Number(r.id);
      const canary = JSON.stringify([r.cluster, r.namespace, r.canary]);
      const key = JSON.stringify([canary, r.spec_hash]);
      const revision = revisions.get(key) ?? {
        canary,
        ids: [],
        lastId: id,
        lastAt: -Infinity,
      };
      revision.ids.push(id);
      revision.lastId = Math.max(revision.lastId, id);
      revision.lastAt = Math.max(revision.lastAt, at(r.transition_at));
      revisions.set(key, revision);
      latestId.set(canary, Math.max(latestId.get(canary) ?? id, id));
    }
    const expired = [...revisions.values()]
      .filter(
        r => r.lastId !== latestId.get(r.canary) && r.lastAt < time.getTime(),
      )
      .flatMap(r => r.ids);
    for (let i = 0; i < expired.length; i += 500) {
      await this.db(TABLE)
        .whereIn('id', expired.slice(i, i + 500))
        .delete();
    }
    return expired.length;
  }

  async verdict(query: CanaryQuery): Promise<CanaryVerdict> {
    const rows: CanaryRow[] = await this.db(TABLE)
      .where({
        cluster: query.cluster,
        namespace: query.namespace,
        ...(query.canary !== undefined
          ? { canary: query.canary }
          : { target: query.name }),
      })
      .orderBy('id', 'asc');
    return canaryVerdict(
      rows.map(r => ({
        canary: r.canary,
        specHash: r.spec_hash,
        phase: r.phase as CanaryPhase,
        version: r.version,
        at: r.transition_at,
      })),
      query.version,
    );
  }
}
