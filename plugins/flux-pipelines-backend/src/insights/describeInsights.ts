import {
  DeploymentStatus,
  EnvironmentInsights,
  InsightsDeploymentsQuery,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { EnvironmentFigures, EnvironmentPeriod } from './InsightsStore';
import { FAILED_STATUSES, SUCCEEDED_STATUSES } from './insightsRules';
import { LocalDays } from './localDays';

const DAY_MS = 86_400_000;

/** One line per figure: how it is computed. */
export const DEFINITIONS = {
  deploymentFrequency:
    'Successful deployments (one version on one target, confirmed by its status; going back to a version by a rollback is not one) that finished in the period, per day and per 7 days; the chart by day in the time zone asked for.',
  leadTime:
    "Per version that succeeded on every target here in the period: from its first deployment start in the pipeline's first environment to its success on the last target here. Versions that did not pass through the first environment are left out and counted.",
  changeFailureRate:
    'Deployments that failed or were rolled back, over all deployments that finished in the period (successes confirmed by status, failures, rollbacks).',
  timeToRestore:
    'Per failed or rolled-back deployment in the period: time until the next success on the same target (a rollback to an older version included); failures not yet restored are left out.',
  deploymentDuration:
    "Successful deployments in the period: the controller's recorded duration, else finish minus start; the slowest targets by median.",
  hopTime:
    'Per version that reached this environment in the period after it reached the previous one (succeeded on all its targets there): the time between, split into waiting (to the approval of the newest promotion, or its request when it needed none, or without one the first start here) and deploying (first start here to the success on the last target).',
  promotionTime:
    'Per version that reached this environment in the period: from the newest promotion into it requested before that, to its success here (approval, gates and deploying).',
} as const;

/** The figures of an environment as the API returns them. */
export function describeEnvironment(
  period: EnvironmentPeriod,
  figures: EnvironmentFigures,
  localDays = new LocalDays('UTC'),
): EnvironmentInsights {
  const days = (period.to.getTime() - period.from.getTime()) / DAY_MS;
  const succeeded = figures.succeeded;
  const finished = succeeded + figures.failed;
  const behind = (statuses: readonly DeploymentStatus[]) =>
    deploymentsQuery(period, statuses);
  const successes = behind(SUCCEEDED_STATUSES);
  const all = behind([...SUCCEEDED_STATUSES, ...FAILED_STATUSES]);
  return {
    environment: period.environment,
    deploymentFrequency: {
      n: succeeded,
      definition: DEFINITIONS.deploymentFrequency,
      deployments: successes,
      perDay: succeeded / days,
      perWeek: (succeeded / days) * 7,
      series: localDays.series(period, figures.perQuarterHour),
    },
    leadTime: {
      n: figures.leadTime.n,
      definition: DEFINITIONS.leadTime,
      deployments: successes,
      medianMs: figures.leadTime.medianMs,
      p90Ms: figures.leadTime.p90Ms,
      skippedFirstEnvironment: figures.leadTime.skippedFirstEnvironment,
    },
    changeFailureRate: {
      n: finished,
      definition: DEFINITIONS.changeFailureRate,
      deployments: all,
      failed: figures.failed,
      rate: finished ? figures.failed / finished : null,
    },
    timeToRestore: {
      n: figures.timeToRestore.n,
      definition: DEFINITIONS.timeToRestore,
      deployments: behind(FAILED_STATUSES),
      medianMs: figures.timeToRestore.medianMs,
    },
    deploymentDuration: {
      n: figures.duration.n,
      definition: DEFINITIONS.deploymentDuration,
      deployments: successes,
      medianMs: figures.duration.medianMs,
      p90Ms: figures.duration.p90Ms,
      slowestTargets: figures.slowestTargets,
    },
    promotionTime: {
      n: figures.promotionTime.n,
      definition: DEFINITIONS.promotionTime,
      deployments: successes,
      medianMs: figures.promotionTime.medianMs,
      p90Ms: figures.promotionTime.p90Ms,
    },
    hopTime: {
      n: figures.hopTime.n,
      definition: DEFINITIONS.hopTime,
      deployments: successes,
      fromEnvironment: period.previous?.environment ?? null,
      medianMs: figures.hopTime.medianMs,
      p90Ms: figures.hopTime.p90Ms,
      waiting: figures.hopWaiting,
      deploying: figures.hopDeploying,
    },
    unconfirmed: figures.unconfirmed,
  };
}

function deploymentsQuery(
  period: EnvironmentPeriod,
  statuses: readonly DeploymentStatus[],
): InsightsDeploymentsQuery {
  const { namespace, name } = period.pipeline;
  return {
    pipeline: { namespace, name },
    environment: period.environment,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    statuses: [...statuses],
    executionsPath: `/pipelines/${encodeURIComponent(
      namespace,
    )}/${encodeURIComponent(name)}/executions`,
  };
}
