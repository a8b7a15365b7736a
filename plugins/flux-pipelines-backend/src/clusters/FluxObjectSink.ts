import { FluxKind } from './discoverFluxResources';
import { KubeObject } from './listResource';
import { WatchEventType } from './ResourceWatcher';

/** What a watch event was, and from which API. */
export interface FluxChange {
  type: WatchEventType;
  /** `group/version` (or `v1` for core Events) the object was served as. */
  apiVersion: string;
}

/** One object that changed, and how. */
export interface FluxObjectChange {
  object: KubeObject;
  change: FluxChange;
}

/**
 * Receives raw objects from the cluster watchers. Calls for one resource of one
 * cluster come in order; a returned promise is awaited before the next call.
 * A call that throws only loses those objects (reported through `onInvalid`).
 */
export interface FluxObjectSink {
  /**
   * Objects of one kind that changed, in the order the watch reported them:
   * one when the watch is quiet, many at once when changes arrive faster than
   * they are handled.
   */
  changed(
    cluster: string,
    kind: FluxKind,
    changes: FluxObjectChange[],
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
  /**
   * Whether `changed` may be called for `kind` before the previous call's
   * promise resolved, so the next batch is prepared while the previous one is
   * stored. A sink that says yes takes overlapping calls in call order (what
   * it stores is ordered as the calls were made). Default: no.
   */
  takesOverlappingCalls?(kind: FluxKind): boolean;
}
