// Runs the installed stock app: the cluster stand-in (the workspace's
// cluster-sim, demo scenario) and the app's backend, which serves the built
// frontend. Ports stay clear of the e2e suite's (3000, 7007, 16443, 17443).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { appEnv } from './steps.mjs';

export const BACKEND_PORT = 7107;
export const CLUSTER_PORT = 16543;
export const BACKEND = `http://localhost:${BACKEND_PORT}`;
export const CLUSTER = `http://127.0.0.1:${CLUSTER_PORT}`;
export const CLUSTER_TOKEN = 'cluster-sim-token';

/**
 * What the test sets that a reader sets for their own installation: the
 * values of the README config's ${...} placeholders, as environment variables.
 */
export const readerEnv = {
  K8S_CLUSTER_URL: CLUSTER,
  K8S_CLUSTER_TOKEN: CLUSTER_TOKEN,
};

/**
 * app-config.local.yaml (read by `backstage-cli` after app-config.yaml):
 * the test's ports, the backend serving the built frontend, and the catalog
 * holding only the test's entity.
 */
export function writeTestConfig(appDir, entityFile) {
  const config = {
    app: { baseUrl: BACKEND },
    backend: {
      baseUrl: BACKEND,
      listen: { port: BACKEND_PORT },
      cors: { origin: BACKEND },
    },
    catalog: {
      locations: [
        { type: 'file', target: entityFile, rules: [{ allow: ['Component'] }] },
      ],
    },
  };
  writeFileSync(join(appDir, 'app-config.local.yaml'), stringify(config));
}

/** Spawns a long-running process that keeps its last output for errors. */
export function startProcess(name, cmd, args, options) {
  const logs = [];
  const child = spawn(cmd, args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const s of [child.stdout, child.stderr])
    s.on('data', d => logs.push(String(d)));
  const exited = new Promise(resolve => child.on('exit', resolve));
  return {
    name,
    child,
    output: () => logs.join('').slice(-6000),
    async stop() {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await exited;
      }
    },
  };
}

/** Waits until `url` answers 2xx, failing early if `proc` exits. */
export async function waitFor(url, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${CLUSTER_TOKEN}` },
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `${proc.name} did not serve ${url}. Its output:\n${proc.output()}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

export async function startClusterSim(root) {
  const sim = startProcess(
    'cluster-sim',
    process.execPath,
    [
      join(root, 'packages/cluster-sim/bin/cluster-sim.js'),
      '--port',
      String(CLUSTER_PORT),
      '--scenario',
      'demo',
    ],
    { cwd: root },
  );
  await waitFor(`${CLUSTER}/version`, sim, 60_000);
  return sim;
}

/** `npm start` in packages/backend, as the template defines it. */
export async function startBackend(appDir) {
  const backend = startProcess('backend', 'npm', ['start'], {
    cwd: join(appDir, 'packages', 'backend'),
    env: appEnv(readerEnv),
  });
  await waitFor(
    `${BACKEND}/.backstage/health/v1/readiness`,
    backend,
    5 * 60_000,
  );
  return backend;
}
