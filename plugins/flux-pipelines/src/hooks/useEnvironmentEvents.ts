import { useApi } from '@backstage/core-plugin-api';
import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { fluxPipelinesApiRef, PipelineRef } from '../api/FluxPipelinesApi';
import { useLiveAsync } from './useLiveAsync';

/** How many observations the event timeline shows. */
export const EVENTS_LIMIT = 100;

/** The observations of an environment, newest first, while `environment` is set. */
export function useEnvironmentEvents(
  pipeline: PipelineRef,
  environment: string | undefined,
) {
  const api = useApi(fluxPipelinesApiRef);
  const { namespace, name } = pipeline;
  return useLiveAsync(
    async (): Promise<Observation[]> =>
      environment
        ? (
            await api.getEnvironmentEvents({ namespace, name }, environment, {
              limit: EVENTS_LIMIT,
            })
          ).items
        : [],
    [api, namespace, name, environment],
    { enabled: Boolean(environment) },
  );
}
