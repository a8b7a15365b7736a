import { IncomingHttpHeaders, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiViolation, FakeReply, FakeRequest } from './fakeApi';
import { FakeGithubApi } from './fakeGithubApi';
import { FakeGitlabApi } from './fakeGitlabApi';
import { FakeBitbucketServerApi } from './fakeBitbucketServerApi';

const GITHUB_PREFIX = '/api/v3';
const GITLAB_PREFIX = '/api/v4';
const BITBUCKET_SERVER_PREFIX = '/rest/api/1.0';

/** One request the fake server received, and its answer. */
export interface RecordedRequest {
  service: 'github' | 'gitlab' | 'bitbucket-server' | 'unknown';
  method: string;
  /** Raw path after the service prefix (`/repos/org/fleet/pulls`). */
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

/**
 * A local stand-in for api.github.com (GHE `/api/v3`), GitLab `/api/v4` and
 * Bitbucket Server `/rest/api/1.0`.
 */
export interface FakeScmServer {
  /** Use as `integrations.github[].apiBaseUrl`. */
  githubApiBaseUrl: string;
  /** Use as `integrations.gitlab[].apiBaseUrl`. */
  gitlabApiBaseUrl: string;
  /** Use as `integrations.bitbucketServer[].apiBaseUrl`. */
  bitbucketServerApiBaseUrl: string;
  github: FakeGithubApi;
  gitlab: FakeGitlabApi;
  bitbucketServer: FakeBitbucketServerApi;
  /** Every request, in order. */
  requests: RecordedRequest[];
  /** Requests that broke the documented API; a test expects none. */
  violations: string[];
  stop(): Promise<void>;
}

/**
 * Starts the fake on a random local port. Requests with a wrong method,
 * path, field, type or header are answered 400 and recorded in `violations`.
 */
export async function startFakeScmServer(options: {
  /** GitHub's token; `unused` by default. */
  githubToken?: string;
  /** GitLab's token; `unused` by default. */
  gitlabToken?: string;
  /** Host of the web URLs GitLab answers with. */
  gitlabWebBaseUrl?: string;
  /** Bitbucket Server's HTTP access token; `unused` by default. */
  bitbucketServerToken?: string;
  /** Basic credentials Bitbucket Server also accepts. */
  bitbucketServerUser?: { username: string; password: string };
  /** Host (and context path) of the web URLs Bitbucket Server answers with. */
  bitbucketServerWebBaseUrl?: string;
}): Promise<FakeScmServer> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  let origin = '';
  const github = new FakeGithubApi({
    token: options.githubToken ?? 'unused',
    apiBaseUrl: () => `${origin}${GITHUB_PREFIX}`,
  });
  const gitlab = new FakeGitlabApi({
    token: options.gitlabToken ?? 'unused',
    webBaseUrl: options.gitlabWebBaseUrl ?? 'https://gitlab.example.com',
  });
  const bitbucketServer = new FakeBitbucketServerApi({
    token: options.bitbucketServerToken ?? 'unused',
    ...options.bitbucketServerUser,
    webBaseUrl:
      options.bitbucketServerWebBaseUrl ?? 'https://bitbucket.example.com',
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const rawPath = (req.url ?? '/').split('?')[0];
      const text = Buffer.concat(chunks).toString('utf8');
      let service: RecordedRequest['service'] = 'unknown';
      let reply: FakeReply;
      let path = rawPath;
      try {
        let body: unknown;
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            throw new ApiViolation(
              `${req.method} ${rawPath}: body is not JSON`,
            );
          }
        }
        const handler = [
          { prefix: GITHUB_PREFIX, name: 'github' as const, api: github },
          { prefix: GITLAB_PREFIX, name: 'gitlab' as const, api: gitlab },
          {
            prefix: BITBUCKET_SERVER_PREFIX,
            name: 'bitbucket-server' as const,
            api: bitbucketServer,
          },
        ].find(h => rawPath.startsWith(`${h.prefix}/`));
        if (!handler) {
          throw new ApiViolation(`${req.method} ${rawPath}: unknown service`);
        }
        service = handler.name;
        path = rawPath.slice(handler.prefix.length);
        const request: FakeRequest = {
          method: req.method ?? 'GET',
          path,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        reply = handler.api.handle(request);
      } catch (error) {
        const message = String((error as Error).message ?? error);
        if (error instanceof ApiViolation) {
          violations.push(message);
          reply = { status: 400, body: { message } };
        } else {
          violations.push(`the fake server failed: ${message}`);
          reply = { status: 500, body: { message } };
        }
      }
      requests.push({
        service,
        method: req.method ?? 'GET',
        path,
        query: url.search,
        headers: req.headers,
        body: text ? safeJson(text) : undefined,
        status: reply.status,
      });
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        ...reply.headers,
      });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    githubApiBaseUrl: `${origin}${GITHUB_PREFIX}`,
    gitlabApiBaseUrl: `${origin}${GITLAB_PREFIX}`,
    bitbucketServerApiBaseUrl: `${origin}${BITBUCKET_SERVER_PREFIX}`,
    github,
    gitlab,
    bitbucketServer,
    requests,
    violations,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
