/**
 * Who may speak for a Flux object. Anyone who can write Events in a
 * namespace (a tenant) can write an Event about a HelmRelease in it, and can
 * post one to notification-controller's event receiver. Only the controller
 * that reconciles the object's kind knows what it did, so only its events are
 * evidence.
 */

export type OwnedKind = 'HelmRelease' | 'Kustomization';

/** Per kind, the names the owning controller reports events under. */
export type OwningControllers = Record<OwnedKind, string[]>;

/** The names Flux's own controllers use (`source.component`, `reportingController`). */
export const DEFAULT_OWNING_CONTROLLERS: OwningControllers = {
  HelmRelease: ['helm-controller'],
  Kustomization: ['kustomize-controller'],
};

/** The config key that names the owning controllers; refusals name it. */
export const CONTROLLERS_RULE = 'fluxPipelines.evidence.controllers';

const MAX_SHOWN = 64;

/**
 * Checks who reported an event about an object of `kind`. `reported` holds
 * every field of the input that names the reporter (e.g. core/v1
 * `source.component` and `reportingComponent`); each one present must name an
 * owning controller of the kind, and at least one must be present. Returns
 * undefined when the event may count, else the reason to refuse it.
 */
export function controllerProblem(
  kind: OwnedKind,
  reported: unknown[],
  controllers: OwningControllers = DEFAULT_OWNING_CONTROLLERS,
): string | undefined {
  const allowed = controllers[kind] ?? [];
  const named = reported.filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  const stranger = named.find(v => !allowed.includes(v));
  if (named.length && stranger === undefined) return undefined;
  const by =
    stranger === undefined
      ? 'names no reporting controller'
      : `is reported by ${JSON.stringify(stranger.slice(0, MAX_SHOWN))}`;
  return `refused by ${CONTROLLERS_RULE}: a ${kind} event counts only from ${allowed.join(
    ' or ',
  )}; this one ${by}`;
}
