import {
  EnvironmentInsights,
  InsightsFigure,
  InsightsResponse,
} from '@flux-pipelines/plugin-flux-pipelines-common';

const FROM = '2026-11-07T09:00:00.000Z';
const TO = '2026-12-07T09:00:00.000Z';
const HOUR = 3_600_000;

function figure(n: number, definition: string, environment: string) {
  const result: InsightsFigure = {
    n,
    definition,
    deployments: {
      pipeline: { namespace: 'flux-system', name: 'podinfo' },
      environment,
      from: FROM,
      to: TO,
      statuses: ['succeeded', 'superseded'],
      executionsPath: '/pipelines/flux-system/podinfo/executions',
    },
  };
  return result;
}

/**
 * An environment's figures: 12 successes and 3 failures in 30 days, lead time
 * 2h (p90 5h), restored in 30m, deployments of 4m (p90 9m).
 */
export function environmentInsights(
  environment: string,
  overrides: Partial<EnvironmentInsights> = {},
): EnvironmentInsights {
  const of = (n: number, what: string) =>
    figure(n, `${what} (definition of ${environment})`, environment);
  return {
    environment,
    deploymentFrequency: {
      ...of(12, 'Successful deployments per day'),
      perDay: 0.4,
      perWeek: 2.8,
      series: [
        { date: '2026-12-05', count: 2 },
        { date: '2026-12-06', count: 0 },
      ],
    },
    leadTime: {
      ...of(10, 'From first deployment to success here'),
      medianMs: 2 * HOUR,
      p90Ms: 5 * HOUR,
      skippedFirstEnvironment: 0,
    },
    changeFailureRate: {
      ...of(15, 'Failed or rolled back over all'),
      failed: 3,
      rate: 0.2,
    },
    timeToRestore: { ...of(3, 'Failure to next success'), medianMs: HOUR / 2 },
    deploymentDuration: {
      ...of(12, 'Recorded duration of successes'),
      medianMs: 4 * 60_000,
      p90Ms: 9 * 60_000,
      slowestTargets: [
        {
          cluster: 'eu',
          namespace: environment,
          n: 6,
          medianMs: 420_000,
          p90Ms: 600_000,
        },
        {
          cluster: 'us',
          namespace: environment,
          n: 6,
          medianMs: 180_000,
          p90Ms: 240_000,
        },
      ],
    },
    promotionTime: {
      ...of(4, 'From promotion request to success'),
      medianMs: HOUR,
      p90Ms: 3 * HOUR,
    },
    hopTime: {
      ...of(4, 'From the previous environment to this one'),
      fromEnvironment: environment === 'dev' ? null : 'dev',
      medianMs: 1.5 * HOUR,
      p90Ms: 4 * HOUR,
      waiting: { n: 4, medianMs: HOUR, p90Ms: 3 * HOUR },
      deploying: { n: 4, medianMs: 0.5 * HOUR, p90Ms: HOUR },
    },
    unconfirmed: 0,
    ...overrides,
  };
}

/** The insights of podinfo (or the given pipelines) over 30 days. */
export function insightsResponse(
  pipelines: InsightsResponse['pipelines'] = [
    {
      namespace: 'flux-system',
      name: 'podinfo',
      environments: [environmentInsights('dev'), environmentInsights('prod')],
    },
  ],
  scope: InsightsResponse['scope'] = { entityRef: 'component:default/podinfo' },
): InsightsResponse {
  return {
    from: FROM,
    to: TO,
    scope,
    timeZone: 'UTC',
    entityRefs: [],
    pipelines,
  };
}
