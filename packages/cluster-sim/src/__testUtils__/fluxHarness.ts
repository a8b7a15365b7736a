import { ManualClock } from '../clock';
import { applyObjects } from '../startClusterSim';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES } from '../store/resourceTypes';
import { KubeObject } from '../store/types';
import { podinfoRelease } from '../__testUtils__/clients';
import { FluxSimulator, FluxSimulatorOptions } from '../flux/FluxSimulator';
import { HELM_RELEASE } from '../flux/HelmReleaseSimulator';

const EVENTS = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

/** A store + Flux simulator on a manual clock, with podinfo 6.5.0 installed in `dev` (test helper). */
export function fluxHarness(
  options: {
    hr?: Record<string, unknown>;
    sim?: Partial<FluxSimulatorOptions>;
    objects?: KubeObject[];
  } = {},
) {
  const clock = new ManualClock();
  const store = new ResourceStore({ clock });
  applyObjects(store, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } },
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'podinfo', namespace: 'dev' },
      spec: { url: 'https://stefanprodan.github.io/podinfo' },
    },
    ...(options.objects ?? []),
    { ...podinfoRelease('dev', '6.5.0', options.hr ?? {}) },
  ]);
  const simulator = new FluxSimulator({
    store,
    clock,
    releaseDurationMs: 2000,
    testDurationMs: 1000,
    rollbackDurationMs: 1000,
    retryIntervalMs: 3000,
    ...options.sim,
  });
  simulator.settleAll();
  simulator.start();
  return {
    clock,
    store,
    simulator,
    hr: () => store.get(HELM_RELEASE, 'dev', 'podinfo'),
    /** Sets the desired chart version (and optionally values), as a commit would. */
    release(version: string, values?: Record<string, unknown>) {
      store.mutate(HELM_RELEASE, 'dev', 'podinfo', o => {
        o.spec.chart.spec.version = version;
        if (values) o.spec.values = values;
      });
    },
    /** Events in creation order, reduced to what a reader of FLUX.md §1 checks. */
    events: () =>
      store
        .list(EVENTS, 'dev')
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
        .map(e => ({
          type: e.type,
          reason: e.reason,
          message: e.message,
          annotations: e.metadata.annotations as Record<string, string>,
          count: e.count,
        })),
    condition: (type: string) =>
      (store.get(HELM_RELEASE, 'dev', 'podinfo').status?.conditions ?? []).find(
        (c: any) => c.type === type,
      ),
  };
}
