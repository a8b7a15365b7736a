import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  CommitStrategySpec,
  PromotionFileDiff,
} from '@internal/plugin-flux-pipelines-common';
import {
  GitCloneOptions,
  GitRepository,
  NonFastForwardError,
} from '../git/GitRepository';
import { redactUrl, resolveRepositoryAccess } from '../git/repositoryAccess';
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
export interface CommitStrategyOptions {
  integrations: ScmIntegrationRegistry;
  /** `fluxPipelines.promotion.repositories`: repositories allowed besides the integrations' hosts. */
  allowedRepositories: string[];
  logger: LoggerService;
  /** How a repository is cloned; tests use it to push in between. */
  cloneRepository?: (options: GitCloneOptions) => Promise<GitRepository>;
}

/**
 * Promotes by committing the new version straight to a branch of the GitOps
 * repository, on the lines marked `# {"$promotion": "<ns>:<pipeline>:<env>"}`
 * (or the configured file and field). A push that lost a race is re-applied
 * on top of the branch and retried; a branch that already has the version
 * gets no new commit.
 */
export class CommitStrategy implements PromotionStrategy {
  readonly #options: CommitStrategyOptions;
  readonly #clone: (options: GitCloneOptions) => Promise<GitRepository>;

  constructor(options: CommitStrategyOptions) {
    this.#options = options;
    this.#clone = options.cloneRepository ?? GitRepository.clone;
  }

  async preview(context: PromotionContext): Promise<PromotionFileDiff[]> {
    const spec = commitSpec(context);
    return this.#withClone(spec, repository =>
      repository.editPromotion(editRequest(context, spec)),
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
    return this.#withClone(spec, async repository => {
      for (let retry = 0; ; retry++) {
        await repository.editPromotion(editRequest(context, spec));
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
    });
  }

  async #withClone<T>(
    spec: CommitStrategySpec,
    work: (repository: GitRepository) => Promise<T>,
  ): Promise<T> {
    const { auth } = await resolveRepositoryAccess({
      url: spec.url,
      integrations: this.#options.integrations,
      allowedRepositories: this.#options.allowedRepositories,
    });
    const repository = await this.#clone({
      url: spec.url,
      branch: spec.branch,
      auth,
      logger: this.#options.logger,
    });
    try {
      return await work(repository);
    } finally {
      await repository.dispose();
    }
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

function editRequest(context: PromotionContext, spec: CommitStrategySpec) {
  const { pipeline, promotion } = context;
  return {
    marker: `${pipeline.namespace}:${pipeline.name}:${promotion.environment}`,
    version: promotion.version,
    selector: { path: spec.path, field: spec.field },
  };
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
