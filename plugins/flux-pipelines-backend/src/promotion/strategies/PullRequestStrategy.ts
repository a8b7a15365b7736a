import { InputError } from '@backstage/errors';
import {
  PromotionFileDiff,
  PullRequestStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PullRequestProvider } from '../scm/PullRequestProvider';
import { createPullRequestProvider } from '../scm/createPullRequestProvider';
import { promotionBranch } from '../scm/promotionBranch';
import { promotionMarker } from '../scm/promotionMarker';
import {
  PromotionContext,
  PromotionOutcome,
  PromotionStrategy,
  PullRequestState,
} from '../types';
import { commitMessage } from './CommitStrategy';
import {
  assertCredentialTransport,
  pullRequestApiBaseUrl,
} from '../git/credentialTransport';
import { GitStrategyOptions, GitWork, withClone } from './gitWorkspace';

/** Options of {@link PullRequestStrategy}. */
export interface PullRequestStrategyOptions extends GitStrategyOptions {
  /** The git URL for a strategy's repository; by default its `url`. */
  cloneUrl?: (spec: PullRequestStrategySpec) => string;
  /** The provider's API for a strategy; by default from the integrations. */
  providerFor?: (spec: PullRequestStrategySpec) => PullRequestProvider;
}

/**
 * Promotes by pull request: the change is committed on one branch per
 * pipeline and environment (rebuilt from the base branch each time and
 * force-pushed), and that branch's open pull request is updated to the new
 * version rather than a second one opened. Other open pull requests marked
 * for the same pipeline and environment are closed with a comment. The body
 * carries a machine-readable marker naming the promotion.
 */
export class PullRequestStrategy implements PromotionStrategy {
  readonly #options: PullRequestStrategyOptions;

  constructor(options: PullRequestStrategyOptions) {
    this.#options = options;
  }

  async preview(context: PromotionContext): Promise<PromotionFileDiff[]> {
    return this.#withClone(context, (_clone, edit) => edit(), true);
  }

  async promote(context: PromotionContext): Promise<PromotionOutcome> {
    const spec = pullRequestSpec(context);
    this.#assertApiTransport(spec);
    const { pipeline, promotion } = context;
    const branch = promotionBranch(
      pipeline.namespace,
      pipeline.name,
      promotion.environment,
    );
    const head = await this.#withClone(context, async (repository, edit) => {
      await repository.checkoutBranch(branch);
      const diffs = await edit();
      if (!diffs.length) {
        return { unchanged: await repository.headSha() };
      }
      await repository.commitAll(commitMessage(context), context.author);
      await repository.push('HEAD', branch, { force: true });
      return { unchanged: undefined };
    });
    if (head.unchanged) {
      // The base branch already has the version: nothing to review.
      return { state: 'committed', commitSha: head.unchanged };
    }

    const provider = this.#provider(context);
    const key = {
      pipelineNamespace: pipeline.namespace,
      pipelineName: pipeline.name,
      environment: promotion.environment,
    };
    const title = `Promote ${pipeline.namespace}/${pipeline.name} ${promotion.version} to ${promotion.environment}`;
    const body = [
      `Promotes **${promotion.version}**${
        promotion.appVersion ? ` (app ${promotion.appVersion})` : ''
      } to **${promotion.environment}**${
        promotion.fromEnvironment
          ? `, where it succeeded in ${promotion.fromEnvironment}`
          : ''
      }.`,
      '',
      `Requested by ${promotion.requestedBy}${
        promotion.approvedBy ? `, approved by ${promotion.approvedBy}` : ''
      } (${promotion.trigger}) in Backstage.`,
      '',
      promotionMarker({
        ...key,
        version: promotion.version,
        promotionId: promotion.id,
      }),
    ].join('\n');
    const open = await provider.findOpen(branch);
    const pr = open
      ? await provider.update(open.number, { title, body })
      : await provider.create({
          headBranch: branch,
          baseBranch: spec.baseBranch,
          title,
          body,
        });
    for (const other of await provider.listOpenWithMarker(key)) {
      if (other.number !== pr.number) {
        await provider.close(
          other.number,
          `Superseded by ${pr.url}, which promotes ${promotion.version} to ${promotion.environment}.`,
        );
      }
    }
    this.#options.logger.info('Promotion pull request open', {
      pipeline: `${pipeline.namespace}/${pipeline.name}`,
      environment: promotion.environment,
      version: promotion.version,
      pullRequest: pr.url,
    });
    return { state: 'pr-open', pullRequestUrl: pr.url };
  }

  async follow(
    context: PromotionContext,
    pullRequestUrl: string,
  ): Promise<PullRequestState> {
    // …/pull/7 (GitHub), …/merge_requests/7 (GitLab), …/pull-requests/7[/overview] (Bitbucket Server)
    const number = Number(
      (/\/(?:pull|merge_requests|pull-requests)\/(\d+)(?:[/?#]|$)/.exec(
        pullRequestUrl,
      ) ?? /(\d+)\/?$/.exec(pullRequestUrl))?.[1],
    );
    if (!Number.isInteger(number)) {
      throw new InputError(`Not a pull request URL: ${pullRequestUrl}`);
    }
    const pr = await this.#provider(context).get(number);
    return pr.state;
  }

  /** The provider's API, with the `secretRef` token if any. */
  #provider(context: PromotionContext): PullRequestProvider {
    const spec = pullRequestSpec(context);
    if (this.#options.providerFor) return this.#options.providerFor(spec);
    this.#assertApiTransport(spec);
    return createPullRequestProvider({
      provider: spec.provider,
      url: spec.url,
      integrations: this.#options.integrations,
      token: context.credentials?.token?.reveal(),
    });
  }

  /** The provider's API gets a token: only over https (see assertCredentialTransport). */
  #assertApiTransport(spec: PullRequestStrategySpec) {
    if (this.#options.providerFor) return;
    const apiBaseUrl = pullRequestApiBaseUrl(spec, this.#options.integrations);
    if (apiBaseUrl) {
      assertCredentialTransport({
        url: apiBaseUrl,
        allowInsecureHttp: this.#options.destinations.allowInsecureHttp,
        what: `the ${spec.provider} API token`,
      });
    }
  }

  #withClone<T>(
    context: PromotionContext,
    work: GitWork<T>,
    preview = false,
  ): Promise<T> {
    const spec = pullRequestSpec(context);
    return withClone(
      this.#options,
      {
        context,
        url: spec.url,
        cloneUrl: this.#options.cloneUrl?.(spec),
        branch: spec.baseBranch,
        selector: spec,
        preview,
      },
      work,
    );
  }
}

function pullRequestSpec(context: PromotionContext): PullRequestStrategySpec {
  if (context.spec.type !== 'pull-request') {
    throw new InputError(
      `The pull-request strategy cannot carry out a ${context.spec.type} promotion`,
    );
  }
  return context.spec;
}
