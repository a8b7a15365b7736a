import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Observation,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { ObservationStore } from '../database/ObservationStore';
import { correlateDeployments } from './correlateDeployments';

/** Told about every deployment that changed, e.g. to publish a signal. */
export type DeploymentListener = (
  changed: TargetDeployment[],
) => Promise<void> | void;

/**
 * The ingest path after normalisation: records observations in the log
 * (duplicates are dropped by the database) and, for each new one, updates the
 * deployments of its target. Work for one target is serialised, so
 * concurrent inputs about the same object cannot lose an update.
 */
export class DeploymentTracker {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      observations: ObservationStore;
      deployments: DeploymentStore;
      logger: LoggerService;
      onChange?: DeploymentListener;
    },
  ) {}

  /** Returns the observations that were new. */
  async ingest(
    items: Array<{ observation: Observation; occurrenceKey: string }>,
  ): Promise<Observation[]> {
    const fresh = await this.options.observations.record(items);
    const byTarget = new Map<string, Observation[]>();
    for (const o of fresh) {
      const key = `${o.cluster}/${o.namespace}/${o.kind}/${o.name}`;
      byTarget.set(key, [...(byTarget.get(key) ?? []), o]);
    }
    await Promise.all(
      [...byTarget].map(([key, list]) =>
        this.serialise(key, () => this.apply(list)),
      ),
    );
    return fresh;
  }

  private async apply(list: Observation[]): Promise<void> {
    const sorted = [...list].sort(
      (a, b) => Date.parse(a.time) - Date.parse(b.time),
    );
    let state = await this.options.deployments.listForObject(sorted[0]);
    const changed = new Map<string, TargetDeployment>();
    for (const observation of sorted) {
      for (const d of correlateDeployments(state, observation)) {
        changed.set(d.chartVersion, d);
        state = [...state.filter(s => s.chartVersion !== d.chartVersion), d];
      }
    }
    if (changed.size) {
      await this.options.deployments.save([...changed.values()]);
      await this.options.onChange?.([...changed.values()]);
    }
  }

  private serialise(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(error =>
      this.options.logger.error(
        `Failed to update deployments of ${key}`,
        error,
      ),
    );
    this.queues.set(key, tail);
    tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }
}
