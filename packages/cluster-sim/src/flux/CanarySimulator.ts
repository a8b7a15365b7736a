import { createHash } from 'node:crypto';
import { Clock, parseDuration, toRfc3339 } from '../clock';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES } from '../store/resourceTypes';
import { KubeObject } from '../store/types';
import { EventRecorder } from './EventRecorder';
import { HELM_RELEASE } from './HelmReleaseSimulator';

export const CANARY = RESOURCE_TYPES.find(t => t.kind === 'Canary')!;
const API_VERSION = 'flagger.app/v1beta1';
/** Labels helm-controller puts on every object of a release; the canary follows that release. */
export const RELEASE_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
export const CHART_LABEL = 'helm.sh/chart';

/** What the simulated analysis of one canary revision ends in. */
export type CanaryOutcome = 'success' | 'fail';

/** Promoted condition messages, as Flagger's MakeStatusConditions words them. */
const PROMOTED: Record<string, [string, string]> = {
  Initialized: ['True', 'Deployment initialization completed.'],
  Progressing: ['Unknown', 'New revision detected, starting canary analysis.'],
  Promoting: [
    'Unknown',
    'Canary analysis completed, starting primary rolling update.',
  ],
  Finalising: [
    'Unknown',
    'Canary analysis completed, routing all traffic to primary.',
  ],
  Succeeded: [
    'True',
    'Canary analysis completed successfully, promotion finished.',
  ],
  Failed: ['False', 'Canary analysis failed, deployment scaled to zero.'],
};

export interface CanarySimulatorOptions {
  store: ResourceStore;
  clock: Clock;
  recorder: EventRecorder;
  /** Time per analysis step; default: the canary's `spec.analysis.interval`. */
  stepMs?: number;
  outcomeFor: (canary: KubeObject, version: string) => CanaryOutcome;
}

/**
 * Plays Flagger for Canary objects that follow a HelmRelease (label `helm.toolkit.fluxcd.io/name`,
 * same namespace): when the release's deployed chart version changes, the canary goes
 * Progressing with weight steps to Succeeded (through Promoting and Finalising) or to Failed,
 * writing `lastAppliedSpec`, `lastTransitionTime`, the `Promoted` condition and Flagger's
 * `Synced` events. The chart label `helm.sh/chart` is re-rendered to `<chart>-<version>`.
 */
export class CanarySimulator {
  /** Per canary, the version being (or last) analysed and a run token. */
  private readonly runs = new Map<string, { version: string; run: number }>();
  private nextRun = 1;
  private stopped = false;

  constructor(private readonly o: CanarySimulatorOptions) {}

  stop() {
    this.stopped = true;
  }

  /** Looks at every canary following the HelmRelease `namespace/name`. */
  kickRelease(namespace: string, name: string) {
    for (const c of this.o.store.list(CANARY, namespace))
      if (c.metadata.labels?.[RELEASE_NAME_LABEL] === name)
        this.kick(namespace, c.metadata.name);
  }

  kick(namespace: string, name: string) {
    if (this.stopped) return;
    const canary = this.o.store.tryGet(CANARY, namespace, name);
    const release = canary?.metadata.labels?.[RELEASE_NAME_LABEL];
    if (!canary || !release || canary.spec?.suspend) return;
    const hr = this.o.store.tryGet(HELM_RELEASE, namespace, release);
    const deployed = hr?.status?.history?.find(
      (h: any) => h.status === 'deployed',
    );
    if (!deployed?.chartVersion) return;
    const key = `${namespace}/${name}`;
    const version: string = deployed.chartVersion;
    const tracked = this.runs.get(key);
    if (tracked?.version === version) return;
    const run = this.nextRun++;
    this.runs.set(key, { version, run });
    const hash = specHash(namespace, name, version);
    if (canary.status?.lastAppliedSpec === hash) return;
    this.label(canary, `${deployed.chartName}-${version}`);
    if (!canary.status?.phase) {
      this.write(canary, 'Initialized', { lastAppliedSpec: hash }, hash);
      this.event(canary, 'Normal', `Initialization done! ${name}.${namespace}`);
      return;
    }
    void this.analyse(canary, key, run, version, hash);
  }

  private async analyse(
    canary: KubeObject,
    key: string,
    run: number,
    version: string,
    hash: string,
  ) {
    const id = `${canary.metadata.name}.${canary.metadata.namespace}`;
    const a = canary.spec?.analysis ?? {};
    const step = this.o.stepMs ?? parseDuration(a.interval ?? '1m');
    const maxWeight: number = a.maxWeight ?? 50;
    const stepWeight: number = a.stepWeight ?? 10;
    const threshold: number = a.threshold ?? 5;
    const fail = this.o.outcomeFor(canary, version) === 'fail';
    const live = () => !this.stopped && this.runs.get(key)?.run === run;
    const wait = () =>
      new Promise<boolean>(r => this.o.clock.setTimeout(() => r(live()), step));

    this.write(canary, 'Progressing', {
      lastAppliedSpec: hash,
      canaryWeight: 0,
    });
    this.event(canary, 'Normal', `New revision detected! Scaling up ${id}`);
    if (!(await wait())) return;
    this.event(canary, 'Normal', `Starting canary analysis for ${id}`);
    for (let weight = stepWeight; weight <= maxWeight; weight += stepWeight) {
      this.write(canary, 'Progressing', { canaryWeight: weight });
      this.event(canary, 'Normal', `Advance ${id} canary weight ${weight}`);
      if (!(await wait())) return;
      if (fail) {
        for (let checks = 1; checks <= threshold; checks++) {
          this.write(canary, 'Progressing', { failedChecks: checks });
          this.event(
            canary,
            'Warning',
            `Halt advancement no values found for istio metric request-success-rate probably ${id} is not receiving traffic`,
          );
          if (!(await wait())) return;
        }
        this.event(
          canary,
          'Warning',
          `Rolling back ${id} failed checks threshold reached ${threshold}`,
        );
        this.write(canary, 'Failed', { canaryWeight: 0 });
        this.event(canary, 'Warning', `Canary failed! Scaling down ${id}`);
        return;
      }
    }
    const primary = `${canary.metadata.name}-primary.${canary.metadata.namespace}`;
    this.event(canary, 'Normal', `Copying ${id} template spec to ${primary}`);
    this.write(canary, 'Promoting', {});
    if (!(await wait())) return;
    this.event(canary, 'Normal', 'Routing all traffic to primary');
    this.write(canary, 'Finalising', { canaryWeight: 0 });
    if (!(await wait())) return;
    this.write(canary, 'Succeeded', {}, hash);
    this.event(canary, 'Normal', `Promotion completed! Scaling down ${id}`);
  }

  private label(canary: KubeObject, chart: string) {
    this.o.store.mutate(
      CANARY,
      canary.metadata.namespace,
      canary.metadata.name,
      o => {
        o.metadata.labels = { ...o.metadata.labels, [CHART_LABEL]: chart };
      },
    );
  }

  /** Sets the phase (and Promoted condition) as Flagger's SetStatusPhase does. */
  private write(
    canary: KubeObject,
    phase: string,
    fields: Record<string, unknown>,
    promotedSpec?: string,
  ) {
    const { namespace, name } = canary.metadata;
    if (!this.o.store.tryGet(CANARY, namespace, name)) return;
    const now = toRfc3339(this.o.clock.now());
    this.o.store.mutate(
      CANARY,
      namespace,
      name,
      o => {
        const s = (o.status ??= {});
        const changed = s.phase !== phase;
        Object.assign(s, fields);
        s.iterations ??= 0;
        s.failedChecks ??= 0;
        if (phase !== 'Progressing') s.failedChecks = fields.failedChecks ?? 0;
        if (promotedSpec) s.lastPromotedSpec = promotedSpec;
        if (!changed) return;
        s.phase = phase;
        s.lastTransitionTime = now;
        const [status, message] = PROMOTED[phase];
        const old = s.conditions?.[0];
        s.conditions = [
          {
            type: 'Promoted',
            status,
            reason: phase,
            message,
            lastUpdateTime: now,
            lastTransitionTime:
              old?.status === status ? old.lastTransitionTime : now,
          },
        ];
      },
      { subresource: 'status' },
    );
  }

  private event(
    canary: KubeObject,
    type: 'Normal' | 'Warning',
    message: string,
  ) {
    const current = this.o.store.tryGet(
      CANARY,
      canary.metadata.namespace,
      canary.metadata.name,
    );
    if (current)
      this.o.recorder.record(current, API_VERSION, {
        type,
        reason: 'Synced',
        message,
      });
  }
}

/** Stands for Flagger's hash of the target's pod template: one per canary and version. */
function specHash(namespace: string, name: string, version: string) {
  return createHash('sha256')
    .update(`${namespace}/${name}@${version}`)
    .digest('hex')
    .slice(0, 10);
}
