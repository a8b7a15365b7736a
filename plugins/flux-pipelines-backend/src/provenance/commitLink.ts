import { ScmIntegrationRegistry } from '@backstage/integration';
import { isLoopbackHost } from '../promotion/git/repositoryKey';

/** Options of {@link commitLink}. */
export interface CommitLinkOptions {
  integrations: ScmIntegrationRegistry;
  /**
   * `fluxPipelines.promotion.allowInsecureHttp`: an http link is allowed,
   * to a loopback host only (the demo's GitHub stand-in).
   */
  allowInsecureHttp?: boolean;
}

/**
 * The web page of commit `sha` in the repository at `url` (a clone URL the
 * caller has verified as one the backend knows), shaped for the
 * repository's integration: GitHub `…/<owner>/<repo>/commit/<sha>`, GitLab
 * `…/<path>/-/commit/<sha>`, Bitbucket Server
 * `…/projects/<P>/repos/<r>/commits/<sha>`. Undefined for anything else: no
 * integration for the host, a local path, another scheme, plain http.
 */
export function commitLink(
  url: string,
  sha: string,
  options: CommitLinkOptions,
): string | undefined {
  if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const secure =
    parsed.protocol === 'https:' ||
    (parsed.protocol === 'http:' &&
      options.allowInsecureHttp === true &&
      isLoopbackHost(parsed.hostname));
  if (!secure || parsed.username || parsed.password) return undefined;
  if (parsed.search || parsed.hash) return undefined;
  const segments = parsed.pathname
    .replace(/\.git\/*$/, '')
    .split('/')
    .filter(Boolean);
  if (segments.some(s => !/^[\w.~-]+$/.test(s) || /^\.+$/.test(s))) {
    return undefined;
  }
  const base = `${parsed.protocol}//${parsed.host}`;
  switch (options.integrations.byUrl(url)?.type) {
    case 'github':
      return segments.length === 2
        ? `${base}/${segments.join('/')}/commit/${sha}`
        : undefined;
    case 'gitlab':
      return segments.length >= 2
        ? `${base}/${segments.join('/')}/-/commit/${sha}`
        : undefined;
    case 'bitbucketServer': {
      // Clone URLs read `/scm/<PROJECT>/<repo>.git`.
      const [scm, project, repo, ...rest] = segments;
      return scm === 'scm' && project && repo && !rest.length
        ? `${base}/projects/${project}/repos/${repo}/commits/${sha}`
        : undefined;
    }
    default:
      return undefined;
  }
}
