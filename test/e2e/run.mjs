#!/usr/bin/env node
// Runs the browser end-to-end tests with Node's test runner, in Debian's
// Chromium driven by playwright-core. Without Chromium they are skipped
// loudly on a developer machine and fail under CI=true.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './lib/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
if (!findChromium()) {
  if (process.env.CI) {
    console.error('CI=true but Chromium is missing: apt-get install chromium');
    process.exit(1);
  }
  console.warn(
    '\n!!! SKIPPING BROWSER TESTS: /usr/bin/chromium is missing.\n' +
      '!!! Install it with: apt-get install chromium\n',
  );
  process.exit(0);
}
const files = readdirSync(here)
  .filter(f => f.endsWith('.test.mjs'))
  .map(f => join(here, f));
const { status } = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', ...files],
  { stdio: 'inherit' },
);
process.exit(status ?? 1);
