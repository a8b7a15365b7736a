import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  CommitStrategySpec,
  Pipeline,
  Promotion,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { podinfoPipeline, podinfoRelease } from '../__testUtils__/fixtures';
import {
  DEFAULT_VERSION_FIELDS,
  RepositoryRule,
} from '../../config/readDestinationConfig';
import { DestinationPolicy } from '../git/DestinationPolicy';
import { GitRepository } from '../git/GitRepository';
import { createTestRemote, TestRemote } from '../git/__testUtils__/testRemote';
import { PromotionContext } from '../types';
import { CommitStrategy } from './CommitStrategy';

const podinfo = (version: string) => podinfoRelease('test', version);

const pipeline: Pipeline = {
  ...podinfoPipeline,
  environments: [
    { name: 'dev', targets: [{ cluster: 'local', namespace: 'dev' }] },
    { name: 'test', targets: [{ cluster: 'local', namespace: 'test' }] },
  ],
};

// Real git runs several processes per test.
jest.setTimeout(60_000);

describe('CommitStrategy', () => {
  let remote: TestRemote;
  const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));

  const strategyFor = (
    cloneRepository?: typeof GitRepository.clone,
    repositories: RepositoryRule[] = [
      { url: remote.path, branches: ['main'], paths: ['apps/**'] },
    ],
  ) =>
    new CommitStrategy({
      integrations,
      destinations: new DestinationPolicy({
        repositories,
        versionFields: DEFAULT_VERSION_FIELDS,
        allowInsecureHttp: false,
      }),
      logger: mockServices.logger.mock(),
      cloneRepository,
    });

  const contextFor = (
    overrides: {
      environment?: string;
      spec?: Partial<CommitStrategySpec>;
    } = {},
  ): PromotionContext => {
    const promotion: Promotion = {
      id: 'promo-1',
      pipelineNamespace: 'flux-system',
      pipelineName: 'podinfo',
      environment: overrides.environment ?? 'test',
      fromEnvironment: 'dev',
      version: '6.1.0',
      trigger: 'manual',
      strategy: 'commit',
      state: 'in-progress',
      requestedBy: 'user:default/jane',
      requestedAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    return {
      pipeline,
      promotion,
      spec: {
        type: 'commit',
        url: remote.url,
        branch: 'main',
        ...overrides.spec,
      },
      author: { name: 'Jane Doe', email: 'jane@example.com' },
    };
  };

  const log = () => remote.git('log', '--format=%s', 'main').split('\n');

  beforeEach(() => {
    remote = createTestRemote({ 'apps/test/podinfo.yaml': podinfo('6.0.0') });
  });

  afterEach(() => remote.cleanup());

  it('commits the new version to the branch, as the author, with the promotion trailer', async () => {
    const outcome = await strategyFor().promote(contextFor());

    const head = remote.git('rev-parse', 'main');
    expect(outcome).toEqual({ state: 'committed', commitSha: head });
    expect(remote.show('main', 'apps/test/podinfo.yaml')).toBe(
      podinfo('6.1.0').trimEnd(),
    );
    expect(remote.git('log', '-1', '--format=%an <%ae>', 'main')).toBe(
      'Jane Doe <jane@example.com>',
    );
    expect(remote.git('log', '-1', '--format=%s', 'main')).toBe(
      'Promote flux-system/podinfo 6.1.0 to test',
    );
    expect(
      remote.git(
        'log',
        '-1',
        '--format=%(trailers:key=Flux-Pipelines-Promotion,valueonly)',
        'main',
      ),
    ).toBe('promo-1');
  });

  it('retries when another commit lands between its clone and its push, keeping both', async () => {
    let clones = 0;
    const racingClone: typeof GitRepository.clone = async options => {
      const repository = await GitRepository.clone(options);
      if (clones++ === 0) {
        remote.commit(
          'main',
          { 'apps/prod/podinfo.yaml': 'a: 1\n' },
          'Concurrent change',
        );
      }
      return repository;
    };

    const outcome = await strategyFor(racingClone).promote(contextFor());

    expect(log()).toEqual([
      'Promote flux-system/podinfo 6.1.0 to test',
      'Concurrent change',
      'Seed',
    ]);
    expect(outcome).toEqual({
      state: 'committed',
      commitSha: remote.git('rev-parse', 'main'),
    });
    expect(remote.show('main', 'apps/prod/podinfo.yaml')).toBe('a: 1');
    expect(remote.show('main', 'apps/test/podinfo.yaml')).toContain(
      'version: 6.1.0 #',
    );
  });

  it('makes no second commit when the branch already has the version', async () => {
    const strategy = strategyFor();
    const first = await strategy.promote(contextFor());
    const second = await strategy.promote(contextFor());

    expect(second).toEqual(first);
    expect(log()).toHaveLength(2);
  });

  it('previews the change without pushing anything', async () => {
    const before = remote.git('rev-parse', 'main');

    const diffs = await strategyFor().preview(contextFor());

    expect(diffs).toEqual([
      { path: 'apps/test/podinfo.yaml', diff: expect.any(String) },
    ]);
    expect(diffs[0].diff).toContain('-      version: 6.0.0 #');
    expect(diffs[0].diff).toContain('+      version: 6.1.0 #');
    expect(remote.git('rev-parse', 'main')).toBe(before);
    expect(remote.git('branch', '--list').trim()).toBe('* main');
  });

  it('edits a configured file and field instead of the marker', async () => {
    await strategyFor().promote(
      contextFor({
        environment: 'prod',
        spec: {
          path: 'apps/test/podinfo.yaml',
          field: 'spec.chart.spec.version',
        },
      }),
    );
    expect(remote.git('log', '-1', '--format=%s', 'main')).toBe(
      'Promote flux-system/podinfo 6.1.0 to prod',
    );
  });

  it('refuses a repository that is not allowed', async () => {
    await expect(
      strategyFor(undefined, []).promote(contextFor()),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      strategyFor().promote(
        contextFor({ spec: { url: 'https://attacker.example.com/fleet.git' } }),
      ),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('names the marker it looked for when nothing is marked', async () => {
    const promote = strategyFor().promote(contextFor({ environment: 'prod' }));
    await expect(promote).rejects.toBeInstanceOf(InputError);
    await expect(promote).rejects.toThrow(
      '# {"$promotion": "flux-system:podinfo:prod"}',
    );
    expect(log()).toEqual(['Seed']);
  });
});
