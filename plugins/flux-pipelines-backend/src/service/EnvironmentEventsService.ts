import { Observation, Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { NotFoundError } from '@backstage/errors';
import { ObservationStore } from '../database/ObservationStore';
import { targetRef } from '../domain/objectKey';

/** The observation timeline of one environment of a pipeline. */
export class EnvironmentEventsService {
  static create(options: { observations: ObservationStore }) {
    return new EnvironmentEventsService(options.observations);
  }

  private constructor(private readonly observations: ObservationStore) {}

  /**
   * The newest `limit` observations of the environment's targets, merged
   * newest first. Throws NotFoundError for an environment the pipeline lacks.
   */
  async list(
    pipeline: Pipeline,
    environmentName: string,
    options: { limit: number },
  ): Promise<Observation[]> {
    const environment = pipeline.environments.find(
      e => e.name === environmentName,
    );
    if (!environment) {
      throw new NotFoundError(
        `Pipeline ${pipeline.namespace}/${pipeline.name} has no environment '${environmentName}'`,
      );
    }
    const perTarget = await Promise.all(
      environment.targets.map(target =>
        this.observations.listForObject(targetRef(pipeline, target), {
          limit: options.limit,
        }),
      ),
    );
    return perTarget
      .flat()
      .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))
      .slice(0, options.limit);
  }
}
