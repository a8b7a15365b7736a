import { formatGoDuration } from '../clock';
import { KubeObject } from '../store/types';
import { deleteCondition } from './conditions';
import { DesiredRelease } from './desiredRelease';
import { helmLogs, helmMessages as m } from './helmMessages';
import { HelmReleaseSimulatorOptions } from './HelmReleaseSimulator';
import { ReleaseRemediation } from './ReleaseRemediation';
import { Snapshot, pushRelease, testHooks } from './releaseHistory';
import { ReleaseAction, ReleaseStatusWriter } from './ReleaseStatusWriter';

/**
 * One release of a HelmRelease, step by step on the simulator's clock: install/upgrade and Helm
 * tests; after a failure, {@link ReleaseRemediation} rolls back and retries until success or
 * RetriesExceeded.
 */
export class ReleaseRunner {
  private readonly remediation: ReleaseRemediation;

  constructor(
    private readonly o: HelmReleaseSimulatorOptions,
    private readonly w: ReleaseStatusWriter,
    private readonly isStopped: () => boolean,
  ) {
    this.remediation = new ReleaseRemediation({
      simulator: o,
      writer: w,
      isStopped,
      sleep: ms => this.sleep(ms),
      retry: (hr, d, action) => this.release(hr, d, action, false),
    });
  }

  async release(
    hr: KubeObject,
    d: DesiredRelease,
    action: ReleaseAction,
    fresh: boolean,
  ): Promise<void> {
    const style = this.o.styleFor(hr);
    const started = this.o.clock.now();
    const running = m.running(action, d.timeout);
    this.w.patchStatus(hr, s => {
      if (fresh) {
        s.failures = 0;
        s.installFailures = 0;
        s.upgradeFailures = 0;
        deleteCondition(s, 'Stalled');
      }
      Object.assign(s, {
        helmChart: `${hr.metadata.namespace}/${hr.metadata.namespace}-${hr.metadata.name}`,
        lastAttemptedGeneration: d.generation,
        lastAttemptedRevision: d.version,
        lastAttemptedConfigDigest: d.configDigest,
        lastAttemptedReleaseAction: action,
        ...(d.ociDigest ? { lastAttemptedRevisionDigest: d.ociDigest } : {}),
      });
      deleteCondition(s, 'TestSuccess');
      deleteCondition(s, 'Remediated');
      this.w.condition(s, 'Reconciling', 'True', 'Progressing', running, d);
      this.w.condition(s, 'Ready', 'Unknown', 'Progressing', running, d);
    });
    this.w.emit(hr, style, style.started(action, d));
    await this.sleep(this.o.releaseDurationMs);
    if (this.isStopped()) return;
    const outcome = this.o.outcomeFor(this.w.current(hr), d);
    const duration = formatGoDuration(this.o.clock.now() - started);

    if (outcome === 'fail') {
      const error =
        hr.metadata.annotations?.['cluster-sim/error'] ??
        'context deadline exceeded';
      const msg = (action === 'install' ? m.installFailed : m.upgradeFailed)(
        d.release,
        d,
        error,
      );
      this.w.patchStatus(hr, s => {
        s.lastAttemptedReleaseActionDuration = duration;
        s.history = pushRelease(
          s.history ?? [],
          this.w.entry(d, action, 'failed'),
          d,
          this.o.clock.now(),
          started,
        );
        s.failures = (s.failures ?? 0) + 1;
        this.w.countFailure(s, action);
        this.w.condition(
          s,
          'Released',
          'False',
          action === 'install' ? 'InstallFailed' : 'UpgradeFailed',
          msg,
          d,
        );
        this.w.summarize(s, d);
      });
      this.w.emit(
        hr,
        style,
        style.releaseFailed(
          action,
          d,
          error,
          helmLogs(action, d.release.name, d.timeout),
        ),
      );
      await this.remediation.remediate(hr, d, action);
      return;
    }

    let snapshot!: Snapshot;
    this.w.patchStatus(hr, s => {
      s.lastAttemptedReleaseActionDuration = duration;
      s.history = pushRelease(
        s.history ?? [],
        this.w.entry(d, action, 'deployed'),
        d,
        this.o.clock.now(),
        started,
      );
      snapshot = s.history[0];
      const ok = (
        action === 'install' ? m.installSucceeded : m.upgradeSucceeded
      )(d.release, snapshot.version, d);
      this.w.condition(
        s,
        'Released',
        'True',
        action === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded',
        ok,
        d,
      );
      if (d.testEnabled) {
        this.w.condition(
          s,
          'TestSuccess',
          'Unknown',
          'AwaitingTests',
          m.testPending(d.release, snapshot.version, d),
          d,
        );
        this.w.condition(
          s,
          'Reconciling',
          'True',
          'Progressing',
          m.running('test', d.timeout),
          d,
        );
      }
      this.w.summarize(s, d);
      if (
        s.lastAppliedRevision !== undefined ||
        style.apiVersion.endsWith('v2beta1')
      )
        s.lastAppliedRevision = d.version;
    });
    this.w.emit(hr, style, style.released(action, d, snapshot));

    if (d.testEnabled) {
      const testStart = this.o.clock.now();
      await this.sleep(this.o.testDurationMs);
      if (this.isStopped()) return;
      const failed = outcome === 'test-fail';
      const hooks = testHooks(
        d.release.name,
        this.o.testHooks,
        failed ? 'Failed' : 'Succeeded',
        testStart,
        this.o.clock.now(),
      );
      const error = `1 error occurred:\n\t* pod ${d.release.name}-test-connection failed`;
      this.w.patchStatus(hr, s => {
        s.history[0] = { ...s.history[0], testHooks: hooks };
        const msg = failed
          ? m.testFailed(d.release, snapshot.version, d, error)
          : m.testSucceeded(d.release, snapshot.version, d, this.o.testHooks);
        this.w.condition(
          s,
          'TestSuccess',
          failed ? 'False' : 'True',
          failed ? 'TestFailed' : 'TestSucceeded',
          msg,
          d,
        );
        if (failed) {
          s.failures = (s.failures ?? 0) + 1;
          if (!d.ignoreTestFailures) this.w.countFailure(s, action);
        }
        this.w.summarize(s, d);
      });
      this.w.emit(
        hr,
        style,
        failed
          ? style.testFailed(d, snapshot, error)
          : style.tested(d, snapshot, this.o.testHooks),
      );
      if (failed && !d.ignoreTestFailures) {
        await this.remediation.remediate(hr, d, action);
        return;
      }
    }
    this.finish(hr, d);
  }

  finish(hr: KubeObject, d: DesiredRelease) {
    this.w.patchStatus(hr, s => {
      deleteCondition(s, 'Reconciling');
      deleteCondition(s, 'Stalled');
      s.failures = 0;
      s.installFailures = 0;
      s.upgradeFailures = 0;
      s.observedGeneration = d.generation;
      this.w.summarize(s, d);
      const requested =
        hr.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
      if (requested) s.lastHandledReconcileAt = requested;
    });
  }

  private sleep(ms: number) {
    return new Promise<void>(resolve => this.o.clock.setTimeout(resolve, ms));
  }
}
