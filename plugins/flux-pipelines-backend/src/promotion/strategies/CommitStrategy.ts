import { ConflictError, InputError } from '@backstage/errors';
import {
  CommitStrategySpec,
  PromotionFileDiff,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { NonFastForwardError } from '../git/nonFastForward';
import { redactUrl } from '../git/repositoryAccess';
import { GitStrategyOptions, GitTarget, withClone } from './gitWorkspace';
import {
  PromotionContext,
  PromotionOutcome,
  PromotionStrategy,
} from '../types';

/** Pushes after the first one rejected because the branch moved on. */
const MAX_RETRIES = 3;

/** The git trailer naming the promotion a commit carries out. */
export const PROMOTION_TRAILER = 'Flux-Pipelines-Promotion';

/** Options of {@link CommitStrategy}. */
export type CommitStrategyOptions = GitStrategyOptions;

/**
 * Promotes by committing the new version straight to a branch of the GitOps
 * repository, on the lines marked `# {"$promotion": "<ns>:<pipeline>:<env>"}`
 * (or the configured file and field). A push that lost a race is re-applied
 * on top of the branch and retried; a branch that already has the version
 * gets no new commit.
 */
export class CommitStrategy implements PromotionStrategy {
  readonly #options: CommitStrategyOptions;

  constructor(options: CommitStrategyOptions) {
    this.#options = options;
  }

  async preview(context: PromotionContext): Promise<PromotionFileDiff[]> {
    return withClone(
      this.#options,
      { ...targetOf(context), preview: true },
      (_clone, edit) => edit(),
    );
  }

  async promote(context: PromotionContext): Promise<PromotionOutcome> {
    const spec = commitSpec(context);
    const { logger } = this.#options;
    const fields = {
      pipeline: `${context.pipeline.namespace}/${context.pipeline.name}`,
      environment: context.promotion.environment,
      version: context.promotion.version,
      repository: redactUrl(spec.url),
      branch: spec.branch,
    };
    return withClone(
      this.#options,
      targetOf(context),
      async (repository, edit) => {
        for (let retry = 0; ; retry++) {
          await edit();
          const commitSha = await repository.commitAll(
            commitMessage(context),
            context.author,
          );
          if (!commitSha) {
            const headSha = await repository.headSha();
            logger.info('Branch already has the promoted version', {
              ...fields,
              commitSha: headSha,
            });
            return { state: 'committed', commitSha: headSha };
          }
          try {
            await repository.push('HEAD', spec.branch);
            logger.info('Promotion committed', { ...fields, commitSha });
            return { state: 'committed', commitSha };
          } catch (error) {
            if (!(error instanceof NonFastForwardError)) throw error;
            if (retry >= MAX_RETRIES) {
              throw new ConflictError(
                `Branch ${spec.branch} of ${
                  fields.repository
                } kept moving; gave up after ${retry + 1} pushes`,
              );
            }
            logger.info('Branch moved on during promotion; retrying', {
              ...fields,
              retry: String(retry + 1),
            });
            await repository.resetToRemote(spec.branch);
          }
        }
      },
    );
  }
}

function commitSpec(context: PromotionContext): CommitStrategySpec {
  const { spec } = context;
  if (spec.type !== 'commit') {
    throw new InputError(
      `The commit strategy cannot carry out a ${spec.type} promotion`,
    );
  }
  if (!spec.url || !spec.branch) {
    throw new InputError(
      'The commit strategy needs a repository url and branch',
    );
  }
  return spec;
}

/** The branch to clone and push, and the file and field if configured. */
function targetOf(context: PromotionContext): GitTarget {
  const spec = commitSpec(context);
  return { context, url: spec.url, branch: spec.branch, selector: spec };
}

/** `Promote <ns>/<pipeline> <version> to <env>`, with the promotion id as a trailer. */
export function commitMessage(context: PromotionContext): string {
  const { pipeline, promotion } = context;
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const subject = oneLine(
    `Promote ${pipeline.namespace}/${pipeline.name} ${promotion.version} to ${promotion.environment}`,
  );
  const body = [
    `Requested by ${oneLine(promotion.requestedBy)}${
      promotion.approvedBy
        ? `, approved by ${oneLine(promotion.approvedBy)}`
        : ''
    } (${promotion.trigger}).`,
  ];
  return `${subject}\n\n${body.join('\n')}\n\n${PROMOTION_TRAILER}: ${oneLine(
    promotion.id,
  )}\n`;
}
