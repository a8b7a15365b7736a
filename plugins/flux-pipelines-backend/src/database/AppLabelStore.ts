import { FluxObjectRef } from './ObservationStore';

/**
 * Recorded as if it were a label on HelmReleases with `spec.test.enable`:
 * their versions count as succeeded for promotion only once the Helm tests
 * passed.
 */
export const HELM_TESTS_LABEL = 'flux-pipelines.io/helm-tests';

/** The labels of one watched HelmRelease or Kustomization. */
export interface AppLabels {
  ref: FluxObjectRef;
  labels: Record<string, string>;
}

/**
 * Remembers the labels of the watched apps (HelmReleases, Kustomizations), so
 * catalog entities can be linked by label (`backstage.io/kubernetes-id`).
 */
export interface AppLabelStore {
  /** Replaces the labels of one object; no labels forgets it. */
  setLabels(ref: FluxObjectRef, labels: Record<string, string>): Promise<void>;
  /** Replaces the labels of every object of one kind on one cluster (after a list). */
  replaceKind(
    cluster: string,
    kind: FluxObjectRef['kind'],
    apps: AppLabels[],
  ): Promise<void>;
  /**
   * Replaces the labels of these objects, all of one cluster and kind (a page
   * of a list); writes and bumps the revision only when some differ.
   */
  replaceApps(
    cluster: string,
    kind: FluxObjectRef['kind'],
    apps: AppLabels[],
  ): Promise<void>;
  /**
   * Forgets the labels of the objects of one kind on one cluster whose
   * `namespace/name` is not in `listed` (after the last page of a list).
   */
  forgetUnlisted(
    cluster: string,
    kind: FluxObjectRef['kind'],
    listed: ReadonlySet<string>,
  ): Promise<void>;
  /** The objects carrying `label` with `value`, on any cluster. */
  findByLabel(label: string, value: string): Promise<FluxObjectRef[]>;
  /** The values of `label` on any of `refs` (each value once). */
  labelValues(refs: FluxObjectRef[], label: string): Promise<string[]>;
}
