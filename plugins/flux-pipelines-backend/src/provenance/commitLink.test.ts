import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { commitLink } from './commitLink';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.example.com' }, { host: '127.0.0.1:8080' }],
      gitlab: [
        {
          host: 'gitlab.example.com',
          apiBaseUrl: 'https://gitlab.example.com/api/v4',
        },
      ],
      bitbucketServer: [
        {
          host: 'bitbucket.example.com',
          apiBaseUrl: 'https://bitbucket.example.com/rest/api/1.0',
        },
      ],
    },
  }),
);
const link = (url: string, allowInsecureHttp = false) =>
  commitLink(url, SHA, { integrations, allowInsecureHttp });

describe('commitLink', () => {
  it('builds each provider’s commit page from a clone URL', () => {
    expect(link('https://github.com/org/fleet.git')).toBe(
      `https://github.com/org/fleet/commit/${SHA}`,
    );
    expect(link('https://github.example.com/org/fleet')).toBe(
      `https://github.example.com/org/fleet/commit/${SHA}`,
    );
    expect(link('https://gitlab.example.com/group/sub/fleet.git')).toBe(
      `https://gitlab.example.com/group/sub/fleet/-/commit/${SHA}`,
    );
    expect(link('https://bitbucket.example.com/scm/OPS/fleet.git')).toBe(
      `https://bitbucket.example.com/projects/OPS/repos/fleet/commits/${SHA}`,
    );
  });

  it('links nothing it cannot vouch for', () => {
    // No integration for the host, a local path, ssh, credentials in the URL.
    expect(link('https://git.example.org/org/fleet')).toBeUndefined();
    expect(link('/srv/fleet')).toBeUndefined();
    expect(link('file:///srv/fleet')).toBeUndefined();
    expect(link('git@github.com:org/fleet.git')).toBeUndefined();
    expect(link('https://user:pw@github.com/org/fleet')).toBeUndefined();
    expect(link('https://github.com/org/fleet?x=1')).toBeUndefined();
    expect(link('https://github.com/org/../fleet')).toBeUndefined();
    // Plain http: only to a loopback host, and only when allowed.
    expect(link('http://127.0.0.1:8080/org/fleet.git')).toBeUndefined();
    expect(link('http://127.0.0.1:8080/org/fleet.git', true)).toBe(
      `http://127.0.0.1:8080/org/fleet/commit/${SHA}`,
    );
    expect(link('http://github.example.com/org/fleet', true)).toBeUndefined();
    // Only a full sha.
    expect(
      commitLink('https://github.com/org/fleet', 'main', { integrations }),
    ).toBeUndefined();
  });
});
