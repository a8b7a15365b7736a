import { KubeObject } from '../store/types';
import { deleteCondition, getCondition } from './conditions';
import { DesiredRelease, readDesiredRelease } from './desiredRelease';
import { helmMessages as m } from './helmMessages';
import { HelmReleaseSimulatorOptions } from './HelmReleaseSimulator';
import { Snapshot, pushRelease, rollbackTarget } from './releaseHistory';
import { ReleaseAction, ReleaseStatusWriter } from './ReleaseStatusWriter';

/** Options of {@link ReleaseRemediation}. */
export interface ReleaseRemediationOptions {
  simulator: HelmReleaseSimulatorOptions;
  writer: ReleaseStatusWriter;
  isStopped: () => boolean;
  /** Waits on the simulator's clock. */
  sleep: (ms: number) => Promise<void>;
  /** Attempts the release again (not fresh: failure counts are kept). */
  retry: (
    hr: KubeObject,
    d: DesiredRelease,
    action: ReleaseAction,
  ) => Promise<void>;
}

/**
 * What helm-controller does after a failed install, upgrade or Helm test:
 * roll back (upgrade strategy `rollback`), then retry after the retry
 * interval, or stall with RetriesExceeded once out of retries.
 */
export class ReleaseRemediation {
  constructor(private readonly options: ReleaseRemediationOptions) {}

  /** After a failed attempt: stall when out of retries, else roll back and/or retry. */
  async remediate(
    hr: KubeObject,
    d: DesiredRelease,
    action: ReleaseAction,
  ): Promise<void> {
    const { simulator: o, writer: w, isStopped, sleep, retry } = this.options;
    const style = o.styleFor(hr);
    const status = w.current(hr).status ?? {};
    const count =
      action === 'install'
        ? status.installFailures ?? 0
        : status.upgradeFailures ?? 0;
    const retries = action === 'install' ? d.installRetries : d.upgradeRetries;
    const exhausted = count > retries;
    const rollback =
      action === 'upgrade' &&
      d.upgradeStrategy === 'rollback' &&
      (!exhausted || d.remediateLastFailure);
    const target = rollbackTarget(status.history ?? []);
    if (rollback && target) {
      const rollbackStarted = o.clock.now();
      w.patchStatus(hr, s =>
        w.condition(
          s,
          'Reconciling',
          'True',
          'Progressing',
          m.running('rollback', d.timeout),
          d,
        ),
      );
      await sleep(o.rollbackDurationMs);
      if (isStopped()) return;
      w.patchStatus(hr, s => {
        const restored = { ...d, configDigest: target.configDigest };
        s.history = pushRelease(
          s.history ?? [],
          {
            ...w.entry(restored, 'rollback', 'deployed'),
            chartName: target.chartName,
            chartVersion: target.chartVersion,
            appVersion: target.appVersion,
            ociDigest: target.ociDigest,
          },
          d,
          o.clock.now(),
          rollbackStarted,
        );
        const msg = m.rollbackSucceeded(d.release, target.version, {
          chart: target.chartName,
          version: target.chartVersion,
        });
        w.condition(s, 'Remediated', 'True', 'RollbackSucceeded', msg, d);
        w.summarize(s, d);
      });
      w.emit(hr, style, style.rolledBack(d, target));
    }
    if (exhausted) {
      w.patchStatus(hr, s => {
        w.condition(
          s,
          'Stalled',
          'True',
          'RetriesExceeded',
          m.retriesExceeded(action, count),
          d,
        );
        deleteCondition(s, 'Reconciling');
        s.observedGeneration = d.generation;
      });
      return;
    }
    w.patchStatus(hr, s => {
      const ready = getCondition(s, 'Ready');
      w.condition(
        s,
        'Reconciling',
        'True',
        'ProgressingWithRetry',
        ready?.message ?? '',
        d,
      );
      s.observedGeneration = d.generation;
    });
    await sleep(o.retryIntervalMs);
    if (isStopped()) return;
    const now = w.current(hr);
    const again = readDesiredRelease(now, o.store, o.appVersionFor);
    if (
      again.generation !== d.generation ||
      again.version !== d.version ||
      again.configDigest !== d.configDigest
    ) {
      return; // the spec changed meanwhile: the next kick starts fresh
    }
    const hasRelease = (now.status?.history ?? []).some(
      (s: Snapshot) => s.status !== 'failed',
    );
    await retry(now, again, hasRelease ? 'upgrade' : 'install');
  }
}
