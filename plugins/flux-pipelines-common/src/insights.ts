import { DeploymentStatus } from './types';

/**
 * `GET /insights?entityRef=|owner=|system=&from=&to=&environment=`: delivery
 * figures per pipeline and environment, computed by the database from the
 * stored deployments. A deployment is one version on one target.
 */
export interface InsightsResponse {
  /** Start of the period (inclusive), ISO 8601. */
  from: string;
  /** End of the period (exclusive), ISO 8601. */
  to: string;
  /** What was asked for: exactly one of the three. */
  scope: { entityRef?: string; owner?: string; system?: string };
  /** The IANA time zone the days of the charts are in (`tz=`, default UTC). */
  timeZone: string;
  /** The catalog entities whose pipelines are counted, sorted. */
  entityRefs: string[];
  pipelines: PipelineInsights[];
}

/** The figures of one pipeline. */
export interface PipelineInsights {
  namespace: string;
  name: string;
  /** In pipeline order (only the one asked for with `environment=`). */
  environments: EnvironmentInsights[];
}

/** The deployments behind a figure, as a query the page can follow. */
export interface InsightsDeploymentsQuery {
  pipeline: { namespace: string; name: string };
  environment: string;
  from: string;
  to: string;
  /** The deployment statuses counted. */
  statuses: DeploymentStatus[];
  /** The executions endpoint that lists those versions (relative to the plugin's base URL). */
  executionsPath: string;
}

/** What every figure carries. */
export interface InsightsFigure {
  /** How many deployments (or versions, or promotions, as `definition` says) it is computed from. */
  n: number;
  /** One line: how it is computed. */
  definition: string;
  deployments: InsightsDeploymentsQuery;
}

/** A median and 90th percentile in milliseconds; null without data. */
export interface InsightsPercentiles {
  medianMs: number | null;
  p90Ms: number | null;
}

/** Successful deployments on one day, in the time zone asked for. */
export interface InsightsDay {
  /** `YYYY-MM-DD`, in the response's `timeZone`. */
  date: string;
  count: number;
}

/** A target of the environment, by its median deployment duration. */
export interface InsightsSlowTarget extends InsightsPercentiles {
  cluster: string;
  namespace: string;
  n: number;
}

/** The figures of one environment of a pipeline over the period. */
export interface EnvironmentInsights {
  environment: string;
  deploymentFrequency: InsightsFigure & {
    perDay: number;
    perWeek: number;
    /** Every day of the period, zero where nothing succeeded. */
    series: InsightsDay[];
  };
  leadTime: InsightsFigure &
    InsightsPercentiles & {
      /** Versions that succeeded here but not through the first environment: left out. */
      skippedFirstEnvironment: number;
    };
  changeFailureRate: InsightsFigure & {
    failed: number;
    /** failed / n; null when nothing finished. */
    rate: number | null;
  };
  timeToRestore: InsightsFigure & { medianMs: number | null };
  deploymentDuration: InsightsFigure &
    InsightsPercentiles & {
      /** At most five, slowest median first. */
      slowestTargets: InsightsSlowTarget[];
    };
  /** From a promotion's request to the version's success here: approval, gates and deploying. */
  promotionTime: InsightsFigure & InsightsPercentiles;
  /** Lead time of the last hop: from the previous environment to this one. */
  hopTime: InsightsFigure &
    InsightsPercentiles & {
      /** The previous environment; null for the first. */
      fromEnvironment: string | null;
      /**
       * From the arrival in the previous environment to the promotion's
       * approval (its request when it needed none) or, without a promotion,
       * the first start here: approval and gates.
       */
      waiting: InsightsPercentiles & { n: number };
      /** From the first start here to the arrival: deploying. */
      deploying: InsightsPercentiles & { n: number };
    };
  /** Successes only events report (not confirmed by status): never counted above. */
  unconfirmed: number;
}
