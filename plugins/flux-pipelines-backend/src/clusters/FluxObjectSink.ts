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
   * A list of one kind starts: its objects come page by page, then `done`
   * says the pages held the full current set (what was not paged is gone).
   * A list that fails part way is dropped without `done`; the next list
   * starts anew. `relist: true` means the watch was interrupted long enough
   * that changes may have been missed (410 Gone, restart): reconcile from
   * the objects' status.
   */
  listing(
    cluster: string,
    kind: FluxKind,
    info: { relist: boolean; apiVersion: string },
  ): FluxListReceiver;
  /**
   * Whether `changed` may be called for `kind` before the previous call's
   * promise resolved, so the next batch is prepared while the previous one is
   * stored. A sink that says yes takes overlapping calls in call order (what
   * it stores is ordered as the calls were made). Default: no.
   */
  takesOverlappingCalls?(kind: FluxKind): boolean;
}

/** Where the pages of one list go (see {@link FluxObjectSink.listing}). */
export interface FluxListReceiver {
  /** The next page of valid objects, in list order. */
  page(items: KubeObject[]): void | Promise<void>;
  /** Every page was handed over: the list is complete. */
  done(): void | Promise<void>;
}
