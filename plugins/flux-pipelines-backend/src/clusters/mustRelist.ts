import { RequestFailure } from './describeError';

/**
 * Whether to list again instead of resuming from the last resourceVersion:
 * after 410 Gone; after 504, which a watch gets for a resourceVersion the
 * server does not have yet ("Too large resource version": its versions went
 * back, e.g. etcd restored from a backup; client-node's watch reports only
 * the status, not that message, and any 504 makes a new list the safe
 * choice); and after the server could not be reached at all (no HTTP status),
 * because an API server that comes back may count its resourceVersions anew,
 * and a resumed watch would then silently skip whatever it wrote before the
 * reconnect.
 */
export function mustRelist(failure: RequestFailure): boolean {
  return (
    failure.status === undefined ||
    failure.status === 410 ||
    failure.status === 504
  );
}
