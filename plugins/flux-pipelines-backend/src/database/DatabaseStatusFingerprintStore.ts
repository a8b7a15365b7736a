import { Knex } from 'knex';
import { isPostgres } from './dialect';
import { jsonRowsParameter, selectJsonRows } from './jsonRecordset';
import { FluxObjectRef } from './ObservationStore';
import {
  StatusFingerprint,
  StatusFingerprintStore,
} from './StatusFingerprintStore';

const TABLE = 'status_fingerprints';
const KEY = ['cluster', 'kind', 'namespace', 'name'];
const COLUMNS = [...KEY, 'fingerprint'].map(name => [name, 'text'] as const);
/**
 * Rows per statement: knex writes SQLite's multi-row insert as a compound
 * SELECT (at most 500 terms), five bound values a row.
 */
const ROWS_PER_QUERY = 400;

interface FingerprintRow {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  fingerprint: string;
}

/** A {@link StatusFingerprintStore} on the plugin's database. */
export class DatabaseStatusFingerprintStore implements StatusFingerprintStore {
  private readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    this.postgres = isPostgres(db);
  }

  async readKind(
    cluster: string,
    kind: FluxObjectRef['kind'],
  ): Promise<Map<string, string>> {
    const rows: FingerprintRow[] = await this.db<FingerprintRow>(TABLE)
      .where({ cluster, kind })
      .select('namespace', 'name', 'fingerprint');
    return new Map(rows.map(r => [`${r.namespace}/${r.name}`, r.fingerprint]));
  }

  async save(fingerprints: StatusFingerprint[]): Promise<void> {
    const rows = fingerprints.map(({ ref, fingerprint }) => ({
      cluster: ref.cluster,
      namespace: ref.namespace,
      kind: ref.kind,
      name: ref.name,
      fingerprint,
    }));
    if (this.postgres && rows.length) {
      // One statement, all rows as one JSON parameter.
      await this.db.raw(
        `INSERT INTO ${TABLE} (${KEY.join(', ')}, fingerprint) ${selectJsonRows(
          COLUMNS,
        )} ON CONFLICT (${KEY.join(', ')})
         DO UPDATE SET fingerprint = EXCLUDED.fingerprint`,
        [jsonRowsParameter(rows)],
      );
      return;
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_QUERY) {
      await this.db(TABLE)
        .insert(rows.slice(i, i + ROWS_PER_QUERY))
        .onConflict(KEY)
        .merge(['fingerprint']);
    }
  }

  async forget(refs: FluxObjectRef[]): Promise<void> {
    for (let i = 0; i < refs.length; i += ROWS_PER_QUERY) {
      await this.db(TABLE)
        .whereIn(
          KEY,
          refs
            .slice(i, i + ROWS_PER_QUERY)
            .map(r => [r.cluster, r.kind, r.namespace, r.name]),
        )
        .delete();
    }
  }
}
