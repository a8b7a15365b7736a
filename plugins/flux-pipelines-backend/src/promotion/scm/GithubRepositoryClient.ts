import { AuthenticationError } from '@backstage/errors';
import { GithubCredentialsProvider } from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { redact, scmError } from './scmErrors';

/**
 * Octokit's request log writes every failed request to the console; a failure
 * here becomes a typed error that the caller logs, so only warnings (such as
 * deprecations) go through.
 */
const QUIET = {
  debug: () => {},
  info: () => {},
  warn: console.warn.bind(console),
  error: () => {},
};

/** One GitHub repository and how to reach its API. */
export interface GithubRepositoryClientOptions {
  owner: string;
  repo: string;
  /** `https://<host>/<owner>/<repo>`, for looking up credentials. */
  webUrl: string;
  apiBaseUrl: string;
  /** A token to use instead of the credentials provider's. */
  token?: string;
  credentialsProvider: GithubCredentialsProvider;
}

/**
 * Calls the GitHub API for one repository with fresh credentials (GitHub App
 * tokens expire), turning failures into typed errors without the token.
 */
export class GithubRepositoryClient {
  constructor(private readonly options: GithubRepositoryClientOptions) {}

  get owner(): string {
    return this.options.owner;
  }

  get repo(): string {
    return this.options.repo;
  }

  /** Runs one API call; `subject` is what a 404 means. */
  async call<T>(
    action: string,
    run: (octokit: Octokit) => Promise<T>,
    subject = `repository ${this.options.owner}/${this.options.repo}`,
  ): Promise<T> {
    const token = await this.token();
    const octokit = new Octokit({
      auth: token,
      baseUrl: this.options.apiBaseUrl,
      userAgent: 'backstage-plugin-flux-pipelines',
      log: QUIET,
    });
    const where = `${action} in ${this.options.owner}/${this.options.repo}`;
    try {
      return await run(octokit);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400) {
        throw scmError({
          service: 'GitHub',
          status,
          action: where,
          subject,
          detail: describeFailure(error),
          secrets: [token],
        });
      }
      throw new Error(
        `GitHub could not be reached while ${where}: ${redact(
          String((error as Error).message ?? error),
          [token],
        )}`,
      );
    }
  }

  private async token(): Promise<string> {
    if (this.options.token) {
      return this.options.token;
    }
    const { token } = await this.options.credentialsProvider.getCredentials({
      url: this.options.webUrl,
    });
    if (!token) {
      throw new AuthenticationError(
        `No GitHub credentials for ${this.options.webUrl}: configure a token or app in integrations.github, or a secretRef on the pipeline`,
      );
    }
    return token;
  }
}

/** GitHub's message plus the messages of its validation errors. */
function describeFailure(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } }).response?.data as
    | { message?: unknown; errors?: Array<{ message?: unknown }> }
    | undefined;
  if (!data || typeof data !== 'object') {
    return undefined;
  }
  const messages = [
    data.message,
    ...(Array.isArray(data.errors) ? data.errors.map(e => e?.message) : []),
  ].filter((m): m is string => typeof m === 'string' && m.length > 0);
  return messages.join('; ') || undefined;
}
