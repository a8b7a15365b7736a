import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterSim, startClusterSim } from '../startClusterSim';
import { HELM_RELEASE } from '../flux/HelmReleaseSimulator';
import { CANARY } from '../flux/CanarySimulator';
import { podinfoRelease } from '../__testUtils__/clients';

const run = promisify(execFile);
const KUBECTL =
  ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find(p => existsSync(p)) ??
  'kubectl';

/** kubectl only sends bearer tokens over TLS, so these tests serve HTTPS. */
describe('kubectl against the stand-in', () => {
  let sim: ClusterSim;
  let dir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) =>
    run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { timeout: 20_000 });
  /** Runs a watching kubectl, acts once it listens, and returns its output once `until` holds. */
  async function watching(
    args: string[],
    act: () => void,
    until: (out: string) => boolean,
  ) {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, ...args]);
    let out = '';
    child.stdout.on('data', d => {
      out += d;
    });
    try {
      await new Promise(r => setTimeout(r, 1500));
      act();
      const end = Date.now() + 5000;
      while (!until(out) && Date.now() < end)
        await new Promise(r => setTimeout(r, 50));
    } finally {
      child.kill();
    }
    return out;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cluster-sim-kubectl-'));
    kubeconfig = join(dir, 'kubeconfig');
    sim = await startClusterSim({
      tls: true,
      namespaces: ['dev', 'prod'],
      objects: [podinfoRelease('dev'), podinfoRelease('prod')],
      settled: true,
      simulator: { releaseDurationMs: 600_000 },
    });
    sim.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists HelmReleases in all namespaces with their Ready status', async () => {
    const { stdout } = await kubectl('get', 'helmreleases', '-A');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+AGE\s+READY\s+STATUS/);
    expect(
      lines.slice(1).map(l => l.split(/\s+/).slice(0, 2).join('/')),
    ).toEqual(['dev/podinfo', 'prod/podinfo']);
    expect(lines[1]).toContain(
      'Helm install succeeded for release dev/podinfo.v1 with chart podinfo@6.5.0',
    );
  });

  it('patches a HelmRelease with --type merge, and the simulator releases it', async () => {
    const { stdout } = await kubectl(
      'patch',
      'helmrelease',
      'podinfo',
      '-n',
      'dev',
      '--type',
      'merge',
      '-p',
      '{"spec":{"chart":{"spec":{"version":"6.5.1"}}}}',
    );
    expect(stdout.trim()).toBe(
      'helmrelease.helm.toolkit.fluxcd.io/podinfo patched',
    );
    const { stdout: json } = await kubectl(
      'get',
      'hr',
      'podinfo',
      '-n',
      'dev',
      '-o',
      'json',
    );
    const hr = JSON.parse(json);
    expect(hr.spec.chart.spec.version).toBe('6.5.1');
    expect(
      hr.status.conditions.find((c: any) => c.type === 'Reconciling'),
    ).toMatchObject({ reason: 'Progressing' });
  });

  it('creates a Pipeline from a file', async () => {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(
      file,
      `apiVersion: pipelines.weave.works/v1alpha1
kind: Pipeline
metadata:
  name: podinfo
  namespace: dev
spec:
  appRef: { apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, name: podinfo }
  environments:
    - name: dev
      targets: [{ namespace: dev }]
    - name: prod
      targets: [{ namespace: prod }]
`,
    );
    const { stdout } = await kubectl('create', '-f', file);
    expect(stdout.trim()).toBe(
      'pipeline.pipelines.weave.works/podinfo created',
    );
    const { stdout: got } = await kubectl(
      'get',
      'pipelines',
      '-n',
      'dev',
      '-o',
      'jsonpath={.items[0].spec.environments[1].name}',
    );
    expect(got).toBe('prod');
  });

  it('applies a Flagger Canary, which Flagger-in-the-stand-in initialises on the deployed version', async () => {
    const file = join(dir, 'canary.yaml');
    writeFileSync(
      file,
      `apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: podinfo
  namespace: prod
  labels: { helm.toolkit.fluxcd.io/name: podinfo }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: podinfo }
  analysis: { interval: 1m, threshold: 5, maxWeight: 50, stepWeight: 10 }
`,
    );
    const { stdout } = await kubectl('apply', '-f', file);
    expect(stdout.trim()).toBe('canary.flagger.app/podinfo created');
    const { stdout: table } = await kubectl('get', 'canaries', '-n', 'prod');
    const lines = table.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+WEIGHT\s+LASTTRANSITIONTIME/);
    expect(lines[1]).toMatch(/^podinfo\s+Initialized\s+0\s+\S+Z$/);
    const { stdout: promoted } = await kubectl(
      'get',
      'canary',
      'podinfo',
      '-n',
      'prod',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Promoted")].message}',
    );
    expect(promoted).toBe('Deployment initialization completed.');
  });

  it('follows a Canary with get canaries --watch as Flagger moves it', async () => {
    const out = await watching(
      ['get', 'canaries', '-n', 'prod', '--watch'],
      () => {
        sim.store.mutate(
          CANARY,
          'prod',
          'podinfo',
          o => {
            o.status = { ...o.status, phase: 'Progressing', canaryWeight: 10 };
          },
          { subresource: 'status' },
        );
      },
      seen => /Progressing/.test(seen),
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+WEIGHT/);
    expect(lines[1]).toMatch(/^podinfo\s+Initialized\s+0/);
    expect(lines[lines.length - 1]).toMatch(/^podinfo\s+Progressing\s+10/);
  });

  it('follows HelmReleases with get --watch, as table rows', async () => {
    const out = await watching(
      ['get', 'hr', '-n', 'prod', '--watch'],
      () => {
        sim.store.mutate(HELM_RELEASE, 'prod', 'podinfo', o => {
          o.metadata.labels = { ...o.metadata.labels, watched: 'yes' };
        });
      },
      seen => seen.trim().split('\n').length >= 3,
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AGE\s+READY\s+STATUS/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^podinfo\s+\S+\s+True\s+Helm install succeeded/);
  });

  it('streams new events with get events -A --watch-only -o json', async () => {
    const out = await watching(
      ['get', 'events', '-A', '--watch-only', '-o', 'json'],
      () => {
        const hr = sim.store.get(HELM_RELEASE, 'prod', 'podinfo');
        sim.simulator!.recorder.record(hr, 'helm.toolkit.fluxcd.io/v2', {
          type: 'Normal',
          reason: 'UpgradeSucceeded',
          message: 'from the test',
        });
      },
      seen => seen.includes('from the test'),
    );
    const event = JSON.parse(out.slice(out.indexOf('{')));
    expect(event).toMatchObject({
      kind: 'Event',
      reason: 'UpgradeSucceeded',
      message: 'from the test',
      involvedObject: { name: 'podinfo', namespace: 'prod' },
    });
  });

  it('creates a generic Secret from literals and lists it with its type and key count', async () => {
    const { stdout } = await kubectl(
      'create',
      'secret',
      'generic',
      'github-token',
      '-n',
      'dev',
      '--from-literal=token=ghp_fromKubectl',
      '--from-literal=hmac-key=k',
    );
    expect(stdout.trim()).toBe('secret/github-token created');
    const { stdout: table } = await kubectl('get', 'secret', '-n', 'dev');
    const lines = table.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE/);
    expect(lines[1]).toMatch(/^github-token\s+Opaque\s+2\s+\S+/);
    const { stdout: token } = await kubectl(
      'get',
      'secret',
      'github-token',
      '-n',
      'dev',
      '-o',
      'jsonpath={.data.token}',
    );
    expect(Buffer.from(token, 'base64').toString('utf8')).toBe(
      'ghp_fromKubectl',
    );
  });
});
