import { InputError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { podinfoRelease } from '../__testUtils__/fixtures';
import { GitRepository } from './GitRepository';
import { NonFastForwardError } from './nonFastForward';
import { createTestRemote, TestRemote } from './__testUtils__/testRemote';

const MARKER = 'flux-system:podinfo:test';
const podinfo = (version: string) => podinfoRelease('test', version);
const author = { name: 'Jane Doe', email: 'jane@example.com' };

// Real git runs several processes per test.
jest.setTimeout(60_000);

describe('GitRepository', () => {
  let remote: TestRemote;
  const repositories: GitRepository[] = [];
  const clone = async (url = remote.url) => {
    const repository = await GitRepository.clone({ url, branch: 'main' });
    repositories.push(repository);
    return repository;
  };

  beforeEach(() => {
    remote = createTestRemote({
      'apps/test/podinfo.yaml': podinfo('6.0.0'),
      'apps/test/other.yml': 'kind: ConfigMap\n',
      'README.md': `version: 1.0.0 # {"$promotion": "${MARKER}"}\n`,
    });
  });

  afterEach(async () => {
    await Promise.all(repositories.splice(0).map(r => r.dispose()));
    remote.cleanup();
  });

  it('edits the marked YAML files and returns their diffs', async () => {
    const repository = await clone();
    const diffs = await repository.editPromotion({
      marker: MARKER,
      version: '6.1.0',
      selector: {},
    });
    expect(diffs).toEqual([
      { path: 'apps/test/podinfo.yaml', diff: expect.any(String) },
    ]);
    expect(diffs[0].diff).toContain(
      `-      version: 6.0.0 # {"$promotion": "${MARKER}"}\n+      version: 6.1.0 # {"$promotion": "${MARKER}"}`,
    );
    expect(diffs[0].diff).toMatch(/^--- a\/apps\/test\/podinfo\.yaml/);
    expect(readFileSync(join(repository.dir, 'README.md'), 'utf8')).toContain(
      '1.0.0',
    );
  });

  it('edits a field of a given file', async () => {
    const repository = await GitRepository.clone({
      url: remote.path, // a plain path works like its file:// URL
      branch: 'main',
    });
    repositories.push(repository);
    const diffs = await repository.editPromotion({
      marker: MARKER,
      version: '6.2.0',
      selector: {
        path: 'apps/test/podinfo.yaml',
        field: 'spec.chart.spec.version',
      },
    });
    expect(diffs.map(d => d.path)).toEqual(['apps/test/podinfo.yaml']);
  });

  it('says which marker it looked for when nothing is marked', async () => {
    const repository = await clone();
    const edit = repository.editPromotion({
      marker: 'flux-system:podinfo:prod',
      version: '6.1.0',
      selector: {},
    });
    await expect(edit).rejects.toThrow(InputError);
    await expect(edit).rejects.toThrow(
      'No value is marked with # {"$promotion": "flux-system:podinfo:prod"}',
    );
  });

  it('refuses paths outside the repository', async () => {
    const repository = await clone();
    await expect(
      repository.editPromotion({
        marker: MARKER,
        version: '1',
        selector: { path: '../../etc/passwd', field: 'a' },
      }),
    ).rejects.toThrow(
      'Promotion path ../../etc/passwd is outside the repository',
    );
  });

  it('commits as the author, and reports nothing to commit', async () => {
    const repository = await clone();
    expect(await repository.commitAll('nothing', author)).toBeUndefined();
    await repository.editPromotion({
      marker: MARKER,
      version: '6.1.0',
      selector: {},
    });
    const sha = await repository.commitAll('Promote', author);
    expect(sha).toBe(await repository.headSha());
    await repository.push('HEAD', 'main');
    expect(remote.git('log', '-1', '--format=%an <%ae>|%cn|%s', 'main')).toBe(
      'Jane Doe <jane@example.com>|Jane Doe|Promote',
    );
    expect(remote.show('main', 'apps/test/podinfo.yaml')).toBe(
      podinfo('6.1.0').trimEnd(),
    );
  });

  it('tells a rejected push apart, and pushes after resetting to the remote', async () => {
    const repository = await clone();
    remote.commit('main', { 'apps/prod/new.yaml': 'a: 1\n' }, 'Concurrent');
    await repository.editPromotion({
      marker: MARKER,
      version: '6.1.0',
      selector: {},
    });
    await repository.commitAll('Promote', author);
    await expect(repository.push('HEAD', 'main')).rejects.toBeInstanceOf(
      NonFastForwardError,
    );
    await repository.resetToRemote('main');
    expect(existsSync(join(repository.dir, 'apps/prod/new.yaml'))).toBe(true);
    await repository.editPromotion({
      marker: MARKER,
      version: '6.1.0',
      selector: {},
    });
    await repository.commitAll('Promote', author);
    await repository.push('HEAD', 'main');
    expect(remote.git('log', '--format=%s', 'main').split('\n')).toEqual([
      'Promote',
      'Concurrent',
      'Seed',
    ]);
  });

  it('pushes into the checked-out branch of a non-bare repository that accepts it', async () => {
    const fleet = join(remote.path, '..', 'fleet');
    const run = (...args: string[]) =>
      execFileSync('git', args, { cwd: fleet, encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', remote.path, fleet]);
    run('config', 'receive.denyCurrentBranch', 'updateInstead');
    const repository = await clone(fleet);
    await repository.editPromotion({
      marker: MARKER,
      version: '6.1.0',
      selector: {},
    });
    const sha = await repository.commitAll('Promote', author);
    await repository.push('HEAD', 'main');
    expect(run('rev-parse', 'HEAD')).toBe(sha);
    expect(readFileSync(join(fleet, 'apps/test/podinfo.yaml'), 'utf8')).toBe(
      podinfo('6.1.0'),
    );
  });

  it('creates and pushes other branches', async () => {
    const repository = await clone();
    expect(await repository.remoteBranchExists('promote/test')).toBe(false);
    await repository.checkoutBranch('promote/test');
    await repository.editPromotion({
      marker: MARKER,
      version: '6.1.0',
      selector: {},
    });
    await repository.commitAll('Promote', author);
    await repository.push('HEAD', 'promote/test', { force: true });
    expect(await repository.remoteBranchExists('promote/test')).toBe(true);
    await expect(repository.checkoutBranch('--help')).rejects.toThrow(
      'Invalid branch name',
    );
  });

  it('removes its clone on dispose', async () => {
    const repository = await clone();
    expect(existsSync(repository.dir)).toBe(true);
    await repository.dispose();
    expect(existsSync(repository.dir)).toBe(false);
  });

  describe('credentials', () => {
    let server: Server;
    let requests: Array<{ url?: string; headers: IncomingHttpHeaders }>;
    const secret = 'ghp_TopSecret123';

    beforeEach(async () => {
      requests = [];
      server = createServer((req, res) => {
        requests.push({ url: req.url, headers: req.headers });
        res.statusCode = 403;
        res.end(`denied ${secret}`);
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
    });

    afterEach(() => new Promise(resolve => server.close(resolve)));

    it('sends the token as a header, never in the URL, and redacts it from errors', async () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/org/fleet.git`;
      const error = await GitRepository.clone({
        url,
        branch: 'main',
        auth: { username: 'x-access-token', password: secret },
      }).catch(e => e);
      expect(error).toBeInstanceOf(Error);
      expect(requests[0].url).toBe(
        '/org/fleet.git/info/refs?service=git-upload-pack',
      );
      expect(requests[0].headers.authorization).toBe(
        `Basic ${Buffer.from(`x-access-token:${secret}`).toString('base64')}`,
      );
      expect(
        JSON.stringify({ message: error.message, ...error }),
      ).not.toContain(secret);
    });

    it('redacts the secret from whatever git prints', async () => {
      const error = await GitRepository.clone({
        url: `${remote.url}-${secret}`,
        branch: 'main',
        auth: { username: 'x-access-token', password: secret },
      }).catch(e => e);
      expect(error.message).toContain('-***');
      expect(error.message).not.toContain(secret);
    });
  });
});
