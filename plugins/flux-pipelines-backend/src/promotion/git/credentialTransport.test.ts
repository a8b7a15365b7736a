import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  assertCredentialTransport,
  pullRequestApiBaseUrl,
} from './credentialTransport';
import { gitEnvironment } from './runGit';

const check =
  (url: string, allowInsecureHttp = false) =>
  () =>
    assertCredentialTransport({
      url,
      allowInsecureHttp,
      what: 'the git credentials',
    });

describe('assertCredentialTransport', () => {
  it('sends credentials over https and ssh', () => {
    expect(check('https://github.com/org/fleet')).not.toThrow();
    expect(check('ssh://git@github.com/org/fleet')).not.toThrow();
  });

  it('refuses plain http, before any I/O, naming the rule', () => {
    expect(check('http://github.com/org/fleet', true)).toThrow(NotAllowedError);
    expect(check('http://github.com/org/fleet')).toThrow(
      'refused by fluxPipelines.promotion.allowInsecureHttp: the git credentials for http://github.com/org/fleet would go over plain http',
    );
    // Loopback only when app-config says so.
    expect(check('http://127.0.0.1:17443/example/fleet.git')).toThrow(
      NotAllowedError,
    );
    for (const url of [
      'http://127.0.0.1:17443/x/y',
      'http://127.9.9.9/x/y',
      'http://[::1]:80/x/y',
      'http://localhost/x/y',
    ]) {
      expect(check(url, true)).not.toThrow();
    }
    for (const url of [
      'http://127.0.0.1.evil.io/x/y',
      'http://10.0.0.1/x/y',
      'http://localhost.evil.io/x/y',
      'not a url',
    ]) {
      expect(check(url, true)).toThrow(NotAllowedError);
    }
  });

  it('finds the API base URL a pull-request provider would call', () => {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'ghe.example.com',
              apiBaseUrl: 'http://ghe.example.com/api/v3',
              token: 't',
            },
          ],
          gitlab: [
            {
              host: 'gitlab.example.com',
              apiBaseUrl: 'https://gitlab.example.com/api/v4',
              token: 't',
            },
          ],
        },
      }),
    );
    expect(
      pullRequestApiBaseUrl(
        { provider: 'github', url: 'https://ghe.example.com/org/fleet' },
        integrations,
      ),
    ).toBe('http://ghe.example.com/api/v3');
    expect(
      pullRequestApiBaseUrl(
        { provider: 'gitlab', url: 'https://gitlab.example.com/g/fleet' },
        integrations,
      ),
    ).toBe('https://gitlab.example.com/api/v4');
  });

  it('never puts a credential into git\u2019s environment for plain http to another machine', () => {
    const headerFor = (url: string) => {
      const env = gitEnvironment({
        url,
        auth: { username: 'x-access-token', password: 'secret' },
        hooksPath: '/nonexistent',
      });
      return Object.values(env).some(v => v?.startsWith('Authorization:'));
    };
    expect(headerFor('https://git.example.com/org/fleet')).toBe(true);
    expect(headerFor('http://127.0.0.1:17443/org/fleet')).toBe(true);
    expect(headerFor('http://git.example.com/org/fleet')).toBe(false);
  });
});
