// Starts the demo as a user would (`npm start`), with its database in a fresh
// temporary folder, and waits until the backend and the frontend answer.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FRONTEND = 'http://localhost:3000';
export const BACKEND = 'http://localhost:7007';
export const CLUSTER = 'http://127.0.0.1:16443';
export const CLUSTER_TOKEN = 'cluster-sim-token';

async function isUp(url) {
  try {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${CLUSTER_TOKEN}` },
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startDemo({ timeoutMs = 8 * 60_000 } = {}) {
  for (const url of [
    FRONTEND,
    `${BACKEND}/api/flux-pipelines/health`,
    `${CLUSTER}/version`,
  ]) {
    if (await isUp(url)) {
      throw new Error(
        `${url} already answers: stop the running demo before the end-to-end tests`,
      );
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'flux-pipelines-e2e-'));
  const logs = [];
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      APP_CONFIG_backend_database_connection_directory: dataDir,
      FLUX_PIPELINES_DEMO_DATA: dataDir,
    },
  });
  child.stdout.on('data', d => logs.push(String(d)));
  child.stderr.on('data', d => logs.push(String(d)));
  const exited = new Promise(resolve => child.on('exit', resolve));

  const deadline = Date.now() + timeoutMs;
  const waitFor = async url => {
    while (!(await isUp(url))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `The demo did not serve ${url}. Its output:\n${logs
            .join('')
            .slice(-8000)}`,
        );
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  };
  try {
    await waitFor(`${CLUSTER}/version`);
    await waitFor(`${BACKEND}/api/flux-pipelines/health`);
    await waitFor(FRONTEND);
  } catch (e) {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    logs,
    /** The git repository the stand-in reconciles from (Flux's source of truth). */
    fleetRepo: join(dataDir, 'fleet'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
