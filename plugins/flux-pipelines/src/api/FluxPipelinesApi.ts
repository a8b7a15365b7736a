import { createApiRef } from '@backstage/core-plugin-api';
import {
  HealthResponse,
  PipelineWithStatus,
} from '@internal/plugin-flux-pipelines-common';

/** Reads pipelines from the flux-pipelines backend. */
export interface FluxPipelinesApi {
  /** The pipelines linked to a catalog entity. */
  getPipelinesForEntity(entityRef: string): Promise<PipelineWithStatus[]>;
  /** Every pipeline. */
  listPipelines(): Promise<PipelineWithStatus[]>;
  /** Cluster connection state. */
  getHealth(): Promise<HealthResponse>;
}

/** The API reference of {@link FluxPipelinesApi}. */
export const fluxPipelinesApiRef = createApiRef<FluxPipelinesApi>({
  id: 'plugin.flux-pipelines.service',
});
