import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { PromotionFileDiff } from '@flux-pipelines/plugin-flux-pipelines-common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromotionAuthor } from '../types';
import { editFiles, PromotionEditRequest } from './editFiles';
import { cloneUrl, GitAuth, redactUrl } from './repositoryAccess';
import {
  assertBranchName,
  assertRef,
  identityPart,
  subcommand,
} from './gitArguments';
import { NonFastForwardError, isNonFastForward } from './nonFastForward';
import {
  GitCommandError,
  GitResult,
  gitEnvironment,
  runGit,
  secretsOf,
} from './runGit';

/** Options of {@link GitRepository.clone}. */
export interface GitCloneOptions {
  /** An http(s) or file:// URL, or a local path. */
  url: string;
  branch: string;
  auth?: GitAuth;
  logger?: LoggerService;
}

/**
 * A shallow clone of one branch in a temporary directory, driven through the
 * git CLI (no shell). Call {@link GitRepository.dispose} when done.
 */
export class GitRepository {
  readonly dir: string;
  readonly #tempDir: string;
  readonly #url: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #secrets: string[];
  readonly #logger?: LoggerService;

  static async clone(options: GitCloneOptions): Promise<GitRepository> {
    assertBranchName(options.branch);
    const url = cloneUrl(options.url);
    const tempDir = await mkdtemp(join(tmpdir(), 'flux-pipelines-git-'));
    const repository = new GitRepository(tempDir, url, options);
    try {
      await repository.#git(
        'clone',
        '--quiet',
        '--depth',
        '1',
        '--single-branch',
        '--branch',
        options.branch,
        '--',
        url,
        repository.dir,
      );
    } catch (error) {
      await repository.dispose();
      throw error;
    }
    return repository;
  }

  private constructor(tempDir: string, url: string, options: GitCloneOptions) {
    this.#tempDir = tempDir;
    this.dir = join(tempDir, 'repo');
    this.#url = url;
    this.#logger = options.logger;
    this.#secrets = secretsOf(options.auth);
    this.#env = gitEnvironment({
      url,
      auth: options.auth,
      hooksPath: join(tempDir, 'no-hooks'),
    });
  }

  /**
   * Sets `version` where `selector` points (a file and field) or, without a
   * path, on every line marked `# {"$promotion": "<marker>"}`. Returns the
   * diffs of the changed files; none when all already had the version.
   */
  async editPromotion(
    context: PromotionEditRequest,
  ): Promise<PromotionFileDiff[]> {
    const files = context.selector.path
      ? [context.selector.path]
      : await this.#yamlFiles();
    return editFiles(this.dir, files, context, redactUrl(this.#url));
  }

  /** Commits every change; returns the new commit, or undefined when nothing changed. */
  async commitAll(
    message: string,
    author: PromotionAuthor,
  ): Promise<string | undefined> {
    await this.#git('add', '--all');
    const staged = await this.#run('diff', '--cached', '--quiet');
    if (staged.code === 0) return undefined;
    if (staged.code !== 1) throw new GitCommandError('diff', staged);
    const name = identityPart(author.name);
    const email = identityPart(author.email);
    if (!name || !email) {
      throw new InputError('A promotion commit needs an author name and email');
    }
    await this.#git(
      '-c',
      `user.name=${name}`,
      '-c',
      `user.email=${email}`,
      'commit',
      '--quiet',
      '--no-verify',
      '--author',
      `${name} <${email}>`,
      '-m',
      message,
    );
    return this.headSha();
  }

  /** Pushes `localRef` to `remoteBranch`; a NonFastForwardError when the remote moved on. */
  async push(
    localRef: string,
    remoteBranch: string,
    options: { force?: boolean } = {},
  ): Promise<void> {
    assertBranchName(remoteBranch);
    assertRef(localRef);
    const refspec = `${
      options.force ? '+' : ''
    }${localRef}:refs/heads/${remoteBranch}`;
    const result = await this.#run('push', '--porcelain', 'origin', refspec);
    if (result.code === 0) return;
    if (isNonFastForward(`${result.stdout}\n${result.stderr}`)) {
      throw new NonFastForwardError(
        `Branch ${remoteBranch} of ${redactUrl(
          this.#url,
        )} moved on; fetch and retry`,
      );
    }
    throw new GitCommandError('push', result);
  }

  /** Replaces the local branch by the remote's current `branch`, dropping local commits. */
  async resetToRemote(branch: string): Promise<void> {
    assertBranchName(branch);
    const ref = `refs/remotes/origin/${branch}`;
    await this.#git(
      'fetch',
      '--quiet',
      '--depth',
      '1',
      'origin',
      `+refs/heads/${branch}:${ref}`,
    );
    await this.discardChanges(branch);
  }

  /** Puts the local `branch` back where the remote's was last fetched, without local changes or commits. */
  async discardChanges(branch: string): Promise<void> {
    assertBranchName(branch);
    const ref = `refs/remotes/origin/${branch}`;
    await this.#git('checkout', '--quiet', '--force', '-B', branch, ref);
    await this.#git('reset', '--quiet', '--hard', ref);
    await this.#git('clean', '--quiet', '-fdx');
  }

  async checkoutBranch(name: string, startPoint?: string): Promise<void> {
    assertBranchName(name);
    if (startPoint) assertRef(startPoint);
    await this.#git(
      'checkout',
      '--quiet',
      '-B',
      name,
      ...(startPoint ? [startPoint] : []),
      '--',
    );
  }

  async remoteBranchExists(name: string): Promise<boolean> {
    assertBranchName(name);
    const result = await this.#git(
      'ls-remote',
      '--heads',
      'origin',
      `refs/heads/${name}`,
    );
    return result.stdout.trim() !== '';
  }

  async headSha(): Promise<string> {
    return (await this.#git('rev-parse', 'HEAD')).stdout.trim();
  }

  /**
   * The author's name of commit `sha` (40 hex), fetching that one commit
   * when the shallow clone lacks it; undefined when the repository has no
   * such commit.
   */
  async commitAuthor(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
    const log = () => this.#run('log', '-1', '--format=%an', sha, '--');
    let result = await log();
    if (result.code !== 0) {
      await this.#run('fetch', '--quiet', '--depth', '1', 'origin', sha);
      result = await log();
    }
    return result.code === 0 ? result.stdout.trim() || undefined : undefined;
  }

  /** Removes the clone. */
  async dispose(): Promise<void> {
    await rm(this.#tempDir, { recursive: true, force: true });
  }

  async #yamlFiles(): Promise<string[]> {
    const result = await this.#git('ls-files', '-z', '--', '*.yaml', '*.yml');
    return result.stdout.split('\0').filter(Boolean);
  }

  async #git(...args: string[]): Promise<GitResult> {
    const result = await this.#run(...args);
    if (result.code !== 0) throw new GitCommandError(subcommand(args), result);
    return result;
  }

  #run(...args: string[]): Promise<GitResult> {
    this.#logger?.debug('Running git', { command: subcommand(args) });
    return runGit(args, {
      cwd: args[0] === 'clone' ? this.#tempDir : this.dir,
      env: this.#env,
      secrets: this.#secrets,
    });
  }
}
