import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import { PipelineWithStatus } from '@internal/plugin-flux-pipelines-common';
import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';

/** The backend's signals channel for deployment changes. */
export const FLUX_PIPELINES_CHANNEL = 'flux-pipelines';

/** How often to poll when the app has no signals. */
export const POLL_INTERVAL_MS = 15_000;

/**
 * The pipelines linked to an entity, kept current: refetched on every signal
 * from the backend, or polled when signals are not available. The previous
 * value stays on screen while a refetch runs, so nothing flickers.
 */
export function useLivePipelines(entityRef: string, enabled: boolean) {
  const api = useApi(fluxPipelinesApiRef);
  const state = useAsyncRetry(
    async (): Promise<PipelineWithStatus[]> =>
      enabled ? api.getPipelinesForEntity(entityRef) : [],
    [api, entityRef, enabled],
  );
  const { lastSignal, isSignalsAvailable } = useSignal(FLUX_PIPELINES_CHANNEL);
  const { retry } = state;

  useEffect(() => {
    if (lastSignal && enabled) retry();
  }, [lastSignal, enabled]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (isSignalsAvailable || !enabled) return undefined;
    const timer = setInterval(retry, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, enabled, retry]);

  return state;
}
