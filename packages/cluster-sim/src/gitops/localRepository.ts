import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeObject } from '../store/types';

const AUTHOR = [
  '-c',
  'user.name=cluster-sim',
  '-c',
  'user.email=cluster-sim@localhost',
];

/** The working-tree path of a repository given as a path or file:// URL; undefined for remote URLs. */
export function localRepositoryPath(repo: string): string | undefined {
  if (repo.startsWith('file://')) return repo.slice('file://'.length);
  return /^[a-z]+:\/\//.test(repo) ? undefined : repo;
}

/**
 * Creates a fleet repository when `path` is not one yet: each HelmRelease goes to
 * `apps/<namespace>/<name>.yaml`, its version line marked for pipeline promotion
 * (`# {"$promotion": "<pipelineNamespace>:<pipeline>:<env>"}`) when a Pipeline targets it.
 * New or not, the repository accepts pushes to its checked-out branch (the
 * commit promotion strategy pushes there), which update its working tree.
 */
export function seedRepository(
  path: string,
  branch: string,
  objects: KubeObject[],
): boolean {
  if (existsSync(join(path, '.git'))) {
    acceptPushes(path);
    return false;
  }
  mkdirSync(path, { recursive: true });
  git(path, 'init', '--quiet', '--initial-branch', branch);
  acceptPushes(path);
  const markers = promotionMarkers(objects);
  for (const hr of objects.filter(o => o.kind === 'HelmRelease')) {
    const ns = hr.metadata.namespace ?? 'default';
    mkdirSync(join(path, 'apps', ns), { recursive: true });
    let text = stringify({
      apiVersion: hr.apiVersion,
      kind: hr.kind,
      metadata: hr.metadata,
      spec: hr.spec,
    });
    const marker = markers.get(`${ns}/${hr.metadata.name}`);
    if (marker)
      text = text.replace(
        /^(\s*version:\s*\S+)$/m,
        `$1 # {"$promotion": "${marker}"}`,
      );
    writeFileSync(join(path, 'apps', ns, `${hr.metadata.name}.yaml`), text);
  }
  git(path, 'add', '.');
  git(path, ...AUTHOR, 'commit', '--quiet', '-m', 'Seed fleet repository');
  return true;
}

/** Commits a new chart version (and values) of `apps/<namespace>/<name>.yaml`, as a merged change would. */
export function commitHelmReleaseVersion(
  path: string,
  namespace: string,
  name: string,
  version: string,
): string {
  const file = findHelmReleaseFile(path, namespace, name);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(
    /^(\s*version:\s*)["']?[^\s#"']+["']?/m,
    `$1${version}`,
  );
  writeFileSync(file, next);
  git(path, 'add', file);
  git(
    path,
    ...AUTHOR,
    'commit',
    '--quiet',
    '--allow-empty',
    '-m',
    `${namespace}/${name}: chart version ${version}`,
  );
  return git(path, 'rev-parse', 'HEAD').trim();
}

function findHelmReleaseFile(path: string, namespace: string, name: string) {
  const conventional = join(path, 'apps', namespace, `${name}.yaml`);
  if (existsSync(conventional)) return conventional;
  const dir = join(path, 'apps', namespace);
  const found = existsSync(dir)
    ? readdirSync(dir)
        .map(f => join(dir, f))
        .find(
          f =>
            /kind:\s*HelmRelease/.test(readFileSync(f, 'utf8')) &&
            new RegExp(`name:\\s*${name}\\b`).test(readFileSync(f, 'utf8')),
        )
    : undefined;
  if (!found)
    throw new Error(`no HelmRelease ${namespace}/${name} under ${dir}`);
  return found;
}

/** Pushes to the checked-out branch update the working tree (when it is clean). */
function acceptPushes(path: string) {
  git(path, 'config', 'receive.denyCurrentBranch', 'updateInstead');
}

function promotionMarkers(objects: KubeObject[]) {
  const markers = new Map<string, string>();
  for (const p of objects.filter(o => o.kind === 'Pipeline')) {
    for (const env of p.spec?.environments ?? []) {
      for (const target of env.targets ?? []) {
        if (target.clusterRef) continue;
        markers.set(
          `${target.namespace}/${p.spec.appRef?.name}`,
          `${p.metadata.namespace ?? 'default'}:${p.metadata.name}:${env.name}`,
        );
      }
    }
  }
  return markers;
}

function git(cwd: string, ...args: string[]) {
  return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });
}
