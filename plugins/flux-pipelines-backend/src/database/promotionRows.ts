import {
  Promotion,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { toDate, toIsoString } from './timestamps';

type Timestamp = Date | string | number;

/** A row of the `promotions` table. */
export interface PromotionRow {
  id: string;
  pipeline_namespace: string;
  pipeline_name: string;
  environment: string;
  from_environment: string | null;
  version: string;
  app_version: string | null;
  previous_version: string | null;
  trigger: string;
  strategy: string;
  state: string;
  requested_by: string;
  approved_by: string | null;
  /** When `approved_by` approved it (insights' waiting time). */
  approved_at?: Timestamp | null;
  requested_at: Timestamp;
  updated_at: Timestamp;
  pull_request_url: string | null;
  commit_sha: string | null;
  error: string | null;
  /** JSON list of the gates overridden (see Promotion.overriddenGates). */
  overridden_gates: string | null;
  /** Why it was asked for (see Promotion.reason). */
  reason?: string | null;
  active_key: string | null;
  automatic_key: string | null;
}

/** The row of a promotion, without its unique keys. */
export function toRow(
  p: Promotion,
): Omit<PromotionRow, 'active_key' | 'automatic_key'> {
  return {
    id: p.id,
    pipeline_namespace: p.pipelineNamespace,
    pipeline_name: p.pipelineName,
    environment: p.environment,
    from_environment: p.fromEnvironment ?? null,
    version: p.version,
    app_version: p.appVersion ?? null,
    previous_version: p.previousVersion ?? null,
    trigger: p.trigger,
    strategy: p.strategy,
    state: p.state,
    requested_by: p.requestedBy,
    approved_by: p.approvedBy ?? null,
    requested_at: toDate(p.requestedAt),
    updated_at: toDate(p.updatedAt),
    pull_request_url: p.pullRequestUrl ?? null,
    commit_sha: p.commitSha ?? null,
    error: p.error ?? null,
    overridden_gates: p.overriddenGates?.length
      ? JSON.stringify(p.overriddenGates)
      : null,
    reason: p.reason ?? null,
  };
}

/** The promotion a row holds. */
export function fromRow(row: PromotionRow): Promotion {
  const optional = <T>(value: T | null): T | undefined => value ?? undefined;
  const promotion: Promotion = {
    id: row.id,
    pipelineNamespace: row.pipeline_namespace,
    pipelineName: row.pipeline_name,
    environment: row.environment,
    fromEnvironment: optional(row.from_environment),
    version: row.version,
    appVersion: optional(row.app_version),
    previousVersion: optional(row.previous_version),
    trigger: row.trigger as Promotion['trigger'],
    strategy: row.strategy as Promotion['strategy'],
    state: row.state as PromotionState,
    requestedBy: row.requested_by,
    approvedBy: optional(row.approved_by),
    requestedAt: toIsoString(row.requested_at),
    updatedAt: toIsoString(row.updated_at),
    pullRequestUrl: optional(row.pull_request_url),
    commitSha: optional(row.commit_sha),
    error: optional(row.error),
    overriddenGates: row.overridden_gates
      ? JSON.parse(row.overridden_gates)
      : undefined,
    reason: optional(row.reason ?? null),
  };
  return JSON.parse(JSON.stringify(promotion));
}
