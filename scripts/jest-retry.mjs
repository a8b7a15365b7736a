#!/usr/bin/env node
// Runs the Backstage CLI's Jest (`backstage-cli repo test --ci ...`) and, when
// some test files fail, runs those files once more on their own. A file that
// fails again fails the step; a file that passes the second time is reported
// as FLAKY, loudly, with its first failure, at the end of the output and in
// the file named by FLUX_PIPELINES_FLAKY_LOG (when set), so that it is fixed
// rather than forgotten. A run that fails without failing test files (a
// crash, a type error in a test file that Jest cannot load) is not retried.
//
// Why: the scenario tests run real servers, git and PostgreSQL on CI machines
// with two shared cores; a run of ~1,100 tests three times (Node 20, 22, 24)
// must not be lost to one timing hiccup, and a real regression fails twice.
//
// Usage: node scripts/jest-retry.mjs <backstage-cli bin> repo test --ci [paths]
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const [cli, ...args] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'jest-retry-'));

function run(runArgs, name) {
  const output = join(work, `${name}.json`);
  const { status } = spawnSync(
    process.execPath,
    [cli, ...runArgs, '--json', `--outputFile=${output}`],
    { stdio: 'inherit' },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(output, 'utf8'));
  } catch {
    report = undefined;
  }
  return { status, report };
}

const first = run(args, 'first');
if (first.status === 0) finish(0);
const failed = (first.report?.testResults ?? []).filter(
  r => r.status === 'failed',
);
if (!failed.length) {
  console.error('[jest-retry] the run failed without failing test files');
  finish(first.status ?? 1);
}
const files = failed.map(r => relative(process.cwd(), r.name));
console.log(
  `\n[jest-retry] ${
    files.length
  } test file(s) failed; running them once more:\n  ${files.join('\n  ')}\n`,
);
// `repo test` and the options, with the failed files instead of the paths.
const options = args.slice(2).filter(a => a.startsWith('-'));
const second = run([...args.slice(0, 2), ...options, ...files], 'second');
if (second.status !== 0) {
  console.error('[jest-retry] failed again: a real failure');
  finish(second.status ?? 1);
}
const lines = [
  '',
  '!!! FLAKY: these test files failed, then passed when run again. Fix them:',
  ...failed.map(
    r => `!!!   ${relative(process.cwd(), r.name)}: ${firstLine(r.message)}`,
  ),
  '',
];
console.log(lines.join('\n'));
if (process.env.FLUX_PIPELINES_FLAKY_LOG)
  appendFileSync(process.env.FLUX_PIPELINES_FLAKY_LOG, `${lines.join('\n')}\n`);
finish(0);

function firstLine(message = '') {
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '');
  const titled = plain.split('\n').find(l => l.includes('●'));
  const detail = plain
    .split('\n')
    .map(l => l.trim())
    .find(l => l && !l.includes('●'));
  return [titled?.trim(), detail].filter(Boolean).join(' — ').slice(0, 400);
}

function finish(code) {
  rmSync(work, { recursive: true, force: true });
  process.exit(code);
}
