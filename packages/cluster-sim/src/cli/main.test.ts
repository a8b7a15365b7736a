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
});
