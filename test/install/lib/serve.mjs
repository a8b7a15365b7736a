// Runs the installed stock app: the cluster stand-in (the workspace's
// cluster-sim, demo scenario) and the app's backend, which serves the built
// frontend. Ports stay clear of the e2e suite's (3000, 7007, 16443-16444,
// 17443): the backend (and frontend) on 7107, the stand-in on 16543-16544.
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { appEnv } from './steps.mjs';

export const BACKEND_PORT = 7107;
export const CLUSTER_PORT = 16543;
export const BACKEND = `http://localhost:${BACKEND_PORT}`;
export const CLUSTER_TOKEN = 'cluster-sim-token';

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

/**
 * Spawns a long-running process in its own process group, its output in
 * `logFile`. stop() sends SIGTERM to the group, then SIGKILL after 10 s (a
 * backend that never finished starting may not finish stopping either).
 */
export function startProcess(name, cmd, args, { logFile, ...options }) {
  const log = createWriteStream(logFile);
  const child = spawn(cmd, args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let recent = '';
  for (const s of [child.stdout, child.stderr]) {
    s.on('data', d => {
      log.write(d);
      recent = (recent + d).slice(-20_000);
    });
  }
  const exited = new Promise(resolve => child.on('exit', resolve));
  const signal = sig => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    name,
    child,
    logFile,
    /** The last lines that are not the access log. */
    output: () =>
      recent
        .split('\n')
        .filter(l => !l.includes('incomingRequest'))
        .slice(-40)
        .join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      signal('SIGKILL');
      log.end();
    },
  };
}

/**
 * Waits until `ready()` is true, failing early if `proc` exits; on failure
 * stops `proc` and throws with the end of its output.
 */
async function waitUntil(proc, what, ready, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await proc.stop();
      throw new Error(
        `${proc.name} did not ${what}. The end of its output (all of it in ${
          proc.logFile
        }):\n${proc.output()}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return proc;
}

/**
 * The stand-in over TLS, as a real cluster is reached. Returns it with the
 * values of the README config's ${...} placeholders, which a reader sets for
 * their own cluster (API URL, service-account token, CA), here read from the
 * kubeconfig the stand-in writes.
 */
export async function startClusterSim(root, workDir) {
  const kubeconfig = join(workDir, 'kubeconfig.yaml');
  rmSync(kubeconfig, { force: true }); // its CA is new on every start
  const sim = startProcess(
    'cluster-sim',
    process.execPath,
    [
      join(root, 'packages/cluster-sim/bin/cluster-sim.js'),
      ...['--port', String(CLUSTER_PORT), '--scenario', 'demo'],
      ...['--tls', '--kubeconfig', kubeconfig],
    ],
    { cwd: root, logFile: join(workDir, 'cluster-sim.log') },
  );
  await waitUntil(sim, 'start', () => existsSync(kubeconfig), 60_000);
  const [main] = parse(readFileSync(kubeconfig, 'utf8')).clusters;
  sim.readerEnv = {
    K8S_CLUSTER_URL: main.cluster.server,
    K8S_CLUSTER_TOKEN: CLUSTER_TOKEN,
    K8S_CLUSTER_CA_DATA: main.cluster['certificate-authority-data'],
  };
  return sim;
}

/** `npm start` in packages/backend, as the template defines it. */
export async function startBackend(appDir, workDir, readerEnv) {
  const backend = startProcess('backend', 'npm', ['start'], {
    cwd: join(appDir, 'packages', 'backend'),
    env: appEnv(readerEnv),
    logFile: join(workDir, 'backend.log'),
  });
  const url = `${BACKEND}/.backstage/health/v1/readiness`;
  const answers = () =>
    fetch(url, { signal: AbortSignal.timeout(5000) }).then(
      res => res.ok,
      () => false,
    );
  return waitUntil(backend, `serve ${url}`, answers, 5 * 60_000);
}
