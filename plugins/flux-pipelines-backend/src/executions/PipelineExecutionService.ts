import {
  ExecutionStatus,
  ExecutionsResponse,
  Pipeline,
  Promotion,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { deriveExecutions } from './deriveExecutions';
import { pipelineRefs } from '../domain/objectKey';

/** Paging and filtering of `GET .../executions`. */
export interface ExecutionQuery {
  limit: number;
  offset: number;
  status?: ExecutionStatus;
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
    const matching = deriveExecutions(pipeline, deployments, promotions).filter(
      e => !query.status || e.status === query.status,
    );
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
