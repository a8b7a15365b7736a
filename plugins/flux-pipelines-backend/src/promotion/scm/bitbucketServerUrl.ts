import { InputError } from '@backstage/errors';
import { parseRepositoryUrl, safeForMessage } from './repositoryUrl';

/** A Bitbucket Server repository, from its clone or web URL. */
export interface BitbucketServerRepository {
  /** `https://host[:port]`, for looking up the `integrations` entry. */
  origin: string;
  /** The project key, or `~user` for a personal repository. */
  projectKey: string;
  slug: string;
}

/**
 * Reads `https://host[/context]/scm/PROJ/repo.git`,
 * `https://host[/context]/projects/PROJ/repos/repo[/browse…]`,
 * `…/users/jdoe/repos/repo…` (project `~jdoe`) and SSH clone URLs
 * (`ssh://git@host:7999/proj/repo.git`, `git@host:proj/repo.git`).
 */
export function parseBitbucketServerUrl(
  url: string,
): BitbucketServerRepository {
  const location = parseRepositoryUrl(url);
  let origin = location.origin;
  try {
    const parsed = new URL(url);
    if (['https:', 'http:'].includes(parsed.protocol)) {
      origin = parsed.origin; // keeps a port, which SSH URLs must not
    }
  } catch {
    // scp-like SSH URL: parseRepositoryUrl read it
  }
  const segments = location.segments;
  // Clone URLs spell project keys in lower case; keys are upper case.
  const key = (k: string) => (k.startsWith('~') ? k : k.toUpperCase());
  const web = segments.findIndex(
    (s, i) =>
      (s === 'projects' || s === 'users') &&
      segments[i + 2] === 'repos' &&
      segments[i + 3],
  );
  if (web >= 0) {
    const owner = segments[web + 1];
    return {
      origin,
      projectKey: segments[web] === 'users' ? `~${owner}` : key(owner),
      slug: segments[web + 3].replace(/\.git$/, ''),
    };
  }
  const scm = segments.lastIndexOf('scm');
  if (scm >= 0 && segments.length === scm + 3) {
    return {
      origin,
      projectKey: key(segments[scm + 1]),
      slug: segments[scm + 2],
    };
  }
  if (segments.length === 2) {
    return { origin, projectKey: key(segments[0]), slug: segments[1] };
  }
  throw new InputError(
    `${safeForMessage(
      url,
    )} is not a Bitbucket Server repository URL (…/scm/PROJECT/repo.git or …/projects/PROJECT/repos/repo)`,
  );
}
