import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GitLabIntegration,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { isAbsolute, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** HTTP credentials for git over HTTPS: Basic, or a Bearer token. */
export interface GitAuth {
  username: string;
  password: string;
  /** Send `password` as a Bearer token (Bitbucket Server HTTP access tokens). */
  bearer?: boolean;
}

/** How to reach an allowed repository. */
export interface RepositoryAccess {
  auth?: GitAuth;
}

/** Where an entry of these integration types without `host` points. */
const DEFAULT_HOSTS: Record<string, string | undefined> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
};

/**
 * The hosts of the GitHub, GitLab and Bitbucket Server entries written under
 * `integrations` in app-config. `ScmIntegrations.fromConfig` also adds
 * github.com and gitlab.com when nobody configured them; promotion must not
 * treat those as permission to reach them.
 */
export function configuredIntegrationHosts(config: Config): Set<string> {
  const hosts = new Set<string>();
  for (const type of ['github', 'gitlab', 'bitbucketServer']) {
    for (const entry of config.getOptionalConfigArray(`integrations.${type}`) ??
      []) {
      const host = entry.getOptionalString('host') ?? DEFAULT_HOSTS[type];
      if (host) hosts.add(host);
    }
  }
  return hosts;
}

const githubProviders = new WeakMap<
  ScmIntegrationRegistry,
  DefaultGithubCredentialsProvider
>();

/**
 * Decides whether the backend may clone and push `url`, and with which
 * credentials. For a pipeline defined by a cluster's Pipeline object the
 * destination rules (DestinationPolicy) decide first, and only a listed
 * repository is passed as `allowedRepositories`; credentials then go only
 * over https (assertCredentialTransport). Allowed are URLs on a host of an `integrations` entry, and
 * repositories under one of `allowedRepositories` (how
 * `fluxPipelines.promotion.repositories` lets file:// repositories in).
 * Anything else, such as a host named only by a cluster's Pipeline object,
 * is refused with a NotAllowedError. A `token` (from a pipeline's
 * `secretRef`) replaces the integration's credentials for an allowed http(s)
 * repository; it never allows one.
 */
export async function resolveRepositoryAccess(options: {
  url: string;
  integrations: ScmIntegrationRegistry;
  /**
   * The hosts of the `integrations` entries written in app-config (see
   * {@link configuredIntegrationHosts}); when given, only they count, not
   * the github.com and gitlab.com entries ScmIntegrations adds by itself.
   */
  integrationHosts?: ReadonlySet<string>;
  allowedRepositories: string[];
  token?: string;
}): Promise<RepositoryAccess> {
  const { url, integrations, allowedRepositories, token } = options;
  const remote = parseRemoteUrl(url);
  const integration = remote && integrations.byUrl(remote);
  if (
    remote &&
    integration &&
    (!options.integrationHosts || options.integrationHosts.has(remote.host))
  ) {
    return {
      auth: token
        ? tokenAuth(integration.type, token)
        : await credentialsFor(url, integration.type, integrations),
    };
  }
  if (allowedRepositories.some(allowed => isUnder(url, allowed))) {
    return remote && token ? { auth: tokenAuth(undefined, token) } : {};
  }
  throw new NotAllowedError(
    `Repository ${redactUrl(
      url,
    )} is not allowed; add an integration for its host or list it in fluxPipelines.promotion.repositories`,
  );
}

/** A token as git over HTTPS takes it: Bearer for Bitbucket Server, GitLab's user `oauth2`, else GitHub's `x-access-token`. */
function tokenAuth(type: string | undefined, token: string): GitAuth {
  if (type === 'bitbucketServer') {
    return { username: '', password: token, bearer: true };
  }
  return {
    username: type === 'gitlab' ? 'oauth2' : 'x-access-token',
    password: token,
  };
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
    return token ? tokenAuth(type, token) : undefined;
  }
  if (type === 'gitlab') {
    const gitlab = integrations.gitlab.byUrl(url) as GitLabIntegration;
    const token = gitlab?.config.token;
    return token ? tokenAuth(type, token) : undefined;
  }
  if (type === 'bitbucketServer') {
    // As the REST API is called: an HTTP access token as a Bearer token
    // (project and repository tokens take no other form), else Basic.
    const config = integrations.bitbucketServer.byUrl(url)?.config;
    if (config?.token) return tokenAuth(type, config.token);
    return config?.username && config.password
      ? { username: config.username, password: config.password }
      : undefined;
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

/** The URL git should clone: local paths become file:// URLs (so a shallow clone is possible). */
export function cloneUrl(url: string): string {
  const path = localPath(url);
  return path === undefined ? url : pathToFileURL(path).href;
}
