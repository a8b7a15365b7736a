import { useApi } from '@backstage/core-plugin-api';
import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { useMemo } from 'react';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';
import { useLiveAsync } from './useLiveAsync';

/**
 * The clusters the backend cannot reach, by name, kept current. When the
 * health endpoint itself fails, no cluster is reported: the pipelines request
 * shows that error already.
 */
export function useUnreachableClusters(
  enabled: boolean = true,
): Map<string, ClusterHealth> {
  const api = useApi(fluxPipelinesApiRef);
  const { value } = useLiveAsync(
    async () => (enabled ? api.getHealth().catch(() => undefined) : undefined),
    [api, enabled],
    // after the cards: their reload goes first
    { enabled, leading: false },
  );
  const unreachable = (value?.clusters ?? []).filter(c => !c.connected);
  // The same map while the same clusters are unreachable for the same
  // reasons: a reload that changes nothing draws nothing again.
  const key = JSON.stringify(unreachable);
  return useMemo(
    () => new Map(unreachable.map(cluster => [cluster.name, cluster])),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
}
