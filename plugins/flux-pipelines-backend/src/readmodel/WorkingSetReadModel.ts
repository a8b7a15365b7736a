import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { RevisionStore, deploymentsKey } from '../database/RevisionStore';
import { objectKey } from '../domain/objectKey';

/** How many objects' working sets the read model keeps when configuration does not say. */
export const DEFAULT_READ_MODEL_MAX_TARGETS = 20_000;

/** Revision of an object whose deployments were never changed through the tracker. */
const NEVER_BUMPED = '0';

interface Entry {
  revision: string;
  deployments: TargetDeployment[];
}

/**
 * The working sets of the pipelines' targets in memory, for the pages: a
 * {@link DeploymentStore} whose `listWorkingSet` answers from memory what is
 * still current, and reads from the database only the objects whose
 * deployments changed since (by this or another replica). What is current is
 * decided per call by one small read of the objects' revisions (see
 * {@link RevisionStore}), which the ingest bumps in the transaction that
 * changes the deployments: an answer is never older than the last committed
 * change, so a `deployments-changed` signal (published after the commit)
 * always finds the change readable.
 *
 * Memory: per object, its working set (at most `WORKING_SET_RECENT` recent
 * versions plus those deployed or in progress, a few kB); at most `maxTargets`
 * objects, the least recently asked for dropped first.
 */
export class WorkingSetReadModel implements DeploymentStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      deployments: DeploymentStore;
      revisions: RevisionStore;
      maxTargets?: number;
    },
  ) {}

  listForObject(ref: FluxObjectRef): Promise<TargetDeployment[]> {
    return this.options.deployments.listForObject(ref);
  }

  listForObjects(refs: FluxObjectRef[]): Promise<TargetDeployment[]> {
    return this.options.deployments.listForObjects(refs);
  }

  save(deployments: TargetDeployment[]): Promise<void> {
    return this.options.deployments.save(deployments);
  }

  /**
   * As {@link DeploymentStore.listWorkingSet}; extra `versions` outside the
   * cached working set are read from the database each time (rare: a version
   * running downstream that an upstream target deployed long ago). Every
   * deployment returned is a copy the caller may change.
   */
  async listWorkingSet(
    targets: Array<{ ref: FluxObjectRef; versions: string[] }>,
  ): Promise<TargetDeployment[]> {
    const keys = targets.map(t => objectKey(t.ref));
    const revisions = await this.options.revisions.read(
      keys.map(deploymentsKey),
    );
    const revisionOf = (key: string) =>
      revisions.get(deploymentsKey(key)) ?? NEVER_BUMPED;
    const stale = targets.filter(
      (t, i) => this.entries.get(keys[i])?.revision !== revisionOf(keys[i]),
    );
    if (stale.length) {
      const loaded = await this.options.deployments.listWorkingSet(
        stale.map(t => ({ ref: t.ref, versions: [] })),
      );
      const byKey = new Map(stale.map(t => [objectKey(t.ref), [] as TargetDeployment[]]));
      for (const d of loaded) byKey.get(objectKey(d))?.push(d);
      for (const [key, deployments] of byKey) {
        this.entries.delete(key);
        this.entries.set(key, { revision: revisionOf(key), deployments });
      }
    }
    const found = new Map<string, TargetDeployment>();
    const extra: Array<{ ref: FluxObjectRef; versions: string[] }> = [];
    targets.forEach((target, i) => {
      const entry = this.touch(keys[i]);
      for (const d of entry?.deployments ?? []) {
        found.set(objectKey(d, d.chartVersion), d);
      }
      const versions = target.versions.filter(
        v => !found.has(objectKey(target.ref, v)),
      );
      if (versions.length) extra.push({ ref: target.ref, versions });
    });
    if (extra.length) {
      const wanted = new Set(
        extra.flatMap(e => e.versions.map(v => objectKey(e.ref, v))),
      );
      for (const d of await this.options.deployments.listWorkingSet(extra)) {
        const key = objectKey(d, d.chartVersion);
        if (wanted.has(key)) found.set(key, d);
      }
    }
    this.evict();
    return [...found.values()].map(d => ({ ...d }));
  }

  /** The entry of `key`, now the most recently used. */
  private touch(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private evict() {
    const max = this.options.maxTargets ?? DEFAULT_READ_MODEL_MAX_TARGETS;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(key);
    }
  }
}
