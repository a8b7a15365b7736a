import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EnvironmentEventsResponse,
  ExecutionsResponse,
  HealthResponse,
  InsightsResponse,
  PipelineWithStatus,
  PipelinesResponse,
  Promotion,
  PromotionPreview,
  PromotionRequest,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  ExecutionsQuery,
  FluxPipelinesApi,
  InsightsQuery,
  PipelineRef,
} from './FluxPipelinesApi';

/** {@link FluxPipelinesApi} over HTTP, with the user's credentials. */
export class FluxPipelinesClient implements FluxPipelinesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getPipelinesForEntity(
    entityRef: string,
  ): Promise<PipelineWithStatus[]> {
    const query = new URLSearchParams({ entityRef });
    const body = await this.request<PipelinesResponse>(`/pipelines?${query}`);
    return body.items;
  }

  async listPipelines(): Promise<PipelineWithStatus[]> {
    const body = await this.request<PipelinesResponse>('/pipelines');
    return body.items;
  }

  async getHealth(): Promise<HealthResponse> {
    return this.request<HealthResponse>('/health');
  }

  async getExecutions(
    pipeline: PipelineRef,
    query: ExecutionsQuery = {},
  ): Promise<ExecutionsResponse> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    if (query.status) params.set('status', query.status);
    if (query.deployments) {
      const { environment, statuses, from, to } = query.deployments;
      params.set('environment', environment);
      params.set('deploymentStatus', statuses.join(','));
      params.set('from', from);
      params.set('to', to);
    }
    const search = params.toString() ? `?${params}` : '';
    return this.request(`${pipelinePath(pipeline)}/executions${search}`);
  }

  async getEnvironmentEvents(
    pipeline: PipelineRef,
    environment: string,
    options: { limit?: number } = {},
  ): Promise<EnvironmentEventsResponse> {
    const search = options.limit !== undefined ? `?limit=${options.limit}` : '';
    return this.request(
      `${pipelinePath(pipeline)}/environments/${encodeURIComponent(
        environment,
      )}/events${search}`,
    );
  }

  async getPromotionPreview(
    pipeline: PipelineRef,
    options: { environment: string; version: string; rollback?: boolean },
  ): Promise<PromotionPreview> {
    const params = new URLSearchParams({
      environment: options.environment,
      version: options.version,
      ...(options.rollback ? { rollback: 'true' } : {}),
    });
    return this.request(
      `${pipelinePath(pipeline)}/promotions/preview?${params}`,
    );
  }

  async createPromotion(
    pipeline: PipelineRef,
    request: PromotionRequest,
  ): Promise<Promotion> {
    return this.request(`${pipelinePath(pipeline)}/promotions`, {
      method: 'POST',
      body: request,
    });
  }

  async approvePromotion(
    pipeline: PipelineRef,
    promotionId: string,
    options: { entityRef: string; override?: boolean },
  ): Promise<Promotion> {
    return this.request(
      `${pipelinePath(pipeline)}/promotions/${encodeURIComponent(
        promotionId,
      )}/approve`,
      { method: 'POST', body: options },
    );
  }

  async getInsights(query: InsightsQuery): Promise<InsightsResponse> {
    const params = new URLSearchParams(
      Object.entries(query).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return this.request(`/insights?${params}`);
  }

  async releaseHold(
    pipeline: PipelineRef,
    environment: string,
    options: { entityRef: string },
  ): Promise<void> {
    const params = new URLSearchParams(options);
    await this.request<void>(
      `${pipelinePath(pipeline)}/environments/${encodeURIComponent(
        environment,
      )}/hold?${params}`,
      { method: 'DELETE' },
    );
  }

  private async request<T>(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('flux-pipelines');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}

function pipelinePath(pipeline: PipelineRef): string {
  return `/pipelines/${encodeURIComponent(
    pipeline.namespace,
  )}/${encodeURIComponent(pipeline.name)}`;
}
