import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  configuredIntegrationHosts,
  resolveRepositoryAccess,
} from './repositoryAccess';

describe('resolveRepositoryAccess', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_secret' }],
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: 'https://gitlab.example.com/api/v4',
            token: 'glpat_secret',
          },
        ],
      },
    }),
  );
  const allowedRepositories = [
    'file:///srv/fleet',
    '/data/repos/',
    'https://git.example.org/platform/fleet',
  ];
  const access = (url: string) =>
    resolveRepositoryAccess({ url, integrations, allowedRepositories });

  it('uses the GitHub integration token for a GitHub repository', async () => {
    await expect(access('https://github.com/org/fleet.git')).resolves.toEqual({
      auth: { username: 'x-access-token', password: 'ghp_secret' },
    });
  });

  it('uses the GitLab integration token for a GitLab repository', async () => {
    await expect(
      access('https://gitlab.example.com/group/fleet.git'),
    ).resolves.toEqual({
      auth: { username: 'oauth2', password: 'glpat_secret' },
    });
  });

  it('allows repositories listed in fluxPipelines.promotion.repositories, without credentials', async () => {
    await expect(access('file:///srv/fleet')).resolves.toEqual({});
    await expect(access('/srv/fleet/')).resolves.toEqual({});
    await expect(access('/data/repos/fleet')).resolves.toEqual({});
    await expect(access('file:///data/repos/a/b')).resolves.toEqual({});
    await expect(
      access('https://git.example.org/platform/fleet.git'),
    ).resolves.toEqual({});
  });

  it.each([
    'https://attacker.example.com/org/fleet.git',
    'https://github.com.attacker.example.com/org/fleet.git',
    'https://user:pass@github.com/org/fleet.git',
    'http://169.254.169.254/latest/meta-data',
    'file:///srv/fleet-other',
    '/srv/fleet/../../etc',
    'file:///etc/passwd',
    'https://git.example.org/platform/fleet-other',
    'https://git.example.org/platform',
    'ssh://git@github.com/org/fleet.git',
    'git@github.com:org/fleet.git',
    'ext::sh -c touch% /tmp/pwned',
    '--upload-pack=touch /tmp/pwned',
  ])('refuses %s', async url => {
    await expect(access(url)).rejects.toBeInstanceOf(NotAllowedError);
  });

  describe('with a token from a pipeline secretRef', () => {
    const TOKEN = 'ghp_fromThePipelineSecret';
    const withToken = (url: string) =>
      resolveRepositoryAccess({
        url,
        integrations,
        allowedRepositories,
        token: TOKEN,
      });

    it('uses it instead of the integration credentials, as each host takes a token', async () => {
      await expect(
        withToken('https://github.com/org/fleet.git'),
      ).resolves.toEqual({
        auth: { username: 'x-access-token', password: TOKEN },
      });
      await expect(
        withToken('https://gitlab.example.com/group/fleet.git'),
      ).resolves.toEqual({ auth: { username: 'oauth2', password: TOKEN } });
      await expect(
        withToken('https://git.example.org/platform/fleet.git'),
      ).resolves.toEqual({
        auth: { username: 'x-access-token', password: TOKEN },
      });
      await expect(withToken('file:///srv/fleet')).resolves.toEqual({});
    });

    it.each([
      'https://attacker.example.com/org/fleet.git',
      'https://github.com.attacker.example.com/org/fleet.git',
      'https://user:pass@github.com/org/fleet.git',
      'http://169.254.169.254/latest/meta-data',
      'https://git.example.org/platform/fleet-other',
      'file:///etc/passwd',
      'ssh://git@github.com/org/fleet.git',
    ])('does not widen access: still refuses %s', async url => {
      const refused = withToken(url);
      await expect(refused).rejects.toBeInstanceOf(NotAllowedError);
      await expect(refused).rejects.not.toThrow(TOKEN);
    });
  });

  it('never puts credentials from the URL in its message', async () => {
    await expect(
      access('https://user:hunter2@attacker.example.com/x.git'),
    ).rejects.toThrow(
      'Repository https://***@attacker.example.com/x.git is not allowed',
    );
  });

  it('does not count the github.com and gitlab.com entries ScmIntegrations adds by itself', async () => {
    const config = new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: 'https://gitlab.example.com/api/v4',
            token: 'glpat_secret',
          },
        ],
      },
    });
    const registry = ScmIntegrations.fromConfig(config);
    const integrationHosts = configuredIntegrationHosts(config);
    expect([...integrationHosts]).toEqual(['gitlab.example.com']);
    const resolve = (url: string) =>
      resolveRepositoryAccess({
        url,
        integrations: registry,
        integrationHosts,
        allowedRepositories: [],
        token: 'from-a-secret',
      });
    for (const url of [
      'https://github.com/org/fleet.git',
      'https://gitlab.com/group/fleet.git',
    ]) {
      expect(registry.byUrl(url)).toBeDefined();
      await expect(resolve(url)).rejects.toThrow(NotAllowedError);
    }
    await expect(
      resolve('https://gitlab.example.com/group/fleet.git'),
    ).resolves.toEqual({
      auth: { username: 'oauth2', password: 'from-a-secret' },
    });
  });
});
