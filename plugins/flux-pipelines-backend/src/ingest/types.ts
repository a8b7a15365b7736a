import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import type { OwningControllers } from './owningController';

/** Where the input came from, as known to the caller (not to the input). */
export interface NormaliseContext {
  /** The cluster the input was read from or posted for. */
  cluster: string;
  /**
   * Per kind, the controllers whose events count as evidence; default
   * {@link DEFAULT_OWNING_CONTROLLERS}.
   */
  controllers?: OwningControllers;
  /**
   * The reporter named by the transport rather than the body (a webhook's
   * `Gotk-Component` header); when present it must be an owning controller too.
   */
  reportedBy?: string;
}

/**
 * The result of normalising one input.
 *
 * - `ok: true` with zero or more observations. An input that is well formed but
 *   says nothing the pipelines care about (a trace event, another kind) gives
 *   an empty list and an `ignored` note.
 * - `ok: false` when the input has an unknown or malformed shape; `object`
 *   names it (`namespace/name`) when that much could be read, so the caller can
 *   log one warning and carry on.
 */
export type NormaliseResult =
  | { ok: true; observations: Observation[]; ignored?: string }
  | { ok: false; reason: string; object?: string; rule?: string };

export function accepted(observations: Observation[]): NormaliseResult {
  return { ok: true, observations };
}

export function ignored(why: string): NormaliseResult {
  return { ok: true, observations: [], ignored: why };
}

/**
 * Refuses an input. `rule` names the trust rule (config key) that refused it,
 * when the input is well formed but not evidence; callers rate-limit those
 * warnings, as anyone who can write Events can write many.
 */
export function rejected(
  reason: string,
  object?: string,
  rule?: string,
): NormaliseResult {
  return {
    ok: false,
    reason,
    ...(object ? { object } : {}),
    ...(rule ? { rule } : {}),
  };
}

/**
 * Wraps a normaliser so that it never throws, whatever it is given. A throw is
 * a bug; it is reported as `internal error: ...` so tests can spot it.
 */
export function neverThrows<A extends unknown[]>(
  what: string,
  fn: (...args: A) => NormaliseResult,
): (...args: A) => NormaliseResult {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (e) {
      const msg = e instanceof Error ? e.message : 'unknown';
      return rejected(`internal error in ${what}: ${msg.slice(0, 200)}`);
    }
  };
}
