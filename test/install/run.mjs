#!/usr/bin/env node
// Proof by installation (issue #18): packs our packages, installs them into a
// stock Backstage app made by @backstage/create-app (new frontend system, with
// feature discovery) in a temporary folder outside the workspace, with only
// the README's "Add the plugins to your Backstage" lines, builds the app,
// starts its backend with the built frontend and checks in Chromium that an
// annotated entity's Pipelines tab shows a live version from the stand-in.
//
//   node test/install/run.mjs [--keep] [--readme FILE]
//
// --keep leaves the app in place (its path is printed); --readme reads the
// install section from another file (to try a README change). npm's cache
// (~/.npm) is what makes a second local run faster.
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { stringify } from 'yaml';
import { findChromium } from '../e2e/lib/browser.mjs';
import { applyReadme, mergeConfig } from './lib/applyReadme.mjs';
import { checkPipelinesTab } from './lib/check.mjs';
import { buildPackages, packPackages, readPackages } from './lib/pack.mjs';
import { readInstallSection } from './lib/readme.mjs';
import { startRegistry } from './lib/registry.mjs';
import {
  startBackend,
  startClusterSim,
  writeTestConfig,
} from './lib/serve.mjs';
import { generateStockApp } from './lib/stockApp.mjs';
import { npm, timed, timings } from './lib/steps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    readme: { type: 'string', default: join(root, 'README.md') },
  },
});

if (!findChromium()) {
  if (process.env.CI) {
    console.error('CI=true but Chromium is missing: apt-get install chromium');
    process.exit(1);
  }
  console.warn(
    '\n!!! SKIPPING THE INSTALL TEST: /usr/bin/chromium is missing.\n',
  );
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'flux-pipelines-install-'));
const appDir = join(work, 'app');
const cacheDir = join(homedir(), '.cache', 'flux-pipelines-install');
const running = [];
let failed = false;
try {
  const blocks = readInstallSection(opts.readme);
  const packages = readPackages(root);
  await timed('Build our packages', () => buildPackages(root, packages));
  const packed = await timed('npm pack', () => {
    mkdirSync(join(work, 'tarballs'));
    return packPackages(packages, join(work, 'tarballs'));
  });
  for (const p of packed)
    console.log(`${p.name}@${p.version}: ${p.files.length} files`);
  const registry = await startRegistry(packed);
  running.push({ stop: registry.close });

  await timed('Generate the stock app', () =>
    generateStockApp({ cacheDir, appDir }),
  );
  appendFileSync(join(appDir, '.npmrc'), `${registry.npmrcLines.join('\n')}\n`);
  await timed('npm install (the stock app)', () =>
    npm(['install', '--prefer-offline'], appDir),
  );
  const { entityPatch } = await timed("The README's lines", () =>
    applyReadme({ appDir, blocks }),
  );

  const entity = mergeConfig(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'podinfo' },
      spec: { type: 'service', lifecycle: 'production', owner: 'guests' },
    },
    entityPatch,
  );
  const entityFile = join(work, 'catalog-info.yaml');
  writeFileSync(entityFile, stringify(entity));
  writeTestConfig(appDir, entityFile);

  await timed('Build the app (npm run build in packages/app)', () =>
    npm(['run', 'build'], join(appDir, 'packages', 'app')),
  );
  const sim = await timed('Start the cluster stand-in', () =>
    startClusterSim(root, work),
  );
  running.push(sim);
  running.push(
    await timed('Start the backend', () =>
      startBackend(appDir, work, sim.readerEnv),
    ),
  );
  const seen = await timed('Pipelines tab in Chromium', () =>
    checkPipelinesTab({
      entity,
      environment: 'dev',
      artifacts: join(root, 'test-results', 'install'),
    }),
  );
  console.log(`\nok: ${seen.url} shows: ${seen.card}`);
} catch (e) {
  failed = true;
  console.error(`\nFAIL: ${e.stack ?? e}`);
} finally {
  for (const r of running.reverse()) await r.stop();
  if (opts.keep || failed) console.log(`The stock app is in ${appDir}`);
  if (!opts.keep && !failed) {
    // Removing 3,000 packages takes minutes on a busy disk: in the background,
    // so that it is not counted in the step's time.
    spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
  }
  console.log('\nTimings:');
  const total = timings.reduce((sum, t) => sum + t.seconds, 0);
  timings.push({ name: 'total', seconds: total });
  for (const t of timings)
    console.log(`  ${String(t.seconds).padStart(5)}s  ${t.name}`);
}
process.exit(failed ? 1 : 0);
