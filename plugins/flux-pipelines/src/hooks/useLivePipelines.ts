import { useApi } from '@backstage/core-plugin-api';
import { PipelineWithStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';
import { concernsPipelines } from './concernsPipelines';
import { useLiveAsync } from './useLiveAsync';

export { POLL_INTERVAL_MS } from './useLiveAsync';

/**
 * The pipelines linked to an entity, kept current (see {@link useLiveAsync}).
 * Without `enabled` nothing is fetched and the value is empty.
 */
export function useLivePipelines(entityRef: string, enabled: boolean) {
  const api = useApi(fluxPipelinesApiRef);
  return useLiveAsync(
    async (): Promise<PipelineWithStatus[]> =>
      enabled ? api.getPipelinesForEntity(entityRef) : [],
    [api, entityRef, enabled],
    // the rest of the fleet's deployments do not reload the page
    { enabled, concerns: concernsPipelines },
  );
}
