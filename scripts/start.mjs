#!/usr/bin/env node
// `npm start`: the live demo. Starts the Backstage backend (:7007) and the
// frontend dev server (:3000) together and stops both on Ctrl-C.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const services = [
  { name: 'backend', cwd: 'packages/backend', args: ['run', 'start'] },
  { name: 'app', cwd: 'packages/app', args: ['run', 'start'] },
];

const children = services.map(({ name, cwd, args }) => {
  const child = spawn('npm', args, {
    cwd: join(root, cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROWSER: 'none', FORCE_COLOR: '0' },
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', chunk => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) console.log(`[${name}] ${line}`);
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
    '  backend   http://localhost:7007  (health: http://localhost:7007/api/flux-pipelines/health)\n',
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
