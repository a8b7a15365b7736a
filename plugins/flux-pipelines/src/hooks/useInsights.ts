import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';

const DAY_MS = 86_400_000;

/** The periods a user can pick, in days. */
export const INSIGHTS_PERIODS = [7, 30, 90] as const;
export type InsightsPeriod = (typeof INSIGHTS_PERIODS)[number];

/** Exactly one of them: whose figures. */
export type InsightsScope =
  | { entityRef: string }
  | { owner: string }
  | { system: string };

/** The delivery figures of an entity, owner or system over the last `days` days. */
export function useInsights(scope: InsightsScope | undefined, days: number) {
  const api = useApi(fluxPipelinesApiRef);
  const key = scope ? JSON.stringify(scope) : '';
  return useAsyncRetry(async () => {
    if (!scope) return undefined;
    const to = new Date();
    const from = new Date(to.getTime() - days * DAY_MS);
    return api.getInsights({
      ...scope,
      from: from.toISOString(),
      to: to.toISOString(),
      // The user's days, not the server's.
      tz: new Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, days]);
}
