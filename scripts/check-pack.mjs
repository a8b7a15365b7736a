#!/usr/bin/env node
// `npm pack` of each publishable package, then checks that the tarball holds
// exactly what a user needs: built entry points, config schema, migrations;
// no tests, fixtures or source; every import declared. Run after the build
// (`npm test` does both). `--out <dir>` keeps the tarballs (for installing).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as rules from './lib/packRules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const work = mkdtempSync(join(tmpdir(), 'flux-pipelines-pack-'));
const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : work;
mkdirSync(out, { recursive: true });

const readJson = file => JSON.parse(readFileSync(file, 'utf8'));
const workspaces = ['packages', 'plugins'].flatMap(dir =>
  readdirSync(join(root, dir)).map(name => join(root, dir, name)),
);
const manifests = workspaces.map(dir => ({
  dir,
  pkg: readJson(join(dir, 'package.json')),
}));
const privateNames = manifests.filter(m => m.pkg.private).map(m => m.pkg.name);
const publishable = manifests.filter(m => !m.pkg.private);

/** Relative paths of the files under `dir` (recursively). */
function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap(e =>
    e.isDirectory()
      ? listFiles(dir, join(prefix, e.name))
      : [join(prefix, e.name)],
  );
}

/** Files a user needs, by how the package's source is laid out. */
function requiredFiles({ dir, pkg }) {
  const migrations = join(dir, 'migrations');
  const required = existsSync(migrations)
    ? listFiles(migrations)
        .filter(f => f.endsWith('.js'))
        .map(f => `migrations/${f}`)
    : [];
  if (pkg.configSchema) required.push('config.schema.json');
  return [...required, 'README.md', 'CHANGELOG.md', 'LICENSE'];
}

let failed = false;
for (const source of publishable) {
  const { name } = source.pkg;
  const [packed] = JSON.parse(
    execFileSync(
      'npm',
      ['pack', '--json', '--silent', '--pack-destination', out],
      { cwd: source.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const files = packed.files.map(f => f.path).sort();
  const unpacked = join(work, name.replace('/', '+'));
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['-xzf', join(out, packed.filename), '-C', unpacked]);
  const manifest = readJson(join(unpacked, 'package', 'package.json'));
  const sources = Object.fromEntries(
    files
      .filter(f => /\.[cm]?js$/.test(f))
      .map(f => [f, readFileSync(join(unpacked, 'package', f), 'utf8')]),
  );
  const problems = [
    ...rules.forbiddenFiles(files),
    ...rules.missingEntryPoints(files, manifest),
    ...rules.missingRuntimeFiles(files, requiredFiles(source)),
    ...rules.missingFeatureMetadata(manifest),
    ...rules.undeclaredImports(sources, manifest),
    ...rules.unpublishableDependencies(manifest, privateNames),
  ];
  const distCount = files.filter(f => f.startsWith('dist/')).length;
  console.log(
    `${problems.length ? 'FAIL' : 'ok  '} ${packed.filename}: ${
      files.length
    } files, ${Math.round(packed.size / 1024)} kB packed`,
  );
  console.log(`     dist/ (${distCount} files)`);
  for (const file of files.filter(f => !f.startsWith('dist/'))) {
    console.log(`     ${file}`);
  }
  for (const problem of problems) console.log(`     problem: ${problem}`);
  failed ||= problems.length > 0;
}

rmSync(work, { recursive: true, force: true });
if (failed) {
  console.log(
    'check-pack: fix the files above (package.json "files", "dependencies"), and build first (npm run build:packages)',
  );
}
process.exit(failed ? 1 : 0);
