import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { DeploymentStore, newestFirst } from '../database/DeploymentStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { RevisionStore, deploymentsKey } from '../database/RevisionStore';
import { objectKey } from '../domain/objectKey';
import { RevisionedCache } from './RevisionedCache';

/** How many objects' working sets the read model keeps when configuration does not say. */
export const DEFAULT_READ_MODEL_MAX_TARGETS = 10_000;
/** The longest whole history of an object kept (longer ones are read each time). */
const MAX_HISTORY = 200;

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
 * versions plus those deployed or in progress: about 12 deployments, ~7 kB
 * with typical messages); at most `maxTargets`
 * objects, the least recently asked for dropped first. The same again for
 * whole histories of at most 200 deployments (the Kustomizations that
 * applied the apps, read for where a change came from).
 */
export class WorkingSetReadModel implements DeploymentStore {
  private readonly cache: RevisionedCache<TargetDeployment[]>;
  private readonly histories: RevisionedCache<TargetDeployment[]>;

  constructor(
    private readonly options: {
      deployments: DeploymentStore;
      revisions: RevisionStore;
      maxTargets?: number;
    },
  ) {
    const max = options.maxTargets ?? DEFAULT_READ_MODEL_MAX_TARGETS;
    this.cache = new RevisionedCache(max);
    this.histories = new RevisionedCache(max);
  }

  listForObject(ref: FluxObjectRef): Promise<TargetDeployment[]> {
    return this.options.deployments.listForObject(ref);
  }

  /** As {@link DeploymentStore.listForObjects}, whole histories of at most 200 from memory while current. */
  async listForObjects(refs: FluxObjectRef[]): Promise<TargetDeployment[]> {
    if (!refs.length) return [];
    const unique = [...new Map(refs.map(r => [objectKey(r), r])).values()];
    const keys = unique.map(ref => objectKey(ref));
    const revisions = await this.options.revisions.read(
      keys.map(deploymentsKey),
    );
    const found: TargetDeployment[] = [];
    const stale: FluxObjectRef[] = [];
    unique.forEach((ref, i) => {
      const revision = revisions.get(deploymentsKey(keys[i]));
      const cached = this.histories.get(keys[i], revision);
      if (cached) found.push(...cached);
      else stale.push(ref);
    });
    if (stale.length) {
      const loaded = await this.options.deployments.listForObjects(stale);
      const byObject = new Map<string, TargetDeployment[]>();
      for (const d of loaded) {
        byObject.set(objectKey(d), [...(byObject.get(objectKey(d)) ?? []), d]);
      }
      for (const ref of stale) {
        const key = objectKey(ref);
        const list = byObject.get(key) ?? [];
        if (list.length <= MAX_HISTORY) {
          this.histories.set(key, revisions.get(deploymentsKey(key)), list);
        }
      }
      found.push(...loaded);
    }
    return found.sort(newestFirst).map(d => ({ ...d }));
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
    const sets = new Map<string, TargetDeployment[]>();
    const stale: FluxObjectRef[] = [];
    targets.forEach((t, i) => {
      const cached = this.cache.get(
        keys[i],
        revisions.get(deploymentsKey(keys[i])),
      );
      if (cached) sets.set(keys[i], cached);
      else if (!sets.has(keys[i])) {
        sets.set(keys[i], []);
        stale.push(t.ref);
      }
    });
    if (stale.length) {
      const loaded = await this.options.deployments.listWorkingSet(
        stale.map(ref => ({ ref, versions: [] })),
      );
      for (const d of loaded) sets.get(objectKey(d))?.push(d);
      for (const ref of stale) {
        const key = objectKey(ref);
        this.cache.set(key, revisions.get(deploymentsKey(key)), sets.get(key)!);
      }
    }
    const found = new Map<string, TargetDeployment>();
    const extra: Array<{ ref: FluxObjectRef; versions: string[] }> = [];
    targets.forEach((target, i) => {
      for (const d of sets.get(keys[i])!) {
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
    return [...found.values()].map(d => ({ ...d }));
  }
}
