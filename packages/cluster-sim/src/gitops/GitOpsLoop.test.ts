import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock';
import { HELM_RELEASE } from '../flux/HelmReleaseSimulator';
import { loadScenario } from '../scenario/loadScenario';
import { startScenario } from '../scenario/startScenario';
import { ClusterSim, startClusterSim } from '../startClusterSim';
import { RESOURCE_TYPES } from '../store/resourceTypes';

const KS = RESOURCE_TYPES.find(t => t.kind === 'Kustomization')!;
const EVENTS = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

const podinfo = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: dev
spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "flux-system:podinfo:dev"}
      sourceRef: { kind: HelmRepository, name: podinfo, namespace: flux-system }
`;

describe('the GitOps loop', () => {
  let repo: string;
  let sim: ClusterSim;
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const commit = (version: string) => {
    writeFileSync(join(repo, 'apps/dev/podinfo.yaml'), podinfo(version));
    git('add', '.');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '--quiet',
      '-m',
      `podinfo ${version}`,
    );
    return git('rev-parse', 'HEAD');
  };

  beforeEach(async () => {
    repo = mkdtempSync(join(tmpdir(), 'cluster-sim-fleet-'));
    git('init', '--quiet', '--initial-branch', 'main');
    mkdirSync(join(repo, 'apps/dev'), { recursive: true });
    sim = await startClusterSim({
      clock: new ManualClock(),
      namespaces: ['dev'],
      objects: [
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'fleet', namespace: 'flux-system' },
          spec: { url: 'https://example.com/fleet' },
        },
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'apps-dev', namespace: 'flux-system' },
          spec: {
            path: './apps/dev',
            interval: '10m',
            sourceRef: { kind: 'GitRepository', name: 'fleet' },
          },
        },
      ],
      simulator: { releaseDurationMs: 1000 },
      gitops: { repo: `file://${repo}` },
    });
  });
  afterEach(async () => {
    await sim.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  it('applies what is committed and reports main@sha1:<sha> like kustomize-controller', async () => {
    const first = commit('6.5.0');
    await sim.gitops!.poll();
    expect(
      sim.store.get(HELM_RELEASE, 'dev', 'podinfo').spec.chart.spec.version,
    ).toBe('6.5.0');

    // Like kustomize-controller, it labels what it applies with its own name.
    expect(
      sim.store.get(HELM_RELEASE, 'dev', 'podinfo').metadata.labels,
    ).toMatchObject({
      'kustomize.toolkit.fluxcd.io/name': 'apps-dev',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    });

    const second = commit('6.5.1');
    await sim.gitops!.poll();
    expect(
      sim.store.get(HELM_RELEASE, 'dev', 'podinfo').spec.chart.spec.version,
    ).toBe('6.5.1');
    const ks = sim.store.get(KS, 'flux-system', 'apps-dev');
    expect(ks.status).toMatchObject({
      lastAppliedRevision: `main@sha1:${second}`,
      lastAttemptedRevision: `main@sha1:${second}`,
    });
    expect(ks.status.conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${second}`,
    });

    const events = sim.store
      .list(EVENTS, 'flux-system')
      .map(e => [
        e.reason,
        e.message,
        e.metadata.annotations?.['kustomize.toolkit.fluxcd.io/revision'],
        e.source.component,
      ]);
    expect(events).toEqual(
      expect.arrayContaining([
        [
          'ReconciliationSucceeded',
          'HelmRelease/dev/podinfo created',
          `main@sha1:${first}`,
          'kustomize-controller',
        ],
        [
          'ReconciliationSucceeded',
          'HelmRelease/dev/podinfo configured',
          `main@sha1:${second}`,
          'kustomize-controller',
        ],
      ]),
    );
  });
});

describe('the demo with a GitOps repository', () => {
  it('seeds the repository with promotion markers and delivers new versions to dev as commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-sim-demo-fleet-'));
    const repo = join(dir, 'fleet');
    const clock = new ManualClock();
    const running = await startScenario(loadScenario('demo'), {
      clock,
      gitops: { repo, intervalMs: 5000 },
    });
    try {
      const file = execFileSync(
        'git',
        ['-C', repo, 'show', 'HEAD:apps/test/podinfo.yaml'],
        { encoding: 'utf8' },
      );
      expect(file).toMatch(
        /version: 6\.5\.0 # \{"\$promotion": "flux-system:podinfo:test"\}/,
      );
      for (let i = 0; i < 12; i++) {
        await clock.advance(5000);
        await running.clusters[0].gitops!.poll();
      }
      const log = execFileSync('git', ['-C', repo, 'log', '--format=%s'], {
        encoding: 'utf8',
      });
      expect(log).toContain('dev/podinfo: chart version 6.5.1');
      const [main] = running.clusters;
      expect(
        main.store.get(HELM_RELEASE, 'dev', 'podinfo').spec.chart.spec.version,
      ).toBe('6.5.1');
      // podinfo in prod has a Flagger canary, initialised on the deployed version.
      const canary = RESOURCE_TYPES.find(t => t.kind === 'Canary')!;
      expect(main.store.get(canary, 'prod', 'podinfo').status).toMatchObject({
        phase: 'Initialized',
      });
      const ks = main.store.get(KS, 'flux-system', 'apps-dev');
      expect(ks.status.lastAppliedRevision).toBe(
        `main@sha1:${execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], {
          encoding: 'utf8',
        }).trim()}`,
      );
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
