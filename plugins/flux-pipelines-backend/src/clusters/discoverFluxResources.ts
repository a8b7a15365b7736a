import { ApisApi, KubeConfig } from '@kubernetes/client-node';
import { EventApi } from './ClusterDefinition';
import { ResourceRef, abortable } from './listResource';

/** The kinds of object a Flux cluster watcher follows. */
export type FluxKind =
  | 'Event'
  | 'HelmRelease'
  | 'Kustomization'
  | 'Pipeline'
  | 'Canary';

export interface FluxResource extends ResourceRef {
  kind: FluxKind;
}

/** HelmRelease versions we understand, preferred first. */
export const HELM_RELEASE_VERSIONS = ['v2', 'v2beta2', 'v2beta1'];

/**
 * Asks the cluster's discovery API (`/apis`) which Flux APIs it serves and
 * returns the resources to watch: Events (from `eventApis`), HelmReleases in the
 * best served version, Kustomizations v1, WGE Pipelines v1alpha1 and Flagger
 * Canaries v1beta1 when served.
 */
export async function discoverFluxResources(
  kc: KubeConfig,
  eventApis: EventApi[],
  signal: AbortSignal,
): Promise<FluxResource[]> {
  const groups = await kc
    .makeApiClient(ApisApi)
    .getAPIVersions({}, abortable(signal));
  const served = (group: string) =>
    groups.groups.find(g => g.name === group)?.versions.map(v => v.version) ??
    [];

  const resources: FluxResource[] = [];
  if (eventApis.includes('core')) {
    resources.push({
      kind: 'Event',
      group: '',
      version: 'v1',
      plural: 'events',
    });
  }
  if (
    eventApis.includes('events.k8s.io') &&
    served('events.k8s.io').includes('v1')
  ) {
    resources.push({
      kind: 'Event',
      group: 'events.k8s.io',
      version: 'v1',
      plural: 'events',
    });
  }
  const helmVersions = served('helm.toolkit.fluxcd.io');
  const helmVersion = HELM_RELEASE_VERSIONS.find(v => helmVersions.includes(v));
  if (helmVersion) {
    resources.push({
      kind: 'HelmRelease',
      group: 'helm.toolkit.fluxcd.io',
      version: helmVersion,
      plural: 'helmreleases',
    });
  }
  if (served('kustomize.toolkit.fluxcd.io').includes('v1')) {
    resources.push({
      kind: 'Kustomization',
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      plural: 'kustomizations',
    });
  }
  if (served('pipelines.weave.works').includes('v1alpha1')) {
    resources.push({
      kind: 'Pipeline',
      group: 'pipelines.weave.works',
      version: 'v1alpha1',
      plural: 'pipelines',
    });
  }
  if (served('flagger.app').includes('v1beta1')) {
    resources.push({
      kind: 'Canary',
      group: 'flagger.app',
      version: 'v1beta1',
      plural: 'canaries',
    });
  }
  return resources;
}
