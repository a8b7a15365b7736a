import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, resolve } from 'node:path';

/** `/<owner>/<repo>[.git]/<git smart HTTP path>`; the capture groups are the path after the repository. */
const GIT_PATH =
  /^\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(?:\.git)?(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD))$/;

/** The smart-HTTP part of a git request path, or undefined when it is not one. */
export function gitHttpPath(path: string): string | undefined {
  return GIT_PATH.exec(path)?.[1];
}

/** Whether a Basic (any user, the token as password) or token Authorization header carries `token`. */
export function gitAuthorized(req: IncomingMessage, token: string): boolean {
  const header = String(req.headers.authorization ?? '');
  const basic = /^basic\s+(\S+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) === token;
  }
  const bearer = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
  return bearer?.[1] === token;
}

/**
 * Serves git's smart HTTP protocol for the fleet repository (clone, fetch and
 * push, as to `https://github.com/<owner>/<repo>.git`) through
 * `git http-backend`. Pushes to the checked-out branch follow the
 * repository's `receive.denyCurrentBranch` (`updateInstead` for the fleet).
 */
export function serveGit(
  req: IncomingMessage,
  res: ServerResponse,
  repo: string,
  gitPath: string,
  body: Buffer,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  const root = resolve(repo);
  Object.assign(env, {
    GIT_PROJECT_ROOT: dirname(root),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${basename(root)}${gitPath}`,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: String(body.length),
    REMOTE_USER: 'cluster-sim',
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    ...(req.headers['content-encoding'] && {
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']),
    }),
    ...(req.headers['git-protocol'] && {
      HTTP_GIT_PROTOCOL: String(req.headers['git-protocol']),
    }),
  });
  return new Promise((done, fail) => {
    const child = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let head = Buffer.alloc(0);
    let headersSent = false;
    let stderr = '';
    child.stderr.on('data', d => (stderr += d));
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      const endLf = head.indexOf('\n\n');
      const [at, size] =
        end >= 0 && (endLf < 0 || end < endLf) ? [end, 4] : [endLf, 2];
      if (at < 0) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head
        .subarray(0, at)
        .toString('latin1')
        .split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(at + size));
    });
    child.on('error', fail);
    child.on('close', code => {
      if (!headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`git http-backend failed (${code}): ${stderr}`);
      } else {
        res.end();
      }
      done();
    });
    child.stdin.on('error', () => {
      // http-backend may answer without reading the whole request.
    });
    child.stdin.end(body);
  });
}
