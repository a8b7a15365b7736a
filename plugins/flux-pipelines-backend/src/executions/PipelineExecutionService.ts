import {
  ExecutionStatus,
  ExecutionsResponse,
  Pipeline,
} from '@internal/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { deriveExecutions } from './deriveExecutions';
import { pipelineRefs } from '../domain/objectKey';

/** Paging and filtering of `GET .../executions`. */
export interface ExecutionQuery {
  limit: number;
  offset: number;
  status?: ExecutionStatus;
}

/**
 * Executions of a pipeline, derived on demand from the stored deployments of
 * its targets (one query per pipeline), so they are never out of step with
 * them and need no storage of their own.
 */
export class PipelineExecutionService {
  static create(options: { deployments: DeploymentStore }) {
    return new PipelineExecutionService(options.deployments);
  }

  private constructor(private readonly deployments: DeploymentStore) {}

  async list(
    pipeline: Pipeline,
    query: ExecutionQuery,
  ): Promise<ExecutionsResponse> {
    const deployments = await this.deployments.listForObjects(
      pipelineRefs(pipeline),
    );
    const matching = deriveExecutions(pipeline, deployments).filter(
      e => !query.status || e.status === query.status,
    );
    return {
      items: matching.slice(query.offset, query.offset + query.limit),
      totalCount: matching.length,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
