import { NotAllowedError } from '@backstage/errors';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  DEFAULT_VERSION_FIELDS,
  RepositoryRule,
} from '../../config/readDestinationConfig';
import { assertVersion, DestinationPolicy } from './DestinationPolicy';
import { matchesGlob } from './pathGlob';
import { repositoryKey } from './repositoryKey';

const FLEET = 'https://git.example.com/org/fleet';
const fromCluster = {
  namespace: 'flux-system',
  name: 'podinfo',
  source: 'cluster',
} as Pipeline;
const fromConfig = { ...fromCluster, source: 'config' } as Pipeline;

const policy = (repositories: RepositoryRule[]) =>
  new DestinationPolicy({
    repositories,
    versionFields: DEFAULT_VERSION_FIELDS,
    allowInsecureHttp: false,
  });
const listed = policy(
  [
    { url: FLEET, branches: ['main', 'env/*'], paths: ['apps/test/**'] },
    'https://git.example.com/org/plain' as unknown as RepositoryRule,
  ].map(r => (typeof r === 'string' ? { url: r } : r)),
);

describe('repositoryKey', () => {
  it('reads the spellings of one repository as one key, and a neighbour as another', () => {
    const key = repositoryKey(FLEET);
    for (const url of [
      'https://Git.Example.com/org/fleet',
      'https://git.example.com/org/fleet.git/',
      'https://git.example.com:443/org/fleet/',
      'https://git.example.com/org//fleet',
      'https://git.example.com/other/../org/fleet',
    ]) {
      expect(repositoryKey(url)).toBe(key);
    }
    for (const url of [
      'https://git.example.com/org/fleet-evil',
      'https://git.example.com/org/fleet/sub',
      'http://git.example.com/org/fleet',
      'https://git.example.com.evil.io/org/fleet',
    ]) {
      expect(repositoryKey(url)).not.toBe(key);
    }
    expect(
      repositoryKey('https://user:pw@git.example.com/org/fleet'),
    ).toBeUndefined();
    expect(repositoryKey('git@git.example.com:org/fleet.git')).toBe(
      repositoryKey('ssh://git@git.example.com/org/fleet'),
    );
    expect(repositoryKey('/srv/fleet/')).toBe(
      repositoryKey('file:///srv/fleet'),
    );
    expect(repositoryKey('/srv/fleet/../fleet-evil')).not.toBe(
      repositoryKey('/srv/fleet'),
    );
  });
});

describe('matchesGlob', () => {
  it('keeps * within a segment and lets ** span them', () => {
    expect(matchesGlob('apps/test/*.yaml', 'apps/test/podinfo.yaml')).toBe(
      true,
    );
    expect(matchesGlob('apps/test/*.yaml', 'apps/test/x/podinfo.yaml')).toBe(
      false,
    );
    expect(matchesGlob('apps/**', 'apps/test/x/podinfo.yaml')).toBe(true);
    expect(matchesGlob('**/podinfo.yaml', 'podinfo.yaml')).toBe(true);
    expect(
      matchesGlob('apps/test/podinfo.yaml', 'apps/testXpodinfo.yaml'),
    ).toBe(false);
    expect(matchesGlob('env/*', 'env/prod')).toBe(true);
  });
});

describe('DestinationPolicy', () => {
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(NotAllowedError);
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  it('lets a cluster pipeline write only to a listed repository, branch and path', () => {
    const rules = listed.checkDestination(fromCluster, {
      url: 'https://GIT.example.com/org/fleet.git',
      branch: 'env/test',
    });
    expect(rules).toHaveLength(1);
    expect(() =>
      listed.checkPaths(fromCluster, { url: FLEET, branch: 'main' }, rules, [
        'apps/test/podinfo.yaml',
      ]),
    ).not.toThrow();
    expect(
      refusal(() =>
        listed.checkPaths(fromCluster, { url: FLEET, branch: 'main' }, rules, [
          'apps/prod/podinfo.yaml',
        ]),
      ),
    ).toBe(
      `refused by fluxPipelines.promotion.repositories: path apps/prod/podinfo.yaml is not allowed for ${FLEET} (branch main)`,
    );
    for (const path of [
      'apps/test/../prod/podinfo.yaml',
      '/etc/passwd',
      '../x.yaml',
      'apps/test/.git/config',
    ]) {
      expect(
        refusal(() =>
          listed.checkPaths(
            fromCluster,
            { url: FLEET, branch: 'main' },
            rules,
            [path],
          ),
        ),
      ).toMatch(/^refused by fluxPipelines.promotion.repositories: path/);
    }
    expect(
      refusal(() =>
        listed.checkDestination(fromCluster, { url: FLEET, branch: 'release' }),
      ),
    ).toContain('branch release is not allowed');
    expect(
      refusal(() =>
        listed.checkDestination(fromCluster, {
          url: `${FLEET}-evil`,
          branch: 'main',
        }),
      ),
    ).toContain('is not listed with branches and paths');
  });

  it('treats a plain URL entry as config pipelines only, and leaves config pipelines to the integrations', () => {
    expect(
      refusal(() =>
        listed.checkDestination(fromCluster, {
          url: 'https://git.example.com/org/plain',
          branch: 'main',
        }),
      ),
    ).toContain('is not listed with branches and paths');
    expect(
      listed.checkDestination(fromConfig, {
        url: 'https://git.example.com/org/plain',
        branch: 'anything',
        selector: {
          path: 'apps/prod/x.yaml',
          field: 'spec.values.replicaCount',
        },
      }),
    ).toBeUndefined();
    expect(listed.repositoryUrls).toEqual([
      FLEET,
      'https://git.example.com/org/plain',
    ]);
  });

  it('lets a cluster pipeline change only a version field', () => {
    const target = (field: string) => ({
      url: FLEET,
      branch: 'main',
      selector: { path: 'apps/test/podinfo.yaml', field },
    });
    expect(
      listed.checkDestination(fromCluster, target('spec.chart.spec.version')),
    ).toHaveLength(1);
    expect(
      refusal(() =>
        listed.checkDestination(
          fromCluster,
          target('spec.values.replicaCount'),
        ),
      ),
    ).toContain(
      'refused by fluxPipelines.promotion.versionFields: field spec.values.replicaCount',
    );
  });

  it('writes only version strings', () => {
    for (const v of [
      '6.5.1',
      'v1.2.3-rc.1+build.5',
      '6.5.1@sha256:0123abcd',
      'main@sha1:0123abcd',
    ]) {
      expect(() => assertVersion(v)).not.toThrow();
    }
    for (const v of [
      '6.5.1\nspec: evil',
      '6.5.1 # x',
      '"6.5.1"',
      '{a: 1}',
      '',
      'x'.repeat(256),
    ]) {
      expect(() => assertVersion(v)).toThrow(
        /^refused by fluxPipelines.promotion: /,
      );
    }
  });
});
