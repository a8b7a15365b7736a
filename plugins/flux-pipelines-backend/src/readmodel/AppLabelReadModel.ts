import { AppLabelStore, AppLabels } from '../database/AppLabelStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { LABELS_KEY, RevisionStore } from '../database/RevisionStore';
import { RevisionedCache, readThrough } from './RevisionedCache';

/** How many label lookups the read model keeps. */
const MAX_LOOKUPS = 10_000;

/**
 * The apps' labels as the pages look them up (by label and value, or the
 * values on some apps), answered from memory while no replica has changed
 * any label since (one revision for all labels: they change only when an
 * app's labels are edited or a cluster is listed again). Writes go to the
 * database, which bumps the revision in the same transaction.
 *
 * Memory: at most 10,000 lookups, each the refs or values it found.
 */
export class AppLabelReadModel implements AppLabelStore {
  private readonly cache = new RevisionedCache<
    Promise<FluxObjectRef[] | string[]>
  >(MAX_LOOKUPS);

  constructor(
    private readonly options: {
      labels: AppLabelStore;
      revisions: RevisionStore;
    },
  ) {}

  setLabels(ref: FluxObjectRef, labels: Record<string, string>) {
    return this.options.labels.setLabels(ref, labels);
  }

  replaceKind(cluster: string, kind: FluxObjectRef['kind'], apps: AppLabels[]) {
    return this.options.labels.replaceKind(cluster, kind, apps);
  }

  replaceApps(cluster: string, kind: FluxObjectRef['kind'], apps: AppLabels[]) {
    return this.options.labels.replaceApps(cluster, kind, apps);
  }

  forgetUnlisted(
    cluster: string,
    kind: FluxObjectRef['kind'],
    listed: ReadonlySet<string>,
  ) {
    return this.options.labels.forgetUnlisted(cluster, kind, listed);
  }

  async findByLabel(label: string, value: string): Promise<FluxObjectRef[]> {
    const found = await this.lookUp(['find', label, value], () =>
      this.options.labels.findByLabel(label, value),
    );
    return (found as FluxObjectRef[]).map(ref => ({ ...ref }));
  }

  async labelValues(refs: FluxObjectRef[], label: string): Promise<string[]> {
    const found = await this.lookUp(['values', label, refs], () =>
      this.options.labels.labelValues(refs, label),
    );
    return [...(found as string[])];
  }

  private lookUp(
    args: unknown[],
    read: () => Promise<FluxObjectRef[] | string[]>,
  ) {
    return readThrough({
      cache: this.cache,
      key: JSON.stringify(args),
      revisionKey: LABELS_KEY,
      revisions: this.options.revisions,
      read,
    });
  }
}
