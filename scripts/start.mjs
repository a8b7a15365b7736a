#!/usr/bin/env node
// `npm start`: the live demo. Starts the cluster stand-in with the `demo`
// scenario (:16443 and :16444, reconciling from the git repository in
// .data/fleet), the Backstage backend (:7007) and the frontend dev server
// (:3000) together, and stops them all on Ctrl-C.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Where the demo keeps the git repository the stand-in reconciles from.
const dataDir = process.env.FLUX_PIPELINES_DEMO_DATA ?? join(root, '.data');
const services = [
  {
    name: 'cluster-sim',
    cwd: '.',
    args: [
      'run',
      'cluster-sim',
      '--',
      '--port',
      '16443',
      '--scenario',
      // a built-in name or a YAML file (the browser benchmark's fast releases)
      process.env.FLUX_PIPELINES_DEMO_SCENARIO ?? 'demo',
      '--git-repo',
      join(dataDir, 'fleet'),
    ],
  },
  { name: 'backend', cwd: 'packages/backend', args: ['run', 'start'] },
  { name: 'app', cwd: 'packages/app', args: ['run', 'start'] },
];

// Colours only on a terminal: in a pipe (CI, a log file) escape codes are noise.
const plain = process.stdout.isTTY
  ? line => line
  : line => stripVTControlCharacters(line);

const children = services.map(({ name, cwd, args }) => {
  const child = spawn('npm', args, {
    cwd: join(root, cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BROWSER: 'none',
      FORCE_COLOR: '0',
      // The repository the backend commits promotions to (app-config.yaml).
      FLUX_PIPELINES_FLEET_REPO: join(dataDir, 'fleet'),
    },
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', chunk => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) console.log(`[${name}] ${plain(line)}`);
    });
  }
  child.on('exit', code => {
    console.log(`[${name}] exited with ${code}`);
    stopAll(code ?? 1);
  });
  return child;
});

console.log(
  '\nFlux pipelines demo starting:\n' +
    '  frontend  http://localhost:3000  (open http://localhost:3000/catalog/default/component/podinfo/flux-pipelines)\n' +
    '  backend   http://localhost:7007  (health: http://localhost:7007/api/flux-pipelines/health)\n' +
    '  clusters  http://127.0.0.1:16443 (dev, test, prod) and http://127.0.0.1:16444 (prod-eu), token cluster-sim-token\n',
);

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
