import { useApi } from '@backstage/core-plugin-api';
import { fluxPipelinesApiRef } from '../api/FluxPipelinesApi';
import { useLiveAsync } from './useLiveAsync';

const DAY_MS = 86_400_000;

/** The periods a user can pick, in days. */
export const INSIGHTS_PERIODS = [7, 30, 90] as const;
export type InsightsPeriod = (typeof INSIGHTS_PERIODS)[number];

/** Exactly one of them: whose figures. */
export type InsightsScope =
  | { entityRef: string }
  | { owner: string }
  | { system: string };

/**
 * The figures are recomputed this long after a deployment or promotion
 * signal, and at most this often while signals keep coming: a rollout
 * changes many targets, and the figures of a period move little with each.
 */
export const INSIGHTS_SIGNAL_THROTTLE_MS = 2000;

/**
 * The delivery figures of an entity, owner or system over the last `days`
 * days, recomputed (the period ending now) when deployments or promotions
 * change (see {@link useLiveAsync}).
 */
export function useInsights(scope: InsightsScope | undefined, days: number) {
  const api = useApi(fluxPipelinesApiRef);
  const key = scope ? JSON.stringify(scope) : '';
  return useLiveAsync(
    async () => {
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
    },
    [api, key, days],
    // after the cards: the figures need not show a change at once
    { throttleMs: INSIGHTS_SIGNAL_THROTTLE_MS, leading: false },
  );
}
