import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  GitFileSelector,
  PromotionFileDiff,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { assertCredentialTransport } from '../git/credentialTransport';
import { DestinationPolicy } from '../git/DestinationPolicy';
import { PromotionEditRequest } from '../git/editFiles';
import { GitCloneOptions, GitRepository } from '../git/GitRepository';
import { PreviewClones } from '../git/PreviewClones';
import { resolveRepositoryAccess } from '../git/repositoryAccess';
import { PromotionContext } from '../types';

/** What the git strategies (commit, pull request) need to reach a repository. */
export interface GitStrategyOptions {
  integrations: ScmIntegrationRegistry;
  /** The integrations' hosts written in app-config (see resolveRepositoryAccess). */
  integrationHosts?: ReadonlySet<string>;
  /** Where promotions may write (`fluxPipelines.promotion.repositories`, …). */
  destinations: DestinationPolicy;
  logger: LoggerService;
  /** How a repository is cloned; tests use it to push in between. */
  cloneRepository?: (options: GitCloneOptions) => Promise<GitRepository>;
  /** Clones kept for previews; without it, every preview clones anew. */
  previewClones?: PreviewClones;
}

/** The branch of a repository a promotion changes, and how. */
export interface GitTarget {
  context: PromotionContext;
  /** The repository as the strategy names it; the destination rules apply to it. */
  url: string;
  /** Where to clone it from, when not `url` (tests). */
  cloneUrl?: string;
  /** The branch the change lands on (commit: the branch, pull request: the base). */
  branch: string;
  selector: GitFileSelector;
  /** Only a preview: a kept clone may be used, and nothing is pushed. */
  preview?: boolean;
}

/** A clone, and the promotion's edit of it with every edited file checked. */
export type GitWork<T> = (
  clone: GitRepository,
  edit: () => Promise<PromotionFileDiff[]>,
) => Promise<T>;

/**
 * Clones the target's branch into a temporary folder once the destination
 * rules allow it (with the `secretRef` token, else the integration's
 * credentials, which go only over https), runs `work` in it and removes it;
 * a preview runs in a kept clone instead when `previewClones` is given.
 * `edit` makes the promotion's change and refuses it when it touched a file
 * the rules do not allow; nothing is pushed then.
 */
export async function withClone<T>(
  options: GitStrategyOptions,
  target: GitTarget,
  work: GitWork<T>,
): Promise<T> {
  const { pipeline, promotion, credentials } = target.context;
  const destination = {
    url: target.url,
    branch: target.branch,
    selector: target.selector,
  };
  const rules = options.destinations.checkDestination(
    pipeline,
    destination,
    promotion.version,
  );
  const url = target.cloneUrl ?? target.url;
  const { auth } = await resolveRepositoryAccess({
    url,
    integrations: options.integrations,
    integrationHosts: options.integrationHosts,
    // A listed repository (checked above) is reachable as it is.
    allowedRepositories: rules ? [url] : options.destinations.repositoryUrls,
    token: credentials?.token?.reveal(),
  });
  if (auth) {
    assertCredentialTransport({
      url,
      allowInsecureHttp: options.destinations.allowInsecureHttp,
      what: 'the git credentials',
    });
  }
  const cloneOptions = {
    url,
    branch: target.branch,
    auth,
    logger: options.logger,
  };
  const editOf = (clone: GitRepository) => async () => {
    const diffs = await clone.editPromotion(
      promotionEdit(target.context, target.selector),
    );
    options.destinations.checkPaths(
      pipeline,
      destination,
      rules,
      diffs.map(d => d.path),
    );
    return diffs;
  };
  if (target.preview && options.previewClones) {
    return options.previewClones.use(cloneOptions, clone =>
      work(clone, editOf(clone)),
    );
  }
  const clone = await (options.cloneRepository ?? GitRepository.clone)(
    cloneOptions,
  );
  try {
    return await work(clone, editOf(clone));
  } finally {
    await clone.dispose();
  }
}

/** The edit a promotion makes: its marker's lines, or the configured file and field. */
export function promotionEdit(
  context: PromotionContext,
  selector: GitFileSelector,
): PromotionEditRequest {
  const { pipeline, promotion } = context;
  return {
    marker: `${pipeline.namespace}:${pipeline.name}:${promotion.environment}`,
    version: promotion.version,
    selector: { path: selector.path, field: selector.field },
  };
}
