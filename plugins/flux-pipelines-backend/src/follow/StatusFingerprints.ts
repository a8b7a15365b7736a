import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createHash } from 'node:crypto';
import { FluxObjectRef } from '../database/ObservationStore';
import { StatusFingerprintStore } from '../database/StatusFingerprintStore';

type Item = { observation: Observation; occurrenceKey: string };

/** What one listed object's status gave: its ref (none without a name) and observations. */
export interface ListedStatus {
  ref?: FluxObjectRef;
  items: Item[];
}

/**
 * Skips, on a list, the HelmReleases and Kustomizations whose status gives
 * the observations already recorded for them: the digest of their keys is
 * saved per object once they were stored ({@link StatusFingerprintStore}),
 * so a restart with nothing changed stores nothing and reads no deployments.
 * Skipping changes nothing that is stored: those observations would have
 * been dropped as duplicates, and only new ones move a deployment.
 */
export class StatusFingerprints {
  constructor(private readonly store: StatusFingerprintStore) {}

  /**
   * Hands `store` the items of the objects whose status changed since their
   * fingerprint was saved, then saves theirs; forgets the objects of the
   * kind no longer listed. Saves nothing when `store` throws.
   */
  async ingestChanged(
    cluster: string,
    kind: FluxObjectRef['kind'],
    listed: ListedStatus[],
    store: (items: Item[]) => Promise<unknown>,
  ): Promise<void> {
    const known = await this.store.readKind(cluster, kind);
    const changed: ListedStatus[] = [];
    const saved = [];
    for (const status of listed) {
      if (!status.ref) {
        changed.push(status);
        continue;
      }
      const key = nameKey(status.ref);
      const fingerprint = fingerprintOf(status.items);
      const unchanged = known.get(key) === fingerprint;
      known.delete(key);
      if (unchanged) continue;
      changed.push(status);
      saved.push({ ref: status.ref, fingerprint });
    }
    const items = changed.flatMap(c => c.items);
    if (items.length) await store(items);
    await this.store.save(saved);
    await this.store.forget(
      [...known.keys()].map(key => {
        const slash = key.indexOf('/');
        return {
          cluster,
          kind,
          namespace: key.slice(0, slash),
          name: key.slice(slash + 1),
        };
      }),
    );
  }
}

function nameKey(ref: FluxObjectRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** The digest of the observations' de-duplication keys, in any order. */
function fingerprintOf(items: Item[]): string {
  const keys = items
    .map(i => `${i.observation.dedupKey}\n${i.occurrenceKey}`)
    .sort();
  return createHash('sha256').update(keys.join('\n')).digest('base64url');
}
