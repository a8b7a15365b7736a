import http, { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiViolation, ScmReply } from './apiChecks';
import { GitFleetRepository, PullRepository } from './FleetRepository';
import { GithubApi, GithubPull } from './GithubApi';
import { gitAuthorized, gitHttpPath, serveGit } from './gitHttp';

/** Where the API is served on the stand-in's origin, as on GitHub Enterprise. */
export const GITHUB_API_PREFIX = '/api/v3';

export interface GithubStandInOptions {
  /** The fleet repository's working tree (the GitOps loop's source). */
  repo: string;
  /** The token clients must send; default `cluster-sim-token`. */
  token?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Milliseconds since the epoch for timestamps; default `Date.now`. */
  now?: () => number;
  /** Keep pull requests in `<git dir>/cluster-sim/github-pulls.json`; default true. */
  persist?: boolean;
  /** Another repository implementation (tests). */
  repository?: PullRepository;
}

/** One API request the stand-in answered. */
export interface RecordedScmRequest {
  method: string;
  /** The path after `/api/v3`. */
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

/** A GitHub stand-in over the local fleet repository. */
export interface GithubStandIn {
  /** The web origin (`http://127.0.0.1:<port>`); pull requests are at `<url>/<owner>/<repo>/pull/<n>`. */
  url: string;
  /** Use as `integrations.github[].apiBaseUrl` (`<url>/api/v3`). */
  githubApiBaseUrl: string;
  token: string;
  api: GithubApi;
  /** The pull requests, oldest first. */
  pulls(): GithubPull[];
  /** Merges an open pull request into its base branch, as its Merge button does. */
  mergePull(number: number): { sha: string };
  /** The last 1000 API requests, in order. */
  requests: RecordedScmRequest[];
  /** Requests that broke the documented API; a test expects none. */
  violations: string[];
  /** Calls `listener` with each new violation (the CLI prints them). */
  onViolation(listener: (message: string) => void): void;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const REQUEST_LIMIT = 1000;

/**
 * Starts a GitHub stand-in over the fleet repository, where every
 * `<owner>/<repo>` names that repository:
 * - the REST API's pull-request calls under `/api/v3`; branches are the
 *   repository's and merges are real `git merge --no-ff` commits;
 * - git over smart HTTP at `/<owner>/<repo>.git` (clone, fetch, push; Basic
 *   auth with the token as password, as GitHub takes it);
 * - plain pull-request pages with a Merge button for browsers
 *   (`/<owner>/<repo>/pull/<n>`; merging from them is loopback only).
 */
export async function startGithubStandIn(
  options: GithubStandInOptions,
): Promise<GithubStandIn> {
  const token = options.token ?? 'cluster-sim-token';
  const requests: RecordedScmRequest[] = [];
  const violations: string[] = [];
  const listeners: Array<(message: string) => void> = [];
  let origin = '';
  const api = new GithubApi({
    token,
    repository: options.repository ?? new GitFleetRepository(options.repo),
    apiBaseUrl: () => `${origin}${GITHUB_API_PREFIX}`,
    webBaseUrl: () => origin,
    now: options.now,
    persist: options.persist,
  });
  const violation = (message: string) => {
    violations.push(message);
    for (const listener of listeners) listener(message);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(e => {
      const message = String((e as Error)?.message ?? e);
      violation(`the GitHub stand-in failed: ${message}`);
      send(res, { status: 500, body: { message } });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const rawPath = (req.url ?? '/').split('?')[0];
    const raw = await readRaw(req);
    const text = raw.toString('utf8');
    if (!rawPath.startsWith(`${GITHUB_API_PREFIX}/`)) {
      const gitPath = gitHttpPath(rawPath);
      if (!gitPath) return web(req, res, rawPath);
      if (!gitAuthorized(req, token)) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
        return res.end();
      }
      return serveGit(req, res, options.repo, gitPath, raw);
    }
    const path = rawPath.slice(GITHUB_API_PREFIX.length);
    let reply: ScmReply;
    try {
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiViolation(
            `GitHub ${req.method} ${path}: body is not JSON`,
          );
        }
      }
      reply = api.handle({
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
    } catch (e) {
      if (!(e instanceof ApiViolation)) throw e;
      violation(e.message);
      reply = {
        status: e.status,
        body: {
          message: e.status === 404 ? 'Not Found' : e.message,
          documentation_url: 'https://docs.github.com/rest',
        },
      };
    }
    requests.push({
      method: req.method ?? 'GET',
      path,
      query: url.search,
      headers: req.headers,
      body: text ? safeJson(text) : undefined,
      status: reply.status,
    });
    if (requests.length > REQUEST_LIMIT) requests.shift();
    return send(res, reply);
  }

  /** The browser side: pull-request pages and their Merge button. */
  function web(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ) {
    const m = /^\/([^/]+)\/([^/]+)\/pulls?(?:\/(\d+)(\/merge)?)?\/?$/.exec(
      path,
    );
    const full = m && `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
    const pull = m?.[3]
      ? api.pulls().find(p => p.number === Number(m[3]))
      : undefined;
    if (!m || (m[3] && !pull)) {
      return page(res, 404, 'Not Found', '<p>No such page.</p>');
    }
    if (m[4]) {
      if (req.method !== 'POST')
        return page(res, 405, 'Merge', '<p>Use the Merge button.</p>');
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        return page(res, 403, 'Forbidden', '<p>Loopback clients only.</p>');
      }
      try {
        api.mergePull(pull!.number);
      } catch (e) {
        return page(
          res,
          405,
          'Not merged',
          `<p id="merge-error">${escape((e as Error).message)}</p>`,
        );
      }
      res.writeHead(303, { location: `/${full}/pull/${pull!.number}` });
      return res.end();
    }
    if (!pull) {
      const rows = api
        .pulls()
        .reverse()
        .map(
          p =>
            `<li><a href="/${full}/pull/${p.number}">#${p.number} ${escape(
              p.title,
            )}</a> <span class="state">${stateOf(p)}</span></li>`,
        )
        .join('');
      return page(res, 200, `Pull requests · ${full}`, `<ul>${rows}</ul>`);
    }
    const comments = pull.comments
      .map(c => `<li class="comment">${escape(c.body)}</li>`)
      .join('');
    const button =
      pull.state === 'open'
        ? `<form method="post" action="/${full}/pull/${pull.number}/merge"><button type="submit" id="merge">Merge pull request</button></form>`
        : '';
    return page(
      res,
      200,
      `${pull.title} · Pull Request #${pull.number} · ${full}`,
      `<h1>${escape(pull.title)} <span>#${pull.number}</span></h1>
<p><span class="state" id="state">${stateOf(pull)}</span> ${escape(
        pull.head,
      )} → ${escape(pull.base)}${
        pull.mergeCommitSha ? ` as <code>${pull.mergeCommitSha}</code>` : ''
      }</p>
<pre class="body">${escape(pull.body ?? '')}</pre>
<ul class="comments">${comments}</ul>
${button}`,
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  origin = `http://${options.host ?? '127.0.0.1'}:${
    (server.address() as AddressInfo).port
  }`;
  return {
    url: origin,
    githubApiBaseUrl: `${origin}${GITHUB_API_PREFIX}`,
    token,
    api,
    pulls: () => api.pulls(),
    mergePull: n => api.mergePull(n),
    requests,
    violations,
    onViolation: listener => listeners.push(listener),
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function stateOf(pull: GithubPull) {
  if (pull.mergedAt) return 'Merged';
  return pull.state === 'open' ? 'Open' : 'Closed';
}

function send(res: http.ServerResponse, reply: ScmReply) {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    ...reply.headers,
  });
  res.end(text);
}

function page(
  res: http.ServerResponse,
  status: number,
  title: string,
  body: string,
) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(
      title,
    )}</title></head><body>${body}</body></html>`,
  );
}

function escape(text: string) {
  return text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
