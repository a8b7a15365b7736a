import { ObjectRef } from '../domain/objectKey';

/** One environment of one pipeline over a period, as the queries need it. */
export interface EnvironmentPeriod {
  pipeline: { namespace: string; name: string };
  environment: string;
  /** The environment's targets (the pipeline's app on each). */
  targets: ObjectRef[];
  /** The targets of the pipeline's first environment. */
  firstTargets: ObjectRef[];
  /** The environment before this one, unless it is the first. */
  previous?: { environment: string; targets: ObjectRef[] };
  from: Date;
  to: Date;
}

/** The raw figures of an environment, before they are described. */
export interface EnvironmentFigures {
  succeeded: number;
  failed: number;
  unconfirmed: number;
  /** Successes per UTC day (days since the epoch), days without any left out. */
  perDay: Array<{ day: number; count: number }>;
  /**
   * Successes per quarter of an hour (since the epoch), none left out: any
   * time zone's days are made of them.
   */
  perQuarterHour: Array<{ quarter: number; count: number }>;
  leadTime: Percentiles & { skippedFirstEnvironment: number };
  timeToRestore: Percentiles;
  duration: Percentiles;
  slowestTargets: Array<Percentiles & { cluster: string; namespace: string }>;
  promotionTime: Percentiles;
  /** From the previous environment; none for the first. */
  hopTime: Percentiles;
  /** Of the hop: waiting for approval and gates, and deploying. */
  hopWaiting: Percentiles;
  hopDeploying: Percentiles;
}

/** A count and its median and 90th percentile in whole milliseconds (null without data). */
export interface Percentiles {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** Computes an environment's delivery figures where the deployments are stored. */
export interface InsightsStore {
  environmentFigures(period: EnvironmentPeriod): Promise<EnvironmentFigures>;
  /**
   * The figures of many environments at once (in the same order), for the
   * same cost as one: the periods all have the same `from` and `to`.
   */
  scopeFigures(periods: EnvironmentPeriod[]): Promise<EnvironmentFigures[]>;
}
