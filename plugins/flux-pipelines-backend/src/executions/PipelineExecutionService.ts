import {
  DeploymentStatus,
  ExecutionStatus,
  ExecutionsResponse,
  Pipeline,
  Promotion,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { deriveExecutions } from './deriveExecutions';
import { withDeploymentsMatching } from './deploymentFilter';
import { objectKey, pipelineRefs } from '../domain/objectKey';

/** Paging and filtering of `GET .../executions`. */
export interface ExecutionQuery {
  limit: number;
  offset: number;
  status?: ExecutionStatus;
  /** The environment, deployment statuses and period of an insights figure. */
  environment?: string;
  deploymentStatus?: DeploymentStatus[];
  from?: Date;
  to?: Date;
}

/** Where the executions read a pipeline's promotions, newest first. */
export interface ExecutionPromotions {
  list(pipeline: Pipeline): Promise<Promotion[]>;
}

/**
 * Executions of a pipeline, derived on demand from the stored deployments of
 * its targets (one query per pipeline) and its promotions, so they are never
 * out of step with them and need no storage of their own. Without
 * promotions, a version not deployed somewhere yet is `waiting` there.
 */
export class PipelineExecutionService {
  static create(options: {
    deployments: DeploymentStore;
    promotions?: ExecutionPromotions;
  }) {
    return new PipelineExecutionService(
      options.deployments,
      options.promotions,
    );
  }

  private constructor(
    private readonly deployments: DeploymentStore,
    private readonly promotions?: ExecutionPromotions,
  ) {}

  async list(
    pipeline: Pipeline,
    query: ExecutionQuery,
  ): Promise<ExecutionsResponse> {
    const [deployments, promotions] = await Promise.all([
      this.deployments.listForObjects(pipelineRefs(pipeline)),
      this.promotions?.list(pipeline) ?? [],
    ]);
    const filter = {
      environment: query.environment,
      statuses: query.deploymentStatus,
      from: query.from,
      to: query.to,
    };
    const filtered = Object.values(filter).some(v => v !== undefined);
    const byTarget = new Map<string, typeof deployments>();
    for (const d of deployments) {
      const key = objectKey(d);
      byTarget.set(key, [...(byTarget.get(key) ?? []), d]);
    }
    const matching = deriveExecutions(pipeline, deployments, promotions)
      .filter(e => !query.status || e.status === query.status)
      .flatMap(e => {
        if (!filtered) return [e];
        const kept = withDeploymentsMatching(
          e,
          filter,
          d => byTarget.get(objectKey(d)) ?? [],
        );
        return kept ? [kept] : [];
      });
    const items = matching.slice(query.offset, query.offset + query.limit);
    for (const execution of items) {
      const mine = promotions.filter(p => p.version === execution.chartVersion);
      // Oldest first.
      if (mine.length) execution.promotions = mine.reverse();
    }
    return {
      items,
      totalCount: matching.length,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
