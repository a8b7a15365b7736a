import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { toDate, toIsoString } from './timestamps';

type Timestamp = Date | string | number;

/** A row of the `deployments` table. */
export interface DeploymentRow {
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
  unconfirmed: boolean | number;
  source_revision: string | null;
}

/** The columns of a row, with their PostgreSQL types. */
export const COLUMNS: Array<[keyof DeploymentRow, string]> = [
  ['cluster', 'text'],
  ['namespace', 'text'],
  ['kind', 'text'],
  ['name', 'text'],
  ['chart_version', 'text'],
  ['app_version', 'text'],
  ['digest', 'text'],
  ['status', 'text'],
  ['message', 'text'],
  ['started_at', 'timestamptz'],
  ['finished_at', 'timestamptz'],
  ['duration_ms', 'bigint'],
  ['updated_at', 'timestamptz'],
  ['unconfirmed', 'boolean'],
  ['source_revision', 'text'],
];

/** The row that stores a deployment. */
export function toRow(d: TargetDeployment): DeploymentRow {
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
    unconfirmed: d.unconfirmed === true,
    source_revision: d.sourceRevision ?? null,
  };
}

/** The deployment a row stores. */
export function fromRow(row: DeploymentRow): TargetDeployment {
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
    // SQLite answers 0/1
    ...(row.unconfirmed ? { unconfirmed: true } : {}),
    ...(row.source_revision ? { sourceRevision: row.source_revision } : {}),
  };
}
