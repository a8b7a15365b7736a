import { KubeObject } from '../clusters/listResource';
import { AppLabelStore } from '../database/AppLabelStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { appRef, labelsOf } from './appObjects';

type AppKind = FluxObjectRef['kind'];

/**
 * Writes the labels of the watched HelmReleases and Kustomizations to the
 * {@link AppLabelStore}: one object at a time from the watch (unchanged
 * labels are not rewritten), and a list page by page, after whose last page
 * the labels of the objects no page held are forgotten.
 *
 * Memory: per object watched, its `namespace/name` and its labels as JSON
 * (one map per cluster and kind); per list in progress, the `namespace/name`
 * of each object listed so far.
 */
export class AppLabelWriter {
  /** Per cluster and kind, per `namespace/name`, the labels last written. */
  private readonly written = new Map<string, Map<string, string>>();

  constructor(private readonly store?: AppLabelStore) {}

  /** One object the watch reported; a deleted one has no labels. */
  async changed(
    cluster: string,
    kind: AppKind,
    object: KubeObject,
    deleted: boolean,
  ) {
    const ref = appRef(cluster, kind, object);
    if (!this.store || !ref) return;
    const written = this.writtenOf(cluster, kind);
    const labels = deleted ? {} : labelsOf(object, kind);
    const json = JSON.stringify(labels);
    if (written.get(nameOf(ref)) === json) return;
    await this.store.setLabels(ref, labels);
    written.set(nameOf(ref), json);
  }

  /** Where the pages of one list of `kind` on `cluster` go. */
  listing(cluster: string, kind: AppKind) {
    const listed = new Set<string>();
    return {
      page: async (items: KubeObject[]) => {
        const apps = items.flatMap(item => {
          const ref = appRef(cluster, kind, item);
          return ref ? [{ ref, labels: labelsOf(item, kind) }] : [];
        });
        // Listed even if storing fails: `done` must not forget them.
        for (const { ref } of apps) listed.add(nameOf(ref));
        if (!this.store) return;
        await this.store.replaceApps(cluster, kind, apps);
        const written = this.writtenOf(cluster, kind);
        for (const { ref, labels } of apps) {
          written.set(nameOf(ref), JSON.stringify(labels));
        }
      },
      done: async () => {
        if (!this.store) return;
        await this.store.forgetUnlisted(cluster, kind, listed);
        const written = this.writtenOf(cluster, kind);
        for (const name of [...written.keys()]) {
          if (!listed.has(name)) written.delete(name);
        }
      },
    };
  }

  private writtenOf(cluster: string, kind: AppKind): Map<string, string> {
    const key = JSON.stringify([cluster, kind]);
    let written = this.written.get(key);
    if (!written) this.written.set(key, (written = new Map()));
    return written;
  }
}

function nameOf(ref: FluxObjectRef): string {
  return `${ref.namespace}/${ref.name}`;
}
