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
 * Skips, on a list, the observations of HelmReleases and Kustomizations that
 * their status already gave and that were recorded: short digests of their
 * keys are saved per object once they were stored
 * ({@link StatusFingerprintStore}), so a restart with nothing changed stores
 * nothing and reads no deployments, and a changed status hands on only its
 * new observations. Skipping changes nothing that is stored: those
 * observations would have been dropped as duplicates, and only new ones
 * move a deployment.
 */
export class StatusFingerprints {
  constructor(private readonly store: StatusFingerprintStore) {}

  /**
   * Hands `store` the items not recorded at the objects' last saved
   * fingerprint, then saves the fingerprints of the objects that changed;
   * forgets the objects of the kind no longer listed. Saves nothing when
   * `store` throws.
   */
  async ingestChanged(
    cluster: string,
    kind: FluxObjectRef['kind'],
    listed: ListedStatus[],
    store: (items: Item[]) => Promise<unknown>,
  ): Promise<void> {
    const list = this.listing(cluster, kind);
    await list.page(listed, store);
    await list.done();
  }

  /**
   * The same for a list that comes page by page: each page's new items are
   * stored and its fingerprints saved before the next; `done` forgets the
   * objects of the kind that no page listed. What one list knows is freed
   * with it.
   */
  listing(cluster: string, kind: FluxObjectRef['kind']) {
    let known: Promise<Map<string, string>> | undefined;
    const readKnown = () => (known ??= this.store.readKind(cluster, kind));
    return {
      page: async (
        listed: ListedStatus[],
        store: (items: Item[]) => Promise<unknown>,
      ) => {
        const before = await readKnown();
        const items: Item[] = [];
        const saved = [];
        for (const status of listed) {
          if (!status.ref) {
            items.push(...status.items);
            continue;
          }
          const key = nameKey(status.ref);
          const digests = status.items.map(digestOf);
          const fingerprint = [...new Set(digests)].sort().join(' ');
          const was = before.get(key);
          before.delete(key);
          if (was === fingerprint) continue;
          const recorded = new Set(was?.split(' '));
          items.push(
            ...status.items.filter((_, i) => !recorded.has(digests[i])),
          );
          saved.push({ ref: status.ref, fingerprint });
        }
        if (items.length) await store(items);
        await this.store.save(saved);
      },
      done: async () => {
        const gone = await readKnown();
        await this.store.forget(
          [...gone.keys()].map(key => {
            const slash = key.indexOf('/');
            return {
              cluster,
              kind,
              namespace: key.slice(0, slash),
              name: key.slice(slash + 1),
            };
          }),
        );
      },
    };
  }
}

function nameKey(ref: FluxObjectRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** A short digest (96 bits) of an observation's de-duplication keys. */
function digestOf(item: Item): string {
  return createHash('sha256')
    .update(`${item.observation.dedupKey}\n${item.occurrenceKey}`)
    .digest('base64url')
    .slice(0, 16);
}
