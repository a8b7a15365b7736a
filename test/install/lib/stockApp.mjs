// Generates the stock Backstage app that `@backstage/create-app` makes, in a
// folder outside the workspace, through create-app's own templating (its CLI
// insists on yarn and Node 22+, which this project's machines do not have).
// The only changes are the ones npm needs instead of yarn, listed in
// `adaptForNpm`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The create-app release whose template the test installs into. */
export const CREATE_APP_VERSION = '0.9.2';

/** Installs create-app (once) into `cacheDir` and returns its folder. */
export function installCreateApp(cacheDir) {
  const prefix = join(cacheDir, `create-app-${CREATE_APP_VERSION}`);
  const pkgDir = join(prefix, 'node_modules', '@backstage', 'create-app');
  if (!existsSync(join(pkgDir, 'package.json'))) {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--no-save',
        `@backstage/create-app@${CREATE_APP_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
  }
  return pkgDir;
}

/**
 * Writes the default template (the new frontend system) into `appDir` with
 * create-app's `templatingTask`, which fills `{{version 'pkg'}}` from the
 * Backstage release that create-app belongs to.
 */
export async function generateStockApp({ cacheDir, appDir, name = 'stock' }) {
  const pkgDir = installCreateApp(cacheDir);
  const require = createRequire(join(pkgDir, 'package.json'));
  const { templatingTask } = require('./dist/lib/tasks.cjs.js');
  await templatingTask(join(pkgDir, 'templates', 'default-app'), appDir, {
    name,
    defaultBranch: 'main',
  });
  adaptForNpm(appDir);
  return { appDir, template: 'default-app', createApp: CREATE_APP_VERSION };
}

function editJson(file, edit) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * npm instead of yarn, and nothing else:
 * - npm does not know yarn's `link:` protocol (the backend's dependency on the
 *   app, a workspace, is written the npm way) nor `packageManager: yarn@...`;
 * - npm, unlike yarn, refuses the template's peer dependency conflicts
 *   (Material UI 4 declares React <= 17) unless told to behave like yarn;
 * - create-app writes `^` ranges and, for yarn, relies on a yarn.lock seed it
 *   downloads from GitHub (unreachable here). Without it a fresh resolution
 *   mixes Backstage releases (today: signals-backend 0.3.21 of a later release
 *   on backend-defaults 0.18.0, and the stock backend fails at start with
 *   "httpRouter.addWebSocketHandler is not a function"). So the app's own
 *   `@backstage/*` dependencies are pinned to the versions of the release
 *   create-app belongs to, the versions it wrote;
 * - better-sqlite3 is built from source (`.prebuild-installrc`, as in our
 *   workspace): its prebuilt binaries are on GitHub.
 */
export function adaptForNpm(appDir) {
  editJson(join(appDir, 'package.json'), json => {
    delete json.packageManager;
  });
  for (const pkg of ['.', 'packages/app', 'packages/backend']) {
    editJson(join(appDir, pkg, 'package.json'), json => {
      for (const deps of [json.dependencies, json.devDependencies]) {
        for (const [dep, range] of Object.entries(deps ?? {})) {
          if (range.startsWith('link:')) deps[dep] = '*';
          if (dep.startsWith('@backstage/'))
            deps[dep] = range.replace(/^\^/, '');
        }
      }
    });
  }
  writeFileSync(join(appDir, '.npmrc'), 'legacy-peer-deps=true\n');
  writeFileSync(join(appDir, '.prebuild-installrc'), 'buildFromSource=true\n');
}
