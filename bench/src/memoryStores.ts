import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  DeploymentStore,
  WORKING_SET_RECENT,
  newestFirst,
} from '../../plugins/flux-pipelines-backend/src/database/DeploymentStore';
import type {
  FluxObjectRef,
  ObservationStore,
} from '../../plugins/flux-pipelines-backend/src/database/ObservationStore';
import type {
  TargetStores,
  TargetTransactions,
} from '../../plugins/flux-pipelines-backend/src/database/TargetTransactions';

const refKey = (r: FluxObjectRef) =>
  `${r.cluster}\u0000${r.namespace}\u0000${r.kind}\u0000${r.name}`;

/**
 * The stores of the ingest path kept in memory, to measure watch → normalise →
 * correlate without a database. Same contracts (de-duplication by both keys,
 * newest first), no durability.
 */
export class MemoryTargetTransactions implements TargetTransactions {
  private readonly dedupKeys = new Set<string>();
  private readonly occurrenceKeys = new Set<string>();
  private readonly deployments = new Map<
    string,
    Map<string, TargetDeployment>
  >();
  observationCount = 0;

  private readonly stores: TargetStores = {
    observations: this.observationStore(),
    deployments: this.deploymentStore(),
  };

  async run<T>(
    _refs: FluxObjectRef[],
    work: (stores: TargetStores) => Promise<T>,
  ): Promise<T> {
    return work(this.stores);
  }

  private observationStore(): ObservationStore {
    return {
      record: async items => {
        const fresh: Observation[] = [];
        for (const { observation, occurrenceKey } of items) {
          if (
            this.dedupKeys.has(observation.dedupKey) ||
            this.occurrenceKeys.has(occurrenceKey)
          )
            continue;
          this.dedupKeys.add(observation.dedupKey);
          this.occurrenceKeys.add(occurrenceKey);
          this.observationCount += 1;
          fresh.push(observation);
        }
        return fresh;
      },
      listForObject: async () => [],
      deleteOlderThan: async () => 0,
    };
  }

  private deploymentStore(): DeploymentStore {
    const list = (ref: FluxObjectRef) =>
      [...(this.deployments.get(refKey(ref))?.values() ?? [])].sort(
        newestFirst,
      );
    return {
      listForObject: async ref => list(ref),
      listForObjects: async refs => refs.flatMap(list),
      listWorkingSet: async targets =>
        targets.flatMap(({ ref, versions }) => {
          const all = [...(this.deployments.get(refKey(ref))?.values() ?? [])];
          if (all.length <= WORKING_SET_RECENT) return all;
          const times = new Map(all.map(d => [d, Date.parse(d.updatedAt)]));
          const recent = new Set(
            [...all]
              .sort((a, b) => times.get(b)! - times.get(a)!)
              .slice(0, WORKING_SET_RECENT),
          );
          return all.filter(
            d =>
              recent.has(d) ||
              d.status === 'succeeded' ||
              d.status === 'progressing' ||
              versions.includes(d.chartVersion),
          );
        }),
      save: async deployments => {
        for (const d of deployments) {
          const key = refKey(d);
          let versions = this.deployments.get(key);
          if (!versions) this.deployments.set(key, (versions = new Map()));
          versions.set(d.chartVersion, d);
        }
      },
    };
  }
}
