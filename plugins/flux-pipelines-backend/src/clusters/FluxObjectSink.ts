import { FluxKind } from './discoverFluxResources';
import { KubeObject } from './listResource';
import { WatchEventType } from './ResourceWatcher';

/** What a watch event was, and from which API. */
export interface FluxChange {
  type: WatchEventType;
  /** `group/version` (or `v1` for core Events) the object was served as. */
  apiVersion: string;
}

/**
 * Receives raw objects from the cluster watchers. Calls for one resource of one
 * cluster come in order; a returned promise is awaited before the next call.
 * A method that throws only loses that object (reported through `onInvalid`).
 */
export interface FluxObjectSink {
  event(
    cluster: string,
    event: KubeObject,
    change: FluxChange,
  ): void | Promise<void>;
  helmRelease(
    cluster: string,
    release: KubeObject,
    change: FluxChange,
  ): void | Promise<void>;
  kustomization(
    cluster: string,
    kustomization: KubeObject,
    change: FluxChange,
  ): void | Promise<void>;
  pipeline(
    cluster: string,
    pipeline: KubeObject,
    change: FluxChange,
  ): void | Promise<void>;
  /**
   * The full current set of one kind after a list. `relist: true` means the
   * watch was interrupted long enough that changes may have been missed
   * (410 Gone, restart): reconcile from the objects' status.
   */
  synced(
    cluster: string,
    kind: FluxKind,
    items: KubeObject[],
    info: { relist: boolean; apiVersion: string },
  ): void | Promise<void>;
}
