import { redact, scmError } from './scmErrors';

/** One GitLab project and how to reach its API. */
export interface GitlabProjectClientOptions {
  /** The project's full path, e.g. `group/sub/fleet`. */
  project: string;
  /** `<apiBaseUrl>/projects/<url-encoded path>`. */
  projectUrl: string;
  /** Authentication headers (`getGitLabRequestOptions`). */
  headers: Record<string, string>;
  /** Kept only to scrub it from messages. */
  token: string;
}

/**
 * Calls the GitLab REST API v4 for one project with `fetch`, turning failures
 * into typed errors without the token.
 */
export class GitlabProjectClient {
  constructor(private readonly options: GitlabProjectClientOptions) {}

  get project(): string {
    return this.options.project;
  }

  /** One call; `mergeRequest` says what a 404 means. */
  async request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    action: string,
    body?: object,
    mergeRequest?: number,
  ): Promise<{ data: T; nextPage: string | null }> {
    const { project, projectUrl, headers, token } = this.options;
    const where = `${action} in ${project}`;
    let response: Response;
    try {
      response = await fetch(`${projectUrl}${path}`, {
        method,
        headers: {
          ...headers,
          Accept: 'application/json',
          ...(body && { 'Content-Type': 'application/json' }),
        },
        body: body && JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `GitLab could not be reached while ${where}: ${redact(
          String((error as Error).message ?? error),
          [token],
        )}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw scmError({
        service: 'GitLab',
        status: response.status,
        action: where,
        subject: mergeRequest
          ? `merge request !${mergeRequest} of ${project}`
          : `project ${project}`,
        detail: describeFailure(text),
        secrets: [token],
      });
    }
    return {
      data: (text ? JSON.parse(text) : undefined) as T,
      nextPage: response.headers.get('x-next-page') || null,
    };
  }
}

/** GitLab's `message` (a string, a list, or field → messages) or `error`. */
function describeFailure(text: string): string | undefined {
  let data: { message?: unknown; error?: unknown };
  try {
    data = JSON.parse(text);
  } catch {
    return text.slice(0, 200) || undefined;
  }
  const message = data?.message ?? data?.error;
  if (typeof message === 'string') {
    return message;
  }
  if (Array.isArray(message)) {
    return message.join('; ');
  }
  if (message && typeof message === 'object') {
    return Object.entries(message)
      .map(([field, m]) => `${field} ${([] as unknown[]).concat(m).join(', ')}`)
      .join('; ');
  }
  return undefined;
}
