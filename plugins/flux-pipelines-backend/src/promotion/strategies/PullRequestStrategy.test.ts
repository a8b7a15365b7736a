import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  podinfoRelease,
  prodPromotion,
  pullRequestContext,
} from '../__testUtils__/fixtures';
import { createTestRemote, TestRemote } from '../git/__testUtils__/testRemote';
import { PullRequestProvider } from '../scm/PullRequestProvider';
import { parsePromotionMarker, promotionMarker } from '../scm/promotionMarker';
import { promotionBranch } from '../scm/promotionBranch';
import { stopStandIn } from '../scm/__testUtils__/fakeApi';
import { FakeScmServer } from '../scm/__testUtils__/fakeScmServer';
import {
  bitbucketServerHarness,
  githubHarness,
  gitlabHarness,
} from '../scm/__testUtils__/providerHarnesses';
import { DEFAULT_VERSION_FIELDS } from '../../config/readDestinationConfig';
import { DestinationPolicy } from '../git/DestinationPolicy';
import { PullRequestStrategy } from './PullRequestStrategy';

jest.setTimeout(60_000);

const TOKEN = 'promotionTokenNeverLogged';
const BRANCH = promotionBranch('flux-system', 'podinfo', 'prod');
const FILE = 'apps/prod/podinfo.yaml';

/** `target`, calling `first` ahead of each of its methods. */
function callingFirst<T extends object>(target: T, first: () => void): T {
  return new Proxy(target, {
    get: (object, key) => {
      const value = (object as any)[key];
      return typeof value === 'function'
        ? (...args: unknown[]) => {
            first();
            return value.apply(object, args);
          }
        : value;
    },
  });
}

/**
 * The same scenarios for each provider: a real bare git remote the strategy
 * clones and pushes to, and the provider's fake API, which learns the
 * remote's branches before each provider call.
 */
describe.each([
  { harness: githubHarness, page: 'files' },
  { harness: gitlabHarness, page: 'diffs' },
  { harness: bitbucketServerHarness, page: 'overview' },
])(
  'PullRequestStrategy against a real git remote and the $harness.service stand-in',
  ({ harness, page }) => {
    let remote: TestRemote;
    let server: FakeScmServer;
    let strategy: PullRequestStrategy;
    const logger = mockServices.logger.mock();

    beforeEach(async () => {
      remote = createTestRemote({ [FILE]: podinfoRelease('prod', '6.5.0') });
      server = await harness.start(TOKEN);
      // The stand-in learns the branches from the real remote, as the service would.
      const syncBranches = () => {
        for (const branch of remote
          .git('branch', '--format=%(refname:short)')
          .split('\n')) {
          if (branch) harness.pushBranch(server, branch);
        }
      };
      strategy = new PullRequestStrategy({
        integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
        destinations: new DestinationPolicy({
          repositories: [
            { url: harness.spec.url, branches: ['main'], paths: [FILE] },
          ],
          versionFields: DEFAULT_VERSION_FIELDS,
          allowInsecureHttp: false,
        }),
        logger,
        cloneUrl: () => remote.url,
        providerFor: (): PullRequestProvider =>
          callingFirst(
            harness.provider(server, { configToken: TOKEN }),
            syncBranches,
          ),
      });
    });

    afterEach(() =>
      stopStandIn(server, `the ${harness.service} API`).finally(() =>
        remote.cleanup(),
      ),
    );

    const context = (p: Promotion) => pullRequestContext(harness.spec, p);
    const pulls = () => harness.pullRequests(server);

    it('opens one pull request from the pipeline\u2019s branch, updates it for a newer version, and follows it to merged', async () => {
      const first = await strategy.promote(
        context(prodPromotion('6.5.1', 'p-1')),
      );
      expect(first).toEqual({
        state: 'pr-open',
        pullRequestUrl: harness.webUrl(1),
      });
      expect(pulls()).toEqual([
        expect.objectContaining({ state: 'open', head: BRANCH, base: 'main' }),
      ]);
      expect(remote.show(BRANCH, FILE)).toBe(
        podinfoRelease('prod', '6.5.1').trimEnd(),
      );
      expect(remote.show('main', FILE)).toBe(
        podinfoRelease('prod', '6.5.0').trimEnd(),
      );
      expect(remote.git('log', '-1', '--format=%an <%ae>', BRANCH)).toBe(
        'Ada Lovelace <ada@example.com>',
      );
      expect(parsePromotionMarker(pulls()[0].body)).toMatchObject({
        pipelineNamespace: 'flux-system',
        pipelineName: 'podinfo',
        environment: 'prod',
        version: '6.5.1',
        promotionId: 'p-1',
      });

      // A newer version: the same pull request, rebuilt from main, now says 6.5.2.
      const ctx = context(prodPromotion('6.5.2', 'p-2'));
      expect(await strategy.promote(ctx)).toEqual(first);
      expect(pulls()).toHaveLength(1);
      expect(pulls()[0].title).toBe(
        'Promote flux-system/podinfo 6.5.2 to prod',
      );
      expect(parsePromotionMarker(pulls()[0].body)).toMatchObject({
        version: '6.5.2',
        promotionId: 'p-2',
      });
      expect(remote.show(BRANCH, FILE)).toBe(
        podinfoRelease('prod', '6.5.2').trimEnd(),
      );
      expect(remote.git('rev-list', '--count', `main..${BRANCH}`)).toBe('1');

      const url = harness.webUrl(1);
      expect(await strategy.follow(ctx, url)).toBe('open');
      harness.merge(server, 1);
      expect(await strategy.follow(ctx, url)).toBe('merged');
      // The page a person copies from the browser reads the same.
      expect(await strategy.follow(ctx, `${url}/${page}`)).toBe('merged');
      expect(JSON.stringify(logger.info.mock.calls)).not.toContain(TOKEN);
    });

    it('closes other open pull requests for the same environment with a comment', async () => {
      remote.commit(
        'stale-branch',
        { [FILE]: podinfoRelease('prod', '6.4.0') },
        'old promotion',
      );
      harness.openPullRequest(server, {
        head: 'stale-branch',
        title: 'Promote 6.4.0',
        body: promotionMarker({
          pipelineNamespace: 'flux-system',
          pipelineName: 'podinfo',
          environment: 'prod',
          version: '6.4.0',
        }),
      });

      const outcome = await strategy.promote(
        context(prodPromotion('6.5.1', 'p-3')),
      );

      expect(outcome).toEqual({
        state: 'pr-open',
        pullRequestUrl: harness.webUrl(2),
      });
      const [stale, ours] = pulls();
      expect(pulls()).toHaveLength(2);
      expect(stale).toMatchObject({ state: 'closed', head: 'stale-branch' });
      expect(stale.comments.join('\n')).toContain(
        `Superseded by ${harness.webUrl(2)}`,
      );
      expect(ours).toMatchObject({ state: 'open', head: BRANCH, base: 'main' });
    });

    it('previews the diff without pushing a branch or opening a pull request', async () => {
      const diffs = await strategy.preview(
        context(prodPromotion('6.5.1', 'p-4')),
      );
      expect(diffs).toHaveLength(1);
      expect(diffs[0].diff).toContain('+      version: 6.5.1');
      expect(remote.git('branch', '--list', BRANCH)).toBe('');
      expect(pulls()).toEqual([]);
      expect(server.requests).toEqual([]);
    });
  },
);
