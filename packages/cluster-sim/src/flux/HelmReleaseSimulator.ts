import { Clock } from '../clock';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES } from '../store/resourceTypes';
import { KubeObject } from '../store/types';
import { DesiredRelease, readDesiredRelease } from './desiredRelease';
import { EventRecorder } from './EventRecorder';
import { HelmEventStyle } from './helmEventStyles';
import { Snapshot } from './releaseHistory';
import { ReleaseRunner } from './ReleaseRunner';
import { ReleaseStatusWriter } from './ReleaseStatusWriter';

export const HELM_RELEASE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;

/** What the simulated Helm does with the next attempt of a release. */
export type ReleaseOutcome = 'success' | 'fail' | 'test-fail';

export interface HelmReleaseSimulatorOptions {
  store: ResourceStore;
  clock: Clock;
  recorder: EventRecorder;
  releaseDurationMs: number;
  testDurationMs: number;
  rollbackDurationMs: number;
  retryIntervalMs: number;
  testHooks: number;
  appVersionFor: (chart: string, version: string) => string;
  outcomeFor: (hr: KubeObject, desired: DesiredRelease) => ReleaseOutcome;
  styleFor: (hr: KubeObject) => HelmEventStyle;
}

/**
 * Plays helm-controller v1.x for HelmReleases: when the desired chart version or values change it
 * runs install/upgrade (Reconciling/Progressing meanwhile), tests, rollback remediation and retries,
 * writing status.history, lastAttempted* fields, conditions and the controller's events.
 */
export class HelmReleaseSimulator {
  private readonly busy = new Set<string>();
  private readonly dirty = new Set<string>();
  private stopped = false;

  private readonly writer: ReleaseStatusWriter;
  private readonly runner: ReleaseRunner;

  constructor(private readonly o: HelmReleaseSimulatorOptions) {
    this.writer = new ReleaseStatusWriter(o);
    this.runner = new ReleaseRunner(o, this.writer, () => this.stopped);
  }

  stop() {
    this.stopped = true;
  }

  /** Looks at one HelmRelease and starts a release if its desired state changed. */
  kick(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    if (this.stopped) return;
    if (this.busy.has(key)) {
      this.dirty.add(key);
      return;
    }
    const hr = this.o.store.tryGet(HELM_RELEASE, namespace, name);
    if (!hr || hr.spec?.suspend) return;
    const d = readDesiredRelease(hr, this.o.store, this.o.appVersionFor);
    const st = hr.status ?? {};
    const changed =
      st.lastAttemptedGeneration !== d.generation ||
      st.lastAttemptedRevision !== d.version ||
      st.lastAttemptedConfigDigest !== d.configDigest;
    if (!changed) return;
    const latest: Snapshot | undefined = st.history?.[0];
    const inSync =
      latest?.status === 'deployed' &&
      latest.chartVersion === d.version &&
      latest.configDigest === d.configDigest;
    this.busy.add(key);
    const run = inSync
      ? this.markInSync(hr, d)
      : this.runner.release(hr, d, latest ? 'upgrade' : 'install', true);
    run
      .catch(() => undefined)
      .finally(() => {
        this.busy.delete(key);
        if (this.dirty.delete(key)) this.kick(namespace, name);
      });
  }

  /** Marks a HelmRelease installed long ago (see {@link ReleaseStatusWriter.settle}). */
  settle(namespace: string, name: string): void {
    this.writer.settle(namespace, name);
  }

  private async markInSync(hr: KubeObject, d: DesiredRelease) {
    this.writer.patchStatus(hr, s => {
      s.lastAttemptedGeneration = d.generation;
      s.observedGeneration = d.generation;
    });
  }
}
