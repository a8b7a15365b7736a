import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '../../bin/cluster-sim.js');

describe('the cluster-sim command', () => {
  it('prints its URL, writes a kubeconfig, serves the scenario and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-sim-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, [
      BIN,
      '--port',
      '0',
      '--scenario',
      'basic',
      '--token',
      'T0K',
      '--kubeconfig',
      kubeconfig,
    ]);
    try {
      let out = '';
      child.stdout.on('data', d => (out += d));
      child.stderr.on('data', d => (out += d));
      const end = Date.now() + 20_000;
      while (
        !/listening on (http\S+)/.test(out) &&
        Date.now() < end &&
        child.exitCode === null
      )
        await new Promise(r => setTimeout(r, 50));
      const url = out.match(/listening on (http\S+)/)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: ${url}`);
      const res = await fetch(
        `${url}/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases`,
        { headers: { Authorization: 'Bearer T0K' } },
      );
      expect((await res.json()).items.map((i: any) => i.metadata.name)).toEqual(
        ['podinfo'],
      );
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('serves and prints a GitHub stand-in over a local --git-repo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-sim-cli-git-'));
    const child = spawn(process.execPath, [
      BIN,
      '--port',
      '0',
      '--scenario',
      'basic',
      '--git-repo',
      join(dir, 'fleet'),
    ]);
    try {
      let out = '';
      child.stdout.on('data', d => (out += d));
      child.stderr.on('data', d => (out += d));
      const end = Date.now() + 20_000;
      while (
        !/GitHub API stand-in: (http\S+)/.test(out) &&
        Date.now() < end &&
        child.exitCode === null
      )
        await new Promise(r => setTimeout(r, 50));
      const api = out.match(/GitHub API stand-in: (http\S+)/)?.[1];
      expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
      const res = await fetch(`${api}/repos/example/fleet/pulls`, {
        headers: {
          accept: 'application/vnd.github+json',
          'user-agent': 'test',
          authorization: 'Bearer cluster-sim-token',
        },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
      // Let the GitOps loop's first fetch finish: stopping mid-fetch can race its mirror cleanup.
      await new Promise(r => setTimeout(r, 1500));
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      expect({ code: await exited, out }).toEqual({ code: 0, out });
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
