import { Knex } from 'knex';
import {
  CanaryPhase,
  CanaryVerdict,
  canaryVerdict,
} from '../domain/canaryVerdict';
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
