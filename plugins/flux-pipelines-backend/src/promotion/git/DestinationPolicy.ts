import { NotAllowedError } from '@backstage/errors';
import {
  GitFileSelector,
  Pipeline,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  DestinationConfig,
  RepositoryRule,
} from '../../config/readDestinationConfig';
import { matchesGlob, repositoryPath } from './pathGlob';
import { redactUrl } from './repositoryAccess';
import { repositoryKey } from './repositoryKey';

const REPOSITORIES = 'fluxPipelines.promotion.repositories';
const VERSION_FIELDS = 'fluxPipelines.promotion.versionFields';

/** A version as written into YAML: one token, no spaces, quotes, comments or flow characters. */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+\-@:/=]{0,254}$/;

/** Where one promotion writes: a branch of a repository, and maybe one file and field. */
export interface Destination {
  url: string;
  branch: string;
  selector?: GitFileSelector;
}

/**
 * Where a promotion may write. A pipeline defined in app-config (by the
 * Backstage admin) may write where the integrations and `repositories`
 * reach, as before. A pipeline defined by a cluster's Pipeline object may
 * write only to a repository, branch and files that an entry of
 * `fluxPipelines.promotion.repositories` lists ({ url, branches, paths }),
 * and only a version field. Every refusal is a NotAllowedError naming its rule.
 */
export class DestinationPolicy {
  readonly #config: DestinationConfig;

  constructor(config: DestinationConfig) {
    this.#config = config;
  }

  get allowInsecureHttp(): boolean {
    return this.#config.allowInsecureHttp;
  }

  /** Every URL the entries name: reachable besides the integrations' hosts. */
  get repositoryUrls(): string[] {
    return this.#config.repositories.map(r => r.url);
  }

  /**
   * Checks what is known before cloning: the version, and for a
   * cluster-defined pipeline the repository, branch, field and path.
   * Returns the entries that allow the branch (undefined: no restriction).
   */
  checkDestination(
    pipeline: Pipeline,
    destination: Destination,
    version?: string,
  ): RepositoryRule[] | undefined {
    if (version !== undefined) assertVersion(version);
    if (pipeline.source !== 'cluster') return undefined;
    const { url, branch, selector } = destination;
    const key = repositoryKey(url);
    const listed = key
      ? this.#config.repositories.filter(r => repositoryKey(r.url) === key)
      : [];
    const forCluster = listed.filter(r => r.branches && r.paths);
    if (!forCluster.length) {
      throw new NotAllowedError(
        `refused by ${REPOSITORIES}: ${redactUrl(
          url,
        )} is not listed with branches and paths, so pipeline ${
          pipeline.namespace
        }/${pipeline.name} (defined in a cluster) may not write to it`,
      );
    }
    const rules = forCluster.filter(r =>
      r.branches!.some(glob => matchesGlob(glob, branch)),
    );
    if (!rules.length) {
      throw new NotAllowedError(
        `refused by ${REPOSITORIES}: branch ${branch} is not allowed for ${redactUrl(
          url,
        )}`,
      );
    }
    if (
      selector?.field &&
      !this.#config.versionFields.includes(selector.field)
    ) {
      throw new NotAllowedError(
        `refused by ${VERSION_FIELDS}: field ${
          selector.field
        } is not a version field (allowed: ${this.#config.versionFields.join(
          ', ',
        )})`,
      );
    }
    if (selector?.path)
      this.checkPaths(pipeline, destination, rules, [selector.path]);
    return rules;
  }

  /** Checks the files a change edits against the entries {@link checkDestination} returned. */
  checkPaths(
    pipeline: Pipeline,
    destination: Destination,
    rules: RepositoryRule[] | undefined,
    paths: string[],
  ): void {
    if (pipeline.source !== 'cluster' || !rules) return;
    for (const path of paths) {
      const file = repositoryPath(path, REPOSITORIES);
      if (!rules.some(r => r.paths!.some(glob => matchesGlob(glob, file)))) {
        throw new NotAllowedError(
          `refused by ${REPOSITORIES}: path ${file} is not allowed for ${redactUrl(
            destination.url,
          )} (branch ${destination.branch})`,
        );
      }
    }
  }
}

/** The version a promotion writes must read as one version token. */
export function assertVersion(version: string): void {
  if (!VERSION.test(version)) {
    throw new NotAllowedError(
      `refused by fluxPipelines.promotion: ${JSON.stringify(
        version.slice(0, 80),
      )} is not a version (letters, digits and . _ + - @ : / =, at most 255)`,
    );
  }
}
