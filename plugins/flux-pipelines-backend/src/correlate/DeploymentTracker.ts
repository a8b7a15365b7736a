import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Observation,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { TargetTransactions } from '../database/TargetTransactions';
import { correlateDeployments } from './correlateDeployments';

/** Told about every deployment that changed, e.g. to publish a signal. */
export type DeploymentListener = (
  changed: TargetDeployment[],
) => Promise<void> | void;

type Item = { observation: Observation; occurrenceKey: string };

/**
 * The ingest path after normalisation: per Flux object, one transaction
 * records its observations in the log (duplicates are dropped by the
 * database) and updates its deployments from the new ones. A crash or a failed
 * write in between rolls both back, so a replay of the same input applies it
 * again. The transaction holds the object's lock, so other processes (backend
 * replicas) cannot interleave their update; within this process, work for one
 * object is queued so it does not wait on that lock.
 */
export class DeploymentTracker {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      transactions: TargetTransactions;
      logger: LoggerService;
      onChange?: DeploymentListener;
    },
  ) {}

  /** Returns the observations that were new, in input order. */
  async ingest(items: Item[]): Promise<Observation[]> {
    const byTarget = new Map<string, Item[]>();
    for (const item of items) {
      const o = item.observation;
      const key = JSON.stringify([o.cluster, o.namespace, o.kind, o.name]);
      byTarget.set(key, [...(byTarget.get(key) ?? []), item]);
    }
    const fresh = new Set<Observation>();
    await Promise.all(
      [...byTarget].map(([key, list]) =>
        this.serialise(key, async () => {
          for (const o of await this.apply(list)) fresh.add(o);
        }),
      ),
    );
    return items.map(i => i.observation).filter(o => fresh.has(o));
  }

  private async apply(items: Item[]): Promise<Observation[]> {
    const ref = items[0].observation;
    const { fresh, changed } = await this.options.transactions.run(
      ref,
      async ({ observations, deployments }) => {
        const recorded = await observations.record(items);
        if (!recorded.length) {
          return { fresh: recorded, changed: [] };
        }
        const sorted = [...recorded].sort(
          (a, b) => Date.parse(a.time) - Date.parse(b.time),
        );
        let state = await deployments.listForObject(ref);
        const updated = new Map<string, TargetDeployment>();
        for (const observation of sorted) {
          for (const d of correlateDeployments(state, observation)) {
            updated.set(d.chartVersion, d);
            state = [
              ...state.filter(s => s.chartVersion !== d.chartVersion),
              d,
            ];
          }
        }
        await deployments.save([...updated.values()]);
        return { fresh: recorded, changed: [...updated.values()] };
      },
    );
    if (changed.length) {
      try {
        await this.options.onChange?.(changed);
      } catch (error) {
        // The change is committed; a failed notification must not undo it.
        this.options.logger.warn(
          `Failed to announce changed deployments of ${describe(
            ref,
          )}: ${error}`,
        );
      }
    }
    return fresh;
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

function describe(o: Observation): string {
  return `${o.kind} ${o.namespace}/${o.name} on ${o.cluster}`;
}
