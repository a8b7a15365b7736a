import { Clock, formatGoDuration, parseDuration, toRfc3339 } from '../clock';
import { setProgressing } from '../flux/conditions';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES, findResourceTypeByKind } from '../store/resourceTypes';
import { KubeObject } from '../store/types';

const KUSTOMIZATION = RESOURCE_TYPES.find(t => t.kind === 'Kustomization')!;

/** An object a Kustomization waits for: `Kind/namespace/name`, as kstatus names it. */
export interface HealthTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type HealthResult =
  | { healthy: true; message: string }
  | { healthy: false; message: string };

/**
 * The objects a Kustomization's health check covers: all it applied with `spec.wait: true`,
 * else those in `spec.healthChecks` (namespace defaulting to the Kustomization's); none otherwise.
 */
export function healthTargets(
  ks: KubeObject,
  applied: HealthTarget[],
): HealthTarget[] {
  if (ks.spec?.wait === true) return applied;
  return (ks.spec?.healthChecks ?? []).map((h: HealthTarget) => ({
    ...h,
    namespace: h.namespace ?? ks.metadata.namespace,
  }));
}

/** kstatus' verdict on one object: Current, InProgress, Failed or NotFound. */
export function objectStatus(
  store: ResourceStore,
  target: HealthTarget,
): string {
  const type = findResourceTypeByKind(target.apiVersion, target.kind);
  const o = type && store.tryGet(type, target.namespace, target.name);
  if (!o) return 'NotFound';
  if (!type.hasStatus || !type.custom) return 'Current';
  if (o.kind === 'Canary') {
    // Flagger canaries: as Flux's health checks read them.
    if (o.status?.phase === 'Failed') return 'Failed';
    return ['Succeeded', 'Initialized'].includes(o.status?.phase)
      ? 'Current'
      : 'InProgress';
  }
  if ((o.status?.observedGeneration ?? 0) < (o.metadata.generation ?? 0))
    return 'InProgress';
  const ready = (o.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  if (ready?.status === 'True') return 'Current';
  if (
    ready?.status === 'False' &&
    o.status?.conditions?.some(
      (c: any) => c.type === 'Stalled' && c.status === 'True',
    )
  )
    return 'Failed';
  return 'InProgress';
}

/**
 * Waits, on the stand-in's clock, until every target is Current (`Health check passed in <dur>`)
 * or the timeout passes or one Failed (`health check failed after <dur>: ...`), as
 * kustomize-controller words it (FLUX.md §2).
 */
export async function waitForHealth(options: {
  store: ResourceStore;
  clock: Clock;
  targets: HealthTarget[];
  timeout: string;
  pollMs?: number;
  stopped: () => boolean;
}): Promise<HealthResult> {
  const { store, clock, targets } = options;
  const started = clock.now();
  const deadline = started + parseDuration(options.timeout);
  for (;;) {
    const statuses = targets.map(t => ({ t, s: objectStatus(store, t) }));
    const elapsed = formatGoDuration(Math.max(1, clock.now() - started));
    const waiting = statuses.filter(x => x.s !== 'Current');
    if (!waiting.length)
      return { healthy: true, message: `Health check passed in ${elapsed}` };
    const failed = waiting.some(x => x.s === 'Failed');
    if (failed || clock.now() >= deadline || options.stopped()) {
      const list = waiting
        .map(
          ({ t, s }) =>
            `${t.kind}/${t.namespace ? `${t.namespace}/` : ''}${
              t.name
            } status: '${s}'`,
        )
        .join(', ');
      return {
        healthy: false,
        message: `health check failed after ${elapsed}: ${
          failed ? 'failed' : 'timeout'
        } waiting for: [${list}]`,
      };
    }
    await new Promise<void>(r =>
      clock.setTimeout(
        r,
        Math.min(options.pollMs ?? 1000, deadline - clock.now()),
      ),
    );
  }
}

/**
 * Marks the Kustomization Reconciling (`Running health checks for revision <rev> with a timeout
 * of <dur>`, Ready Unknown) and waits for its targets, as kustomize-controller does after applying.
 */
export async function checkHealth(options: {
  store: ResourceStore;
  clock: Clock;
  ks: KubeObject;
  revision: string;
  targets: HealthTarget[];
  stopped: () => boolean;
}): Promise<HealthResult> {
  const { store, clock, ks } = options;
  const timeout = ks.spec?.timeout ?? ks.spec?.interval ?? '10m';
  const message = `Running health checks for revision ${
    options.revision
  } with a timeout of ${formatGoDuration(parseDuration(timeout))}`;
  store.mutate(
    KUSTOMIZATION,
    ks.metadata.namespace,
    ks.metadata.name,
    o => {
      setProgressing((o.status ??= {}), message, toRfc3339(clock.now()));
    },
    { subresource: 'status' },
  );
  return waitForHealth({ ...options, timeout });
}
