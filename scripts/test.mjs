#!/usr/bin/env node
// `npm test`: every kind of test the project has, in order, with a summary.
// The steps stop at the first failure so CI output ends on the real error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const steps = [
  ['TypeScript', 'npm', ['run', '--silent', 'tsc']],
  ['Lint', 'npm', ['run', '--silent', 'lint']],
  [
    'Package metadata (backstage-cli repo fix --publish --check)',
    'npx',
    ['backstage-cli', 'repo', 'fix', '--publish', '--check'],
  ],
  // Uses the declarations the TypeScript step wrote to dist-types/.
  ['Build the publishable packages', 'npx', ['backstage-cli', 'repo', 'build']],
  [
    'What npm pack would publish (scripts/check-pack.mjs)',
    'npm',
    ['run', '--silent', 'check:pack'],
  ],
  [
    'Unit and database tests (SQLite and PostgreSQL)',
    'npm',
    ['run', '--silent', 'test:unit'],
  ],
  [
    'The backend and common tests on Node 22 and 24',
    'npm',
    ['run', '--silent', 'test:node-versions'],
  ],
  [
    'Benchmark smoke run (a tiny run of each)',
    'npm',
    ['run', '--silent', 'bench:smoke'],
  ],
  ['Browser end-to-end tests', 'npm', ['run', '--silent', 'test:e2e']],
  [
    'Install into a stock Backstage app',
    'npm',
    ['run', '--silent', 'test:install'],
  ],
];

// The Jest steps note here the test files that failed once and passed when
// run again (scripts/jest-retry.mjs); the summary repeats them.
const flakyLog = join(
  mkdtempSync(join(tmpdir(), 'flux-pipelines-test-')),
  'flaky.log',
);
const results = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const { status } = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FLUX_PIPELINES_FLAKY_LOG: flakyLog },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  results.push({ name, ok: status === 0, seconds });
  if (status !== 0) break;
}

console.log('\n=== Summary ===');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds}s)`);
}
for (const [name] of steps.slice(results.length)) {
  console.log(`not run: ${name}`);
}
if (existsSync(flakyLog)) console.log(readFileSync(flakyLog, 'utf8'));
process.exit(
  results.every(r => r.ok) && results.length === steps.length ? 0 : 1,
);
