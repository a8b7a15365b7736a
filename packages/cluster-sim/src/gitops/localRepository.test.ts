import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeObject } from '../store/types';
import { seedRepository } from './localRepository';

const objects: KubeObject[] = [
  {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: { chart: { spec: { chart: 'podinfo', version: '6.0.0' } } },
  },
  {
    apiVersion: 'pipelines.weave.works/v1alpha1',
    kind: 'Pipeline',
    metadata: { name: 'podinfo', namespace: 'flux-system' },
    spec: {
      appRef: { kind: 'HelmRelease', name: 'podinfo' },
      environments: [{ name: 'test', targets: [{ namespace: 'test' }] }],
    },
  },
] as KubeObject[];

const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
);
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8', env: ENV },
  ).trim();

jest.setTimeout(60_000);

describe('seedRepository', () => {
  let root: string;
  let fleet: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cluster-sim-seed-'));
    fleet = join(root, 'fleet');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Clones the fleet, sets a version and pushes to main, as the commit promotion does. */
  const promote = (version: string) => {
    const work = join(root, `work-${version}`);
    git(root, 'clone', '--quiet', `file://${fleet}`, work);
    const file = join(work, 'apps/test/podinfo.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/version: \S+/, `version: ${version}`),
    );
    git(work, 'commit', '--quiet', '--all', '-m', `podinfo ${version}`);
    git(work, 'push', '--quiet', 'origin', 'HEAD:main');
    return git(work, 'rev-parse', 'HEAD');
  };

  it('seeds a marked fleet repository that takes pushes to its checked-out branch', () => {
    expect(seedRepository(fleet, 'main', objects)).toBe(true);
    expect(
      readFileSync(join(fleet, 'apps/test/podinfo.yaml'), 'utf8'),
    ).toContain('version: 6.0.0 # {"$promotion": "flux-system:podinfo:test"}');

    const sha = promote('6.1.0');

    expect(git(fleet, 'rev-parse', 'HEAD')).toBe(sha);
    expect(
      readFileSync(join(fleet, 'apps/test/podinfo.yaml'), 'utf8'),
    ).toContain('version: 6.1.0 # {"$promotion": "flux-system:podinfo:test"}');
    expect(git(fleet, 'status', '--porcelain')).toBe('');
  });

  it('lets an existing repository take pushes too, without reseeding it', () => {
    mkdirSync(fleet);
    git(fleet, 'init', '--quiet', '--initial-branch', 'main');
    mkdirSync(join(fleet, 'apps/test'), { recursive: true });
    writeFileSync(join(fleet, 'apps/test/podinfo.yaml'), 'version: 6.0.0\n');
    git(fleet, 'add', '.');
    git(fleet, 'commit', '--quiet', '-m', 'existing');

    expect(seedRepository(fleet, 'main', objects)).toBe(false);
    promote('6.2.0');

    expect(readFileSync(join(fleet, 'apps/test/podinfo.yaml'), 'utf8')).toBe(
      'version: 6.2.0\n',
    );
    expect(git(fleet, 'log', '--format=%s')).toBe('podinfo 6.2.0\nexisting');
  });
});
