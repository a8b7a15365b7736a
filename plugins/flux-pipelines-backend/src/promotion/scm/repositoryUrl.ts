import { InputError } from '@backstage/errors';

/** A hosted repository, from its web or clone URL. */
export interface RepositoryLocation {
  /** `https://<host>`, for looking up the `integrations` entry. */
  origin: string;
  /** The path segments after the host, without `.git` or web-page suffixes. */
  segments: string[];
}

/**
 * Reads web URLs (`https://github.com/org/fleet`, `…/-/tree/main` on GitLab),
 * HTTPS clone URLs (`…/fleet.git`, with or without a user) and SSH clone URLs
 * (`ssh://git@host/org/fleet.git`, `git@host:org/fleet.git`).
 */
export function parseRepositoryUrl(url: string): RepositoryLocation {
  const scp = /^[\w.-]+@([^:/]+):(?!\/)(.+)$/.exec(url);
  let host: string;
  let path: string;
  if (scp) {
    host = scp[1];
    path = scp[2];
  } else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`Not a repository URL: ${safeForMessage(url)}`);
    }
    if (!['https:', 'http:', 'ssh:'].includes(parsed.protocol)) {
      throw new InputError(`Not a repository URL: ${safeForMessage(url)}`);
    }
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  }
  const segments = path.split('/-/')[0].split('/').filter(Boolean);
  if (segments.length) {
    segments[segments.length - 1] = segments[segments.length - 1].replace(
      /\.git$/,
      '',
    );
  }
  if (segments.length < 2 || segments.some(s => !s)) {
    throw new InputError(
      `Repository URL ${safeForMessage(url)} names no repository`,
    );
  }
  return { origin: `https://${host}`, segments };
}

/** A URL without credentials in it, for messages. */
export function safeForMessage(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/, '//');
}
