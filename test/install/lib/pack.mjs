// Builds our packages with the workspace's own scripts and packs them with
// `npm pack`, as `npm publish` would. Names, versions and entry points are
// read from plugins/*/package.json, never assumed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args, cwd) {
  execFileSync(cmd, args, { cwd, stdio: 'inherit' });
}

/** The workspace's publishable packages: every plugins/* that is not private. */
export function readPackages(root) {
  return readdirSync(join(root, 'plugins'), { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => {
      const dir = join(root, 'plugins', d.name);
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { dir, json, name: json.name, version: json.version };
    })
    .filter(p => !p.json.private);
}

/** Type declarations for the workspace, then each package's `build` script. */
export function buildPackages(root, packages) {
  run('npm', ['run', '--silent', 'tsc'], root);
  for (const p of packages) run('npm', ['run', '--silent', 'build'], p.dir);
}

/**
 * `npm pack` of each package into `outDir`. Returns, per package, the tarball
 * and npm's own integrity figures (what a registry would serve).
 */
export function packPackages(packages, outDir) {
  return packages.map(p => {
    // Backstage packages switch package.json to their publishConfig (dist/)
    // in a prepack script. Without one, `npm pack` ships a package.json that
    // points at src/, which the tarball does not contain.
    const shim = !p.json.scripts?.prepack;
    if (shim) {
      console.warn(
        `!!! ${p.name} has no "prepack" script; running backstage-cli package prepack for it (the package must declare it to be published right)`,
      );
      run('npx', ['backstage-cli', 'package', 'prepack'], p.dir);
    }
    try {
      const out = execFileSync(
        'npm',
        ['pack', '--json', '--pack-destination', outDir],
        { cwd: p.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const [info] = JSON.parse(out.slice(out.indexOf('[')));
      return {
        name: p.name,
        version: p.version,
        tarball: join(outDir, info.filename),
        integrity: info.integrity,
        shasum: info.shasum,
        files: info.files.map(f => f.path),
      };
    } finally {
      if (shim) run('npx', ['backstage-cli', 'package', 'postpack'], p.dir);
    }
  });
}

/** The package.json inside a tarball: what npm sees once it is published. */
export function manifestOf(tarball) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}
