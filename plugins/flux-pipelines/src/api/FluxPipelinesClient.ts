import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  HealthResponse,
  PipelineWithStatus,
  PipelinesResponse,
} from '@internal/plugin-flux-pipelines-common';
import { FluxPipelinesApi } from './FluxPipelinesApi';

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
    const body = await this.get<PipelinesResponse>(`/pipelines?${query}`);
    return body.items;
  }

  async listPipelines(): Promise<PipelineWithStatus[]> {
    const body = await this.get<PipelinesResponse>('/pipelines');
    return body.items;
  }

  async getHealth(): Promise<HealthResponse> {
    return this.get<HealthResponse>('/health');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('flux-pipelines');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
