import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeploymentStatus,
  EnvironmentEventsResponse,
  ExecutionStatus,
  ExecutionsResponse,
  HealthResponse,
  InsightsResponse,
  PipelineWithStatus,
  Promotion,
  PromotionPreview,
  PromotionRequest,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/** Which pipeline: its namespace and name. */
export interface PipelineRef {
  namespace: string;
  name: string;
}

/** Paging and filter of {@link FluxPipelinesApi.getExecutions}. */
export interface ExecutionsQuery {
  limit?: number;
  offset?: number;
  status?: ExecutionStatus;
  /** Only the deployments behind an insights figure (environment, statuses, period). */
  deployments?: ExecutionDeploymentsFilter;
}

/** The deployments of an insights figure, as `GET .../executions` filters them. */
export interface ExecutionDeploymentsFilter {
  environment: string;
  statuses: DeploymentStatus[];
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
}

/** What {@link FluxPipelinesApi.getInsights} is of, and over which period. */
export interface InsightsQuery {
  /** Exactly one of entityRef, owner or system. */
  entityRef?: string;
  owner?: string;
  system?: string;
  /** Start of the period, ISO 8601. */
  from?: string;
  /** End of the period, ISO 8601 (default now). */
  to?: string;
  environment?: string;
  /** The IANA time zone the chart's days are in (default UTC). */
  tz?: string;
}

/** Reads pipelines from the flux-pipelines backend and promotes versions. */
export interface FluxPipelinesApi {
  /** The pipelines linked to a catalog entity. */
  getPipelinesForEntity(entityRef: string): Promise<PipelineWithStatus[]>;
  /** Every pipeline. */
  listPipelines(): Promise<PipelineWithStatus[]>;
  /** Cluster connection state. */
  getHealth(): Promise<HealthResponse>;
  /** One page of a pipeline's executions, newest first. */
  getExecutions(
    pipeline: PipelineRef,
    query?: ExecutionsQuery,
  ): Promise<ExecutionsResponse>;
  /** The observations of an environment's targets, newest first. */
  getEnvironmentEvents(
    pipeline: PipelineRef,
    environment: string,
    options?: { limit?: number },
  ): Promise<EnvironmentEventsResponse>;
  /** What promoting a version into an environment would change. */
  getPromotionPreview(
    pipeline: PipelineRef,
    options: { environment: string; version: string; rollback?: boolean },
  ): Promise<PromotionPreview>;
  /** Promotes (or rolls back) a version into an environment. */
  createPromotion(
    pipeline: PipelineRef,
    request: PromotionRequest,
  ): Promise<Promotion>;
  /** Approves a promotion that waits for approval. */
  approvePromotion(
    pipeline: PipelineRef,
    promotionId: string,
    options: { entityRef: string; override?: boolean },
  ): Promise<Promotion>;
  /** Delivery figures per pipeline and environment of an entity, owner or system. */
  getInsights(query: InsightsQuery): Promise<InsightsResponse>;
  /** Releases the hold on automatic promotion that a rollback set. */
  releaseHold(
    pipeline: PipelineRef,
    environment: string,
    options: { entityRef: string },
  ): Promise<void>;
}

/** The API reference of {@link FluxPipelinesApi}. */
export const fluxPipelinesApiRef = createApiRef<FluxPipelinesApi>({
  id: 'plugin.flux-pipelines.service',
});
