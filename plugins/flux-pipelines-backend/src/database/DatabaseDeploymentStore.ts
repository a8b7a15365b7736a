import { TargetDeployment } from '@internal/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DeploymentStore } from './DeploymentStore';
import { FluxObjectRef } from './ObservationStore';
import { toDate, toIsoString } from './timestamps';

const TABLE = 'deployments';
const KEY = ['cluster', 'namespace', 'kind', 'name', 'chart_version'];
const OBJECT = ['cluster', 'namespace', 'kind', 'name'];
/** Objects per query: four bound values each stays far below SQLite's limit. */
const REFS_PER_QUERY = 200;
const NEWEST_FIRST: Array<{ column: string; order: 'asc' | 'desc' }> = [
  { column: 'updated_at', order: 'desc' },
  { column: 'chart_version', order: 'desc' },
];

type Timestamp = Date | string | number;

interface DeploymentRow {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  chart_version: string;
  app_version: string | null;
  digest: string | null;
  status: string;
  message: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  duration_ms: number | string | null;
  updated_at: Timestamp;
}

/** A {@link DeploymentStore} on the plugin's database. */
export class DatabaseDeploymentStore implements DeploymentStore {
  constructor(private readonly db: Knex) {}

  async listForObject(ref: FluxObjectRef): Promise<TargetDeployment[]> {
    const rows: DeploymentRow[] = await this.db(TABLE)
      .where({
        cluster: ref.cluster,
        namespace: ref.namespace,
        kind: ref.kind,
        name: ref.name,
      })
      .orderBy(NEWEST_FIRST);
    return rows.map(fromRow);
  }

  async listForObjects(refs: FluxObjectRef[]): Promise<TargetDeployment[]> {
    const unique = [
      ...new Map(
        refs.map(r => [
          JSON.stringify([r.cluster, r.namespace, r.kind, r.name]),
          [r.cluster, r.namespace, r.kind, r.name],
        ]),
      ).values(),
    ];
    const rows: DeploymentRow[] = [];
    for (let i = 0; i < unique.length; i += REFS_PER_QUERY) {
      rows.push(
        ...(await this.db(TABLE)
          .whereIn(OBJECT, unique.slice(i, i + REFS_PER_QUERY))
          .orderBy(NEWEST_FIRST)),
      );
    }
    const deployments = rows.map(fromRow);
    if (unique.length > REFS_PER_QUERY) {
      deployments.sort(
        (a, b) =>
          Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
          (a.chartVersion < b.chartVersion ? 1 : -1),
      );
    }
    return deployments;
  }

  async save(deployments: TargetDeployment[]): Promise<void> {
    if (!deployments.length) {
      return;
    }
    await this.db(TABLE).insert(deployments.map(toRow)).onConflict(KEY).merge();
  }
}

function toRow(d: TargetDeployment): DeploymentRow {
  return {
    cluster: d.cluster,
    namespace: d.namespace,
    kind: d.kind,
    name: d.name,
    chart_version: d.chartVersion,
    app_version: d.appVersion ?? null,
    digest: d.digest ?? null,
    status: d.status,
    message: d.message ?? null,
    started_at: d.startedAt ? toDate(d.startedAt) : null,
    finished_at: d.finishedAt ? toDate(d.finishedAt) : null,
    duration_ms: d.durationMs ?? null,
    updated_at: toDate(d.updatedAt),
  };
}

function fromRow(row: DeploymentRow): TargetDeployment {
  const optional = <T>(value: T | null): T | undefined => value ?? undefined;
  return {
    cluster: row.cluster,
    namespace: row.namespace,
    kind: row.kind as TargetDeployment['kind'],
    name: row.name,
    chartVersion: row.chart_version,
    appVersion: optional(row.app_version),
    digest: optional(row.digest),
    status: row.status as TargetDeployment['status'],
    message: optional(row.message),
    startedAt:
      row.started_at === null ? undefined : toIsoString(row.started_at),
    finishedAt:
      row.finished_at === null ? undefined : toIsoString(row.finished_at),
    durationMs: row.duration_ms === null ? undefined : Number(row.duration_ms),
    updatedAt: toIsoString(row.updated_at),
  };
}
