import { InputError } from '@backstage/errors';
import { redact, scmError } from './scmErrors';

/** One Bitbucket Server (Data Center) repository and how to reach its API. */
export interface BitbucketServerRepositoryClientOptions {
  projectKey: string;
  slug: string;
  /** `<apiBaseUrl>/projects/<projectKey>/repos/<slug>`. */
  repositoryUrl: string;
  /** Authentication headers (`getBitbucketServerRequestOptions`). */
  headers: Record<string, string>;
  /** Kept only to scrub them from messages (token, password). */
  secrets: Array<string | undefined>;
}

/** What a call failed with, as Bitbucket Server reports it. */
export interface BitbucketServerFailure {
  status: number;
  /** The `exceptionName`s of Bitbucket's `errors`. */
  exceptions: string[];
}

/** A failed call, with what Bitbucket said; the message is already safe. */
export class BitbucketServerCallError extends Error {
  constructor(readonly failure: BitbucketServerFailure, readonly typed: Error) {
    super(typed.message);
  }
}

/** Whether `error` is a refusal with this status and Bitbucket exception. */
export function isBitbucketServerFailure(
  error: unknown,
  status: number,
  exception: string,
): boolean {
  return (
    error instanceof BitbucketServerCallError &&
    error.failure.status === status &&
    error.failure.exceptions.some(e => e.endsWith(`.${exception}`))
  );
}

/** The `@backstage/errors` type of a refusal; any other error as it is. */
export function typedError(error: unknown): unknown {
  return error instanceof BitbucketServerCallError ? error.typed : error;
}

/** One page of a Bitbucket Server list. */
interface BitbucketPage<T> {
  values: T[];
  isLastPage: boolean;
  nextPageStart?: number;
}

/** Bitbucket's answer when a ref named in a request does not exist. */
const NO_SUCH_REF = /\.NoSuch(Commit|Branch|Ref)Exception$/;
const PAGE_SIZE = 100;

/**
 * Calls the Bitbucket Server REST API 1.0 for one repository with `fetch`,
 * turning failures into typed errors without the credentials.
 */
export class BitbucketServerRepositoryClient {
  constructor(
    private readonly options: BitbucketServerRepositoryClientOptions,
  ) {}

  /** `PROJ/repo`, for messages. */
  get name(): string {
    return `${this.options.projectKey}/${this.options.slug}`;
  }

  /**
   * One call, relative to the repository; `pullRequest` says what a 404
   * means. Failures are `@backstage/errors` types; `rawFailure` gives the
   * status and Bitbucket's exception names to a caller that must tell
   * conflicts apart.
   */
  async request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    action: string,
    body?: object,
    pullRequest?: number,
  ): Promise<T> {
    try {
      return await this.requestOrFailure<T>(
        method,
        path,
        action,
        body,
        pullRequest,
      );
    } catch (error) {
      throw typedError(error);
    }
  }

  /** Every item of a paged list (`start`, `isLastPage`, `nextPageStart`). */
  async list<T>(
    path: string,
    action: string,
    filter: Record<string, string>,
  ): Promise<T[]> {
    const found: T[] = [];
    let start: number | undefined = 0;
    while (start !== undefined) {
      const query = new URLSearchParams({
        ...filter,
        limit: String(PAGE_SIZE),
        ...(start > 0 && { start: String(start) }),
      });
      const page: BitbucketPage<T> = await this.request<BitbucketPage<T>>(
        'GET',
        `${path}?${query}`,
        action,
      );
      found.push(...page.values);
      start =
        page.isLastPage || page.nextPageStart === undefined
          ? undefined
          : page.nextPageStart;
    }
    return found;
  }

  /** Like `request`, but a refusal is a {@link BitbucketServerCallError}. */
  async requestOrFailure<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    action: string,
    body?: object,
    pullRequest?: number,
  ): Promise<T> {
    const { repositoryUrl, headers, secrets } = this.options;
    const where = `${action} in ${this.name}`;
    let response: Response;
    try {
      response = await fetch(`${repositoryUrl}${path}`, {
        method,
        headers: {
          ...headers,
          Accept: 'application/json',
          // Bitbucket's XSRF check refuses POSTs without a JSON body otherwise.
          'X-Atlassian-Token': 'no-check',
          ...(body && { 'Content-Type': 'application/json' }),
        },
        body: body && JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `Bitbucket Server could not be reached while ${where}: ${redact(
          String((error as Error).message ?? error),
          secrets,
        )}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const { message, exceptions } = describeFailure(text);
      const failure = { status: response.status, exceptions };
      if (
        response.status === 404 &&
        exceptions.some(e => NO_SUCH_REF.test(e))
      ) {
        // An unknown branch is a bad request, not a missing repository.
        throw new BitbucketServerCallError(
          failure,
          new InputError(
            `Bitbucket Server refused ${where}: ${redact(
              message ?? 'no such branch',
              secrets,
            )}`,
          ),
        );
      }
      throw new BitbucketServerCallError(
        failure,
        scmError({
          service: 'Bitbucket Server',
          status: response.status,
          action: where,
          subject: pullRequest
            ? `pull request #${pullRequest} of ${this.name}`
            : `repository ${this.name}`,
          detail: message,
          secrets,
        }),
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** The messages and exception names of Bitbucket's `{errors: [...]}`. */
function describeFailure(text: string): {
  message?: string;
  exceptions: string[];
} {
  let data: { errors?: Array<{ message?: unknown; exceptionName?: unknown }> };
  try {
    data = JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) || undefined, exceptions: [] };
  }
  const errors = Array.isArray(data?.errors) ? data.errors : [];
  const messages = errors
    .map(e => e?.message)
    .filter((m): m is string => typeof m === 'string' && m.length > 0);
  return {
    message: messages.join('; ') || undefined,
    exceptions: errors
      .map(e => e?.exceptionName)
      .filter((n): n is string => typeof n === 'string'),
  };
}
