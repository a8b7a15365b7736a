import { formatGoDuration, toRfc3339 } from '../clock';
import { KubeObject } from '../store/types';
import { setCondition, summarizeReady } from './conditions';
import { DesiredRelease, readDesiredRelease } from './desiredRelease';
import { RecordedEvent } from './EventRecorder';
import { HelmEventStyle } from './helmEventStyles';
import { helmMessages as m } from './helmMessages';
import {
  HELM_RELEASE,
  HelmReleaseSimulatorOptions,
} from './HelmReleaseSimulator';
import { Snapshot, pushRelease, testHooks } from './releaseHistory';

/** What a release attempt does. */
export type ReleaseAction = 'install' | 'upgrade';

/** Writes a HelmRelease's status the way helm-controller patches it, and records its events. */
export class ReleaseStatusWriter {
  constructor(private readonly o: HelmReleaseSimulatorOptions) {}

  /**
   * Writes the status of a release that was installed before the simulation began (no events):
   * history v1 deployed, Released/TestSuccess/Ready True.
   */
  settle(namespace: string, name: string): void {
    const hr = this.o.store.tryGet(HELM_RELEASE, namespace, name);
    if (!hr || hr.status?.history?.length) return;
    const d = readDesiredRelease(hr, this.o.store, this.o.appVersionFor);
    const now = this.o.clock.now();
    // It finished just now: installed a release duration (and its tests) ago.
    const tested = now - (d.testEnabled ? this.o.testDurationMs : 0);
    const started = tested - this.o.releaseDurationMs;
    this.patchStatus(hr, s => {
      s.history = pushRelease(
        [],
        this.entry(d, 'install', 'deployed'),
        d,
        now,
        started,
      );
      const v = s.history[0].version;
      if (d.testEnabled)
        s.history[0].testHooks = testHooks(
          d.release.name,
          this.o.testHooks,
          'Succeeded',
          tested,
          now,
        );
      Object.assign(s, {
        helmChart: `${namespace}/${namespace}-${name}`,
        lastAttemptedGeneration: d.generation,
        lastAttemptedRevision: d.version,
        lastAttemptedConfigDigest: d.configDigest,
        lastAttemptedReleaseAction: 'install',
        lastAttemptedReleaseActionDuration: formatGoDuration(
          this.o.releaseDurationMs,
        ),
        observedGeneration: d.generation,
        failures: 0,
        ...(d.ociDigest ? { lastAttemptedRevisionDigest: d.ociDigest } : {}),
      });
      this.condition(
        s,
        'Released',
        'True',
        'InstallSucceeded',
        m.installSucceeded(d.release, v, d),
        d,
      );
      if (d.testEnabled) {
        this.condition(
          s,
          'TestSuccess',
          'True',
          'TestSucceeded',
          m.testSucceeded(d.release, v, d, this.o.testHooks),
          d,
        );
      }
      this.summarize(s, d);
    });
  }

  entry(
    d: DesiredRelease,
    action: Snapshot['action'],
    status: Snapshot['status'],
  ) {
    return {
      status,
      action,
      chartName: d.chart,
      chartVersion: d.version,
      appVersion: d.appVersion,
      configDigest: d.configDigest,
      ...(d.ociDigest ? { ociDigest: d.ociDigest } : {}),
    };
  }

  countFailure(s: any, action: ReleaseAction) {
    if (action === 'install') s.installFailures = (s.installFailures ?? 0) + 1;
    else s.upgradeFailures = (s.upgradeFailures ?? 0) + 1;
  }

  condition(
    s: any,
    type: string,
    status: 'True' | 'False' | 'Unknown',
    reason: string,
    message: string,
    d: DesiredRelease,
  ) {
    setCondition(
      s,
      { type, status, reason, message, observedGeneration: d.generation },
      toRfc3339(this.o.clock.now()),
    );
  }

  summarize(s: any, d: DesiredRelease) {
    summarizeReady(s, {
      testsCount: d.testEnabled && !d.ignoreTestFailures,
      generation: d.generation,
      now: toRfc3339(this.o.clock.now()),
    });
  }

  current(hr: KubeObject) {
    return (
      this.o.store.tryGet(
        HELM_RELEASE,
        hr.metadata.namespace,
        hr.metadata.name,
      ) ?? hr
    );
  }

  patchStatus(hr: KubeObject, change: (status: any) => void) {
    if (
      !this.o.store.tryGet(
        HELM_RELEASE,
        hr.metadata.namespace,
        hr.metadata.name,
      )
    )
      return;
    this.o.store.mutate(
      HELM_RELEASE,
      hr.metadata.namespace,
      hr.metadata.name,
      obj => change((obj.status ??= {})),
      { subresource: 'status' },
    );
  }

  emit(hr: KubeObject, style: HelmEventStyle, events: RecordedEvent[]) {
    const involved = this.current(hr);
    for (const e of events)
      this.o.recorder.record(involved, style.apiVersion, e);
  }
}
