import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManualClock } from '../clock';
import { ClusterSim, startClusterSim } from '../startClusterSim';
import { RESOURCE_TYPES } from '../store/resourceTypes';

const run = promisify(execFile);
const KUBECTL =
  ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find(p => existsSync(p)) ??
  'kubectl';
const EVENTS = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;

const podinfo = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: podinfo, namespace: dev }
spec:
  chart:
    spec:
      chart: podinfo
      version: 6.5.1
      sourceRef: { kind: HelmRepository, name: podinfo, namespace: flux-system }
`;

/** kubectl against a stand-in on a manual clock whose Kustomization waits for podinfo. */
describe('Kustomization health checks, seen with kubectl', () => {
  let repo: string;
  let sim: ClusterSim;
  let clock: ManualClock;
  const kubectl = async (...args: string[]) =>
    (
      await run(KUBECTL, ['--kubeconfig', join(repo, '.kubeconfig'), ...args], {
        timeout: 20_000,
      })
    ).stdout.trim();
  const ksStatus = async () =>
    (await kubectl('get', 'ks', 'apps-dev', '-n', 'flux-system'))
      .split('\n')[1]
      .split(/\s{2,}/);

  async function startWith(spec: Record<string, unknown>) {
    repo = mkdtempSync(join(tmpdir(), 'cluster-sim-health-'));
    const git = (...a: string[]) => execFileSync('git', ['-C', repo, ...a]);
    git('init', '--quiet', '--initial-branch', 'main');
    mkdirSync(join(repo, 'apps/dev'), { recursive: true });
    writeFileSync(join(repo, 'apps/dev/podinfo.yaml'), podinfo);
    git('add', 'apps');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@e',
      'commit',
      '-qm',
      'podinfo',
    );
    clock = new ManualClock();
    sim = await startClusterSim({
      clock,
      tls: true,
      namespaces: ['dev'],
      objects: [
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'apps-dev', namespace: 'flux-system' },
          spec: {
            path: './apps/dev',
            interval: '10m',
            sourceRef: { kind: 'GitRepository', name: 'fleet' },
            ...spec,
          },
        },
      ],
      simulator: { releaseDurationMs: 20_000 },
      gitops: { repo: `file://${repo}` },
    });
    sim.writeKubeconfig(join(repo, '.kubeconfig'));
  }

  /** Polls once, moving the clock a second at a time until the reconcile ends. */
  async function reconcile(ms: number) {
    let done = false;
    const poll = sim.gitops!.poll().then(() => {
      done = true;
    });
    const seen: string[][] = [];
    for (let t = 0; t < ms && !done; t += 1000) {
      await new Promise(r => setTimeout(r, 20));
      if (t === 5000) seen.push(await ksStatus());
      await clock.advance(1000);
    }
    await poll;
    return seen;
  }

  afterEach(async () => {
    await sim.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  it('stays Reconciling until the HelmRelease is Ready, then says Health check passed', async () => {
    await startWith({
      healthChecks: [
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          name: 'podinfo',
          namespace: 'dev',
        },
      ],
      timeout: '2m',
    });
    const [during] = await reconcile(120_000);
    expect(during).toEqual([
      'apps-dev',
      expect.any(String),
      'Unknown',
      expect.stringMatching(
        /^Running health checks for revision main@sha1:\w+ with a timeout of 2m0s$/,
      ),
    ]);
    const [, , ready, message] = await ksStatus();
    expect([ready, message]).toEqual([
      'True',
      expect.stringMatching(/^Applied revision: main@sha1:/),
    ]);
    const events = sim.store.list(EVENTS, 'flux-system').map(e => e.message);
    expect(events).toContainEqual(
      expect.stringMatching(/^Health check passed in 2\ds$/),
    );
  });

  it('fails with HealthCheckFailed when the HelmRelease is not Ready within the timeout (spec.wait)', async () => {
    await startWith({ wait: true, timeout: '10s' });
    await reconcile(60_000);
    const reason = await kubectl(
      'get',
      'ks',
      'apps-dev',
      '-n',
      'flux-system',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].reason}',
    );
    expect(reason).toBe('HealthCheckFailed');
    const [, , ready, message] = await ksStatus();
    expect(ready).toBe('False');
    expect(message).toBe(
      "health check failed after 10s: timeout waiting for: [HelmRelease/dev/podinfo status: 'InProgress']",
    );
    const warning = sim.store
      .list(EVENTS, 'flux-system')
      .find(e => e.reason === 'HealthCheckFailed');
    expect(warning).toMatchObject({ type: 'Warning', message });
  });
});
