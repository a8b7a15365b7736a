import { InputError } from '@backstage/errors';
import { parseBitbucketServerUrl } from './bitbucketServerUrl';

describe('parseBitbucketServerUrl', () => {
  it.each([
    ['https://bitbucket.example.com/scm/PLAT/fleet.git', 'PLAT', 'fleet'],
    ['https://bitbucket.example.com/scm/plat/fleet', 'PLAT', 'fleet'],
    [
      'https://bitbucket.example.com/projects/PLAT/repos/fleet/browse',
      'PLAT',
      'fleet',
    ],
    [
      'https://bitbucket.example.com/projects/PLAT/repos/fleet/browse/apps/prod?at=refs%2Fheads%2Fmain',
      'PLAT',
      'fleet',
    ],
    [
      'https://bitbucket.example.com/users/jdoe/repos/fleet/browse',
      '~jdoe',
      'fleet',
    ],
    ['https://bitbucket.example.com/scm/~jdoe/fleet.git', '~jdoe', 'fleet'],
    ['ssh://git@bitbucket.example.com:7999/plat/fleet.git', 'PLAT', 'fleet'],
    ['git@bitbucket.example.com:plat/fleet.git', 'PLAT', 'fleet'],
  ])('reads %s', (url, projectKey, slug) => {
    expect(parseBitbucketServerUrl(url)).toEqual({
      origin: 'https://bitbucket.example.com',
      projectKey,
      slug,
    });
  });

  it('keeps a context path out of the repository and a port in the origin', () => {
    expect(
      parseBitbucketServerUrl(
        'https://code.example.com:8443/bitbucket/scm/PLAT/fleet.git',
      ),
    ).toEqual({
      origin: 'https://code.example.com:8443',
      projectKey: 'PLAT',
      slug: 'fleet',
    });
  });

  it('refuses a URL that names no repository, without credentials', () => {
    expect(() =>
      parseBitbucketServerUrl(
        'https://bot:secret@bitbucket.example.com/dashboard/overview/x',
      ),
    ).toThrow(
      new InputError(
        'https://bitbucket.example.com/dashboard/overview/x is not a Bitbucket Server repository URL (…/scm/PROJECT/repo.git or …/projects/PROJECT/repos/repo)',
      ),
    );
  });
});
