/* eslint-disable jest/no-export -- a shared suite: the provider tests call it */
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { PullRequestStrategySpec } from '@flux-pipelines/plugin-flux-pipelines-common';
import { inspect } from 'node:util';
import { PullRequestProvider } from '../PullRequestProvider';
import { promotionBranch } from '../promotionBranch';
import { promotionMarker } from '../promotionMarker';
import { FakePullInput, stopStandIn } from './fakeApi';
import { FakeScmServer, RecordedRequest } from './fakeScmServer';

/** The branch the contract promotes from; pushed before each test. */
export const CONTRACT_BRANCH = promotionBranch(
  'flux-system',
  'podinfo',
  'prod',
);

/** The pipeline and environment the contract's markers name. */
export const CONTRACT_KEY = {
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  environment: 'prod',
};

/** A pull request as the contract reads it back from a fake service. */
export interface ContractPullRequest {
  state: 'open' | 'closed' | 'merged';
  /** The branch it merges from, and the one it merges into. */
  head: string;
  base: string;
  title: string;
  body: string | null | undefined;
  comments: string[];
}

/** How the contract drives one provider and its fake service. */
export interface PullRequestProviderHarness {
  /** As in error messages: `GitHub`, `GitLab`, `Bitbucket Server`. */
  service: string;
  /** How a pipeline's pull-request strategy names the fake's repository. */
  spec: Pick<PullRequestStrategySpec, 'provider' | 'url'>;
  /** A fake server whose repository (with a `main` branch) accepts `token`. */
  start(token: string): Promise<FakeScmServer>;
  /** What `git push` of `branch` to the repository would do. */
  pushBranch(server: FakeScmServer, branch: string): void;
  /**
   * A provider for the repository at `spec.url`, or at `url`. `configToken`
   * is the integration's token, `token` one passed in (a pipeline `secretRef`).
   */
  provider(
    server: FakeScmServer,
    options: { configToken: string; token?: string; url?: string },
  ): PullRequestProvider;
  /** The fake's pull requests of the repository, oldest first. */
  pullRequests(server: FakeScmServer): ContractPullRequest[];
  /** Opens a pull request as someone else would, bypassing the API. */
  openPullRequest(server: FakeScmServer, pr: FakePullInput): number;
  /** Merges an open pull request, as pressing the button would. */
  merge(server: FakeScmServer, number: number): void;
  /** The web URL of pull request `number`. */
  webUrl(number: number): string;
  /** The `Authorization` header every request must carry for `token`. */
  authorization(token: string): string;
  /** `METHOD path` of the request opening a pull request. */
  createRequest: string;
  /** `METHOD status` of each request when `create` runs into an open one. */
  createAgainRequests: string[];
  /** `[method, path, body]` of the requests closing #1 with `comment`. */
  closeRequests(comment: string): Array<[string, string, unknown]>;
  /** The query of each request listing 120-odd open pull requests. */
  listQueries: string[];
  /** A repository the service does not have, and how messages name it. */
  missingRepository: { url: string; subject: string };
  /** Part of the message when the head branch was never pushed. */
  unknownBranchMessage: string | RegExp;
}

/**
 * Starts the harness's fake before each test, pushes {@link CONTRACT_BRANCH}
 * to it, and after the test stops it and fails on requests that broke the
 * API; returns the running server.
 */
export function useFakeScmServer(
  harness: PullRequestProviderHarness,
  token: string,
): () => FakeScmServer {
  let server: FakeScmServer;
  beforeEach(async () => {
    server = await harness.start(token);
    harness.pushBranch(server, CONTRACT_BRANCH);
  });
  afterEach(() => stopStandIn(server, `the ${harness.service} API`));
  return () => server;
}

/**
 * The behaviour every {@link PullRequestProvider} shares, against its fake
 * service: what the promotion code relies on whatever the service.
 */
export function describePullRequestProviderContract(
  harness: PullRequestProviderHarness,
  token: string,
) {
  const { service } = harness;

  const body = (version: string) =>
    `Promote podinfo to ${version}\n\n${promotionMarker({
      ...CONTRACT_KEY,
      version,
    })}`;

  const input = (version: string) => ({
    headBranch: CONTRACT_BRANCH,
    baseBranch: 'main',
    title: `Promote podinfo ${version} to prod`,
    body: body(version),
  });

  const calls = (requests: RecordedRequest[]) =>
    requests.map(r => `${r.method} ${r.status}`);

  describe(`${service}: the pull-request provider contract`, () => {
    const server = useFakeScmServer(harness, token);
    const provider = (options: { configToken?: string; token?: string } = {}) =>
      harness.provider(server(), { configToken: token, ...options });

    it('opens a pull request from the pushed branch and then finds it open', async () => {
      const scm = provider();
      const created = await scm.create(input('6.1.0'));

      expect(created).toEqual({
        url: harness.webUrl(1),
        number: 1,
        state: 'open',
        headBranch: CONTRACT_BRANCH,
        baseBranch: 'main',
        title: 'Promote podinfo 6.1.0 to prod',
        body: body('6.1.0'),
      });
      await expect(scm.findOpen(CONTRACT_BRANCH)).resolves.toEqual(created);
      await expect(scm.findOpen('other-branch')).resolves.toBeUndefined();
      const [first] = server().requests;
      expect(`${first.method} ${first.path}`).toBe(harness.createRequest);
      expect(
        new Set(server().requests.map(r => r.headers.authorization)),
      ).toEqual(new Set([harness.authorization(token)]));
    });

    it('updates the open pull request instead of opening a second one', async () => {
      const scm = provider();
      await scm.create(input('6.1.0'));
      const again = await scm.create(input('6.2.0'));

      const pulls = harness.pullRequests(server());
      expect(pulls).toHaveLength(1);
      expect(pulls[0]).toMatchObject({
        state: 'open',
        title: 'Promote podinfo 6.2.0 to prod',
        body: body('6.2.0'),
      });
      expect(again).toMatchObject({ number: 1, title: pulls[0].title });
      expect(calls(server().requests)).toEqual(harness.createAgainRequests);
    });

    it('updates the title and body of a pull request by number', async () => {
      const scm = provider();
      const { number } = await scm.create(input('6.1.0'));
      const updated = await scm.update(number, {
        title: 'Retitled',
        body: body('6.1.1'),
      });
      expect(updated).toMatchObject({
        number,
        title: 'Retitled',
        body: body('6.1.1'),
        state: 'open',
      });
      expect(harness.pullRequests(server())[0].body).toBe(body('6.1.1'));
    });

    it('comments before closing a pull request', async () => {
      const scm = provider();
      const { number } = await scm.create(input('6.1.0'));
      await scm.close(number, 'Superseded by 6.2.0');

      expect(harness.pullRequests(server())[0]).toMatchObject({
        state: 'closed',
        comments: ['Superseded by 6.2.0'],
      });
      expect(
        server()
          .requests.slice(1)
          .map(r => [r.method, r.path, r.body]),
      ).toEqual(harness.closeRequests('Superseded by 6.2.0'));
      await expect(scm.get(number)).resolves.toMatchObject({
        state: 'closed',
      });
      await expect(scm.findOpen(CONTRACT_BRANCH)).resolves.toBeUndefined();
    });

    it('reports a pull request merged after someone merges it', async () => {
      const scm = provider();
      const { number } = await scm.create(input('6.1.0'));
      await expect(scm.get(number)).resolves.toMatchObject({ state: 'open' });

      harness.merge(server(), number);

      await expect(scm.get(number)).resolves.toMatchObject({
        state: 'merged',
      });
      await expect(scm.findOpen(CONTRACT_BRANCH)).resolves.toBeUndefined();
    });

    it('lists the open pull requests marked for this pipeline and environment, across pages', async () => {
      for (let i = 0; i < 120; i++) {
        harness.openPullRequest(server(), {
          head: `feature-${i}`,
          title: `Unrelated ${i}`,
          body: 'Nothing to see',
        });
      }
      const other = (environment: string, pipelineName = 'podinfo') =>
        promotionMarker({
          ...CONTRACT_KEY,
          pipelineName,
          environment,
          version: '1.0.0',
        });
      const open = (title: string, description: string) =>
        harness.openPullRequest(server(), {
          head: title,
          title,
          body: description,
        });
      open('test-env', other('test'));
      open('other-pipeline', other('prod', 'nginx'));
      const stale = open('stale', other('prod'));
      harness.merge(server(), open('merged', other('prod')));

      const found = await provider().listOpenWithMarker(CONTRACT_KEY);

      expect(found.map(p => [p.number, p.title])).toEqual([[stale, 'stale']]);
      expect(server().requests.map(r => r.query)).toEqual(harness.listQueries);
    });

    it('turns a bad token into an AuthenticationError that does not contain it', async () => {
      const badToken = `${token}-wrongAlsoSecret`;
      const error = await provider({ configToken: badToken })
        .create(input('6.1.0'))
        .catch(e => e);

      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toContain(`${service} rejected the credentials`);
      expect(inspect(error, { depth: 10 })).not.toContain(badToken);
      expect(harness.pullRequests(server())).toEqual([]);
    });

    it('turns an unknown repository into a NotFoundError without the token', async () => {
      const error = await harness
        .provider(server(), {
          configToken: token,
          url: harness.missingRepository.url,
        })
        .findOpen(CONTRACT_BRANCH)
        .catch(e => e);

      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toContain(harness.missingRepository.subject);
      expect(inspect(error, { depth: 10 })).not.toContain(token);
    });

    it('turns a pull request number the service does not know into a NotFoundError', async () => {
      await expect(provider().get(42)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('turns a branch the service does not know into an InputError', async () => {
      const error = await provider()
        .create({ ...input('6.1.0'), headBranch: 'never-pushed' })
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(harness.unknownBranchMessage);
      expect(harness.pullRequests(server())).toEqual([]);
    });

    it('prefers a token passed in (a pipeline secretRef) to the integration', async () => {
      const scm = provider({ configToken: `${token}-stale`, token });
      await expect(scm.create(input('6.1.0'))).resolves.toMatchObject({
        number: 1,
      });
    });
  });
}
