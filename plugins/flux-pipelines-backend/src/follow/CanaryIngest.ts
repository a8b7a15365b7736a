import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeObject } from '../clusters/listResource';
import { CanaryStore } from '../database/CanaryStore';
import { normaliseCanary } from '../ingest/normaliseCanary';

/**
 * Where watched Flagger Canaries go: each is normalised into the phase of the revision it
 * analyses and recorded for the health gates. A malformed Canary is logged once per reason,
 * naming the object, and skipped.
 */
export class CanaryIngest {
  private readonly warned = new Set<string>();

  constructor(
    private readonly options: {
      store: CanaryStore;
      logger: LoggerService;
      /** Called after phases were recorded: health gates may have changed. */
      onRecorded?: () => void;
    },
  ) {}

  async ingest(cluster: string, objects: KubeObject[]): Promise<void> {
    const observations = [];
    for (const object of objects) {
      const result = normaliseCanary(object, { cluster });
      if (result.ok) {
        if (result.observation) observations.push(result.observation);
        continue;
      }
      const label = result.object ?? 'a Canary without a name';
      const key = `${cluster}/${label}/${result.reason}`;
      if (this.warned.has(key)) continue;
      if (this.warned.size > 1000) this.warned.clear();
      this.warned.add(key);
      this.options.logger.warn(
        `Skipped a Canary from cluster ${cluster} (${label}): ${result.reason}`,
        { cluster, object: label },
      );
    }
    if (!observations.length) return;
    await this.options.store.record(observations);
    this.options.onRecorded?.();
  }
}
