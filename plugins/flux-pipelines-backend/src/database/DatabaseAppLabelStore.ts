import { Knex } from 'knex';
import { AppLabelStore, AppLabels } from './AppLabelStore';
import { DatabaseRevisionStore } from './DatabaseRevisionStore';
import { LABELS_KEY } from './RevisionStore';
import { FluxObjectRef } from './ObservationStore';

const TABLE = 'app_labels';
/** Rows per insert: six bound values each stays far below SQLite's limit. */
const ROWS_PER_INSERT = 150;
/** Longest label key and value Kubernetes allows. */
const MAX_KEY = 317;
const MAX_VALUE = 63;

interface LabelRow {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  label: string;
  value: string;
}

/** An {@link AppLabelStore} on the plugin's database, one row per label. */
export class DatabaseAppLabelStore implements AppLabelStore {
  constructor(private readonly db: Knex) {}

  async setLabels(
    ref: FluxObjectRef,
    labels: Record<string, string>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx<LabelRow>(TABLE).where(objectOf(ref)).delete();
      await insertRows(tx, toRows(ref, labels));
      await new DatabaseRevisionStore(tx).bump([LABELS_KEY]);
    });
  }

  async replaceKind(
    cluster: string,
    kind: FluxObjectRef['kind'],
    apps: AppLabels[],
  ): Promise<void> {
    const rows = apps.flatMap(app => toRows(app.ref, app.labels));
    await this.db.transaction(async tx => {
      // A relist that finds the labels stored (a restart) writes nothing and
      // bumps no revision: ten clusters' relists queued on that row.
      const stored: LabelRow[] = await tx<LabelRow>(TABLE).where({
        cluster,
        kind,
      });
      if (sameRows(stored, rows)) return;
      await tx<LabelRow>(TABLE).where({ cluster, kind }).delete();
      await insertRows(tx, rows);
      await new DatabaseRevisionStore(tx).bump([LABELS_KEY]);
    });
  }

  async replaceApps(
    cluster: string,
    kind: FluxObjectRef['kind'],
    apps: AppLabels[],
  ): Promise<void> {
    if (!apps.length) return;
    const rows = apps.flatMap(app => toRows(app.ref, app.labels));
    const names = chunks(apps.map(app => nameOf(app.ref)));
    await this.db.transaction(async tx => {
      const stored: LabelRow[] = [];
      for (const chunk of names) {
        stored.push(...(await named(tx, cluster, kind, chunk)));
      }
      if (sameRows(stored, rows)) return;
      for (const chunk of names) await named(tx, cluster, kind, chunk).delete();
      await insertRows(tx, rows);
      await new DatabaseRevisionStore(tx).bump([LABELS_KEY]);
    });
  }

  async forgetUnlisted(
    cluster: string,
    kind: FluxObjectRef['kind'],
    listed: ReadonlySet<string>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const stored: Array<{ namespace: string; name: string }> =
        await tx<LabelRow>(TABLE)
          .distinct('namespace', 'name')
          .where({ cluster, kind });
      const gone = stored
        .filter(r => !listed.has(`${r.namespace}/${r.name}`))
        .map((r): [string, string] => [r.namespace, r.name]);
      if (!gone.length) return;
      for (const chunk of chunks(gone)) {
        await named(tx, cluster, kind, chunk).delete();
      }
      await new DatabaseRevisionStore(tx).bump([LABELS_KEY]);
    });
  }

  async findByLabel(label: string, value: string): Promise<FluxObjectRef[]> {
    const rows: LabelRow[] = await this.db<LabelRow>(TABLE)
      .where({ label, value })
      .orderBy(['cluster', 'namespace', 'kind', 'name']);
    return rows.map(row => ({
      cluster: row.cluster,
      namespace: row.namespace,
      kind: row.kind as FluxObjectRef['kind'],
      name: row.name,
    }));
  }

  async labelValues(refs: FluxObjectRef[], label: string): Promise<string[]> {
    if (!refs.length) return [];
    const rows: Array<{ value: string }> = await this.db<LabelRow>(TABLE)
      .distinct('value')
      .where({ label })
      .whereIn(
        ['cluster', 'namespace', 'kind', 'name'],
        refs.map(r => [r.cluster, r.namespace, r.kind, r.name]),
      )
      .orderBy('value');
    return rows.map(row => row.value);
  }
}

function objectOf(ref: FluxObjectRef) {
  return {
    cluster: ref.cluster,
    namespace: ref.namespace,
    kind: ref.kind,
    name: ref.name,
  };
}

function nameOf(ref: FluxObjectRef): [string, string] {
  return [ref.namespace, ref.name];
}

/** The label rows of these objects (namespace, name) of one cluster and kind. */
function named(
  tx: Knex.Transaction,
  cluster: string,
  kind: string,
  names: Array<[string, string]>,
) {
  return tx<LabelRow>(TABLE)
    .where({ cluster, kind })
    .whereIn(['namespace', 'name'], names);
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_INSERT) {
    out.push(items.slice(i, i + ROWS_PER_INSERT));
  }
  return out;
}

function toRows(ref: FluxObjectRef, labels: Record<string, string>) {
  return Object.entries(labels)
    .filter(
      ([key, value]) =>
        typeof value === 'string' &&
        key.length <= MAX_KEY &&
        value.length <= MAX_VALUE,
    )
    .map(([label, value]): LabelRow => ({ ...objectOf(ref), label, value }));
}

/** Whether two sets of label rows of one cluster and kind are the same. */
function sameRows(a: LabelRow[], b: LabelRow[]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: LabelRow) =>
    JSON.stringify([r.namespace, r.name, r.label, r.value]);
  const keys = new Set(a.map(key));
  return keys.size === b.length && b.every(r => keys.has(key(r)));
}

async function insertRows(tx: Knex.Transaction, rows: LabelRow[]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await tx<LabelRow>(TABLE)
      .insert(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict(['cluster', 'namespace', 'kind', 'name', 'label'])
      .merge(['value']);
  }
}
