export { readClusters } from './readClusters';
export type { ClusterConfigWarnings } from './readClusters';
export { toKubeConfig } from './toKubeConfig';
export { Secret } from './ClusterDefinition';
export type {
  ClusterAuth,
  ClusterDefinition,
  ClusterSource,
  EventApi,
} from './ClusterDefinition';
export { ResourceWatcher } from './ResourceWatcher';
export type {
  ResourceWatcherOptions,
  WatchChange,
  WatchEventType,
  WatchStatus,
} from './ResourceWatcher';
export { FluxClusterWatcher } from './FluxClusterWatcher';
export type {
  ClusterHealth,
  FluxClusterWatcherOptions,
} from './FluxClusterWatcher';
export type {
  FluxChange,
  FluxObjectChange,
  FluxObjectSink,
} from './FluxObjectSink';
export type { FluxKind } from './discoverFluxResources';
export type { KubeObject, ResourceRef } from './listResource';
