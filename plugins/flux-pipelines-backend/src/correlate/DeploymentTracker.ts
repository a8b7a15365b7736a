import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { deploymentsKey } from '../database/RevisionStore';
import { TargetTransactions } from '../database/TargetTransactions';
import { objectKey } from '../domain/objectKey';
import {
  CorrelateOptions,
  correlateObservations,
} from './correlateDeployments';

/** Told about every deployment that changed, e.g. to publish a signal. */
export type DeploymentListener = (
  changed: TargetDeployment[],
) => Promise<void> | void;

type Item = { observation: Observation; occurrenceKey: string };

interface Request {
  items: Item[];
  resolve(fresh: Observation[]): void;
  reject(error: unknown): void;
}

/** Most observations written in one transaction. */
const MAX_BATCH = 5000;

/**
 * The ingest path after normalisation. One transaction records observations
 * in the log (duplicates are dropped by the database) and updates their
 * objects' deployments from the new ones; a crash or a failed write in between
 * rolls both back, so a replay of the same input applies it again. The
 * transaction holds the objects' locks, so other processes (backend replicas)
 * cannot interleave their updates.
 *
 * Within this process, one transaction runs at a time, and whatever was handed
 * in while it ran goes into the next one together (group commit): a quiet
 * cluster's event is written at once, and a burst costs a few transactions
 * rather than one per event. When a transaction with several objects fails,
 * each object is tried on its own, so bad input about one object does not
 * lose the others.
 */
export class DeploymentTracker {
  private pending: Request[] = [];
  private running = false;

  constructor(
    private readonly options: {
      transactions: TargetTransactions;
      logger: LoggerService;
      onChange?: DeploymentListener;
      /** Which successes wait for the object's status; see {@link CorrelateOptions}. */
      needsConfirmation?: CorrelateOptions['needsConfirmation'];
    },
  ) {}

  /** Returns the observations that were new, in input order, once stored. */
  ingest(items: Item[]): Promise<Observation[]> {
    if (!items.length) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain() {
    this.running = true;
    try {
      while (this.pending.length) {
        let size = 0;
        let taken = 0;
        while (
          taken < this.pending.length &&
          (taken === 0 || size + this.pending[taken].items.length <= MAX_BATCH)
        ) {
          size += this.pending[taken].items.length;
          taken += 1;
        }
        await this.settle(this.pending.splice(0, taken));
      }
    } finally {
      this.running = false;
    }
  }

  /** Writes the requests' items together, and answers each request. */
  private async settle(requests: Request[]) {
    const items = requests.flatMap(r => r.items);
    try {
      const fresh = await this.apply(items);
      for (const r of requests) {
        r.resolve(r.items.map(i => i.observation).filter(o => fresh.has(o)));
      }
      return;
    } catch (error) {
      if (groupByObject(items).size === 1) {
        this.failed(items[0].observation, error);
        for (const r of requests) r.reject(error);
        return;
      }
    }
    // Find the objects the batch failed on: only their requests fail.
    const fresh = new Set<Observation>();
    const failed = new Map<string, unknown>();
    for (const [key, list] of groupByObject(items)) {
      try {
        for (const o of await this.apply(list)) fresh.add(o);
      } catch (error) {
        failed.set(key, error);
        this.failed(list[0].observation, error);
      }
    }
    for (const r of requests) {
      const failure = r.items
        .map(i => failed.get(objectKey(i.observation)))
        .find(e => e !== undefined);
      if (failure !== undefined) r.reject(failure);
      else r.resolve(r.items.map(i => i.observation).filter(o => fresh.has(o)));
    }
  }

  private failed(ref: Observation, error: unknown) {
    this.options.logger.error(
      `Failed to update deployments of ${describe(ref)}`,
      error instanceof Error ? error : new Error(String(error)),
    );
  }

  /** One transaction for all the items; returns the new observations. */
  private async apply(items: Item[]): Promise<Set<Observation>> {
    const objects = groupByObject(items);
    const refs = [...objects.values()].map(list => list[0].observation);
    const { fresh, changed } = await this.options.transactions.run(
      refs,
      async ({ observations, deployments, revisions }) => {
        const recorded = await observations.record(items);
        if (!recorded.length) {
          return { fresh: recorded, changed: [] };
        }
        const byObject = new Map<string, Observation[]>();
        for (const o of recorded) {
          const key = objectKey(o);
          const list = byObject.get(key);
          if (list) list.push(o);
          else byObject.set(key, [o]);
        }
        const working = await deployments.listWorkingSet(
          [...byObject.values()].map(list => ({
            ref: list[0],
            versions: [...new Set(list.flatMap(o => o.chartVersion ?? []))],
          })),
        );
        const states = new Map<string, TargetDeployment[]>();
        for (const d of working) {
          const key = objectKey(d);
          states.set(key, [...(states.get(key) ?? []), d]);
        }
        const updated: TargetDeployment[] = [];
        for (const [key, list] of byObject) {
          updated.push(
            ...correlateAll(states.get(key) ?? [], list, {
              needsConfirmation: this.options.needsConfirmation,
            }),
          );
        }
        await deployments.save(updated);
        // Other replicas' read models see the change with it, not before.
        await revisions?.bump(updated.map(d => deploymentsKey(objectKey(d))));
        return { fresh: recorded, changed: updated };
      },
    );
    if (changed.length) {
      this.options.logger.debug(
        `Stored ${changed.length} changed deployments`,
        {
          deployments: changed.map(describeDeployment).join(', '),
        },
      );
      try {
        await this.options.onChange?.(changed);
      } catch (error) {
        // The change is committed; a failed notification must not undo it.
        this.options.logger.warn(
          `Failed to announce ${changed.length} changed deployments: ${error}`,
        );
      }
    }
    return new Set(fresh);
  }
}

/** Applies one object's new observations in time order; returns the deployments that changed. */
function correlateAll(
  existing: TargetDeployment[],
  observations: Observation[],
  options: CorrelateOptions,
): TargetDeployment[] {
  const times = new Map(observations.map(o => [o, Date.parse(o.time)]));
  return correlateObservations(
    existing,
    [...observations].sort((a, b) => times.get(a)! - times.get(b)!),
    options,
  );
}

function groupByObject(items: Item[]): Map<string, Item[]> {
  const objects = new Map<string, Item[]>();
  for (const item of items) {
    const key = objectKey(item.observation);
    const list = objects.get(key);
    if (list) list.push(item);
    else objects.set(key, [item]);
  }
  return objects;
}

function describeDeployment(d: TargetDeployment): string {
  return `${d.cluster}:${d.namespace}/${d.name}@${d.chartVersion} ${d.status}`;
}

function describe(o: Observation): string {
  return `${o.kind} ${o.namespace}/${o.name} on ${o.cluster}`;
}
