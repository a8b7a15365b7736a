import { NotAllowedError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GitLabIntegration,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { isAbsolute, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** HTTP Basic credentials for git over HTTPS. */
export interface GitAuth {
  username: string;
  password: string;
}

/** How to reach an allowed repository. */
export interface RepositoryAccess {
  auth?: GitAuth;
}

const githubProviders = new WeakMap<
  ScmIntegrationRegistry,
  DefaultGithubCredentialsProvider
>();

/**
 * Decides whether the backend may clone and push `url`, and with which
 * credentials. Allowed are URLs on a host of an `integrations` entry, and
 * repositories under one of `allowedRepositories` (how
 * `fluxPipelines.promotion.repositories` lets file:// repositories in).
 * Anything else, such as a host named only by a cluster's Pipeline object,
 * is refused with a NotAllowedError.
 */
export async function resolveRepositoryAccess(options: {
  url: string;
  integrations: ScmIntegrationRegistry;
  allowedRepositories: string[];
}): Promise<RepositoryAccess> {
  const { url, integrations, allowedRepositories } = options;
  const remote = parseRemoteUrl(url);
  const integration = remote && integrations.byUrl(remote);
  if (remote && integration) {
    return { auth: await credentialsFor(url, integration.type, integrations) };
  }
  if (allowedRepositories.some(allowed => isUnder(url, allowed))) return {};
  throw new NotAllowedError(
    `Repository ${redactUrl(
      url,
    )} is not allowed; add an integration for its host or list it in fluxPipelines.promotion.repositories`,
  );
}

async function credentialsFor(
  url: string,
  type: string,
  integrations: ScmIntegrationRegistry,
): Promise<GitAuth | undefined> {
  if (type === 'github') {
    let provider = githubProviders.get(integrations);
    if (!provider) {
      provider =
        DefaultGithubCredentialsProvider.fromIntegrations(integrations);
      githubProviders.set(integrations, provider);
    }
    const { token } = await provider.getCredentials({ url });
    return token ? { username: 'x-access-token', password: token } : undefined;
  }
  if (type === 'gitlab') {
    const gitlab = integrations.gitlab.byUrl(url) as GitLabIntegration;
    const token = gitlab?.config.token;
    return token ? { username: 'oauth2', password: token } : undefined;
  }
  return undefined;
}

/** An http(s) URL without user info, or undefined. */
function parseRemoteUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    if (!['https:', 'http:'].includes(parsed.protocol)) return undefined;
    if (parsed.username || parsed.password) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

/** Whether `url` is `allowed` or inside it, compared segment by segment. */
function isUnder(url: string, allowed: string): boolean {
  const path = localPath(url);
  const allowedPath = localPath(allowed);
  if (path !== undefined || allowedPath !== undefined) {
    if (path === undefined || allowedPath === undefined) return false;
    return path === allowedPath || path.startsWith(withSlash(allowedPath));
  }
  const remote = parseRemoteUrl(url);
  const allowedRemote = parseRemoteUrl(allowed);
  if (!remote || !allowedRemote) return false;
  if (remote.origin !== allowedRemote.origin) return false;
  const a = remote.pathname.replace(/\/+$/, '');
  const b = allowedRemote.pathname.replace(/\/+$/, '');
  return a === b || a.startsWith(withSlash(b)) || a === `${b}.git`;
}

/** The absolute, normalized path of a file:// URL or a plain path. */
export function localPath(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try {
      return normalize(fileURLToPath(url)).replace(/\/+$/, '') || '/';
    } catch {
      return undefined;
    }
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url) || url.includes('::')) {
    return undefined; // another scheme, or scp-like host:path
  }
  if (url.startsWith('-') || url === '') return undefined;
  const path = isAbsolute(url) ? normalize(url) : resolve(url);
  return path.replace(/\/+$/, '') || '/';
}

function withSlash(path: string) {
  return path.endsWith('/') ? path : `${path}/`;
}

/** The URL without user info, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
