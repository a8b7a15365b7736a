import { NotAllowedError } from '@backstage/errors';
import { posix } from 'node:path';

/**
 * A file path as the repository knows it: relative, `/`-separated, without
 * `.` or `..` segments. Absolute paths, paths leaving the repository and
 * paths into `.git` are refused (NotAllowedError naming `rule`).
 */
export function repositoryPath(path: string, rule: string): string {
  const unified = path.replace(/\\/g, '/');
  const normal = posix.normalize(unified);
  if (
    !unified ||
    posix.isAbsolute(unified) ||
    /^[a-zA-Z]:/.test(unified) ||
    normal === '.' ||
    normal === '..' ||
    normal.startsWith('../') ||
    normal.split('/').includes('.git')
  ) {
    throw new NotAllowedError(
      `refused by ${rule}: path ${JSON.stringify(
        path,
      )} is not a file inside the repository`,
    );
  }
  return normal.replace(/^\.\//, '');
}

/**
 * Whether `path` (see {@link repositoryPath}) matches `pattern`: `*` and `?`
 * stay within one path segment, `**` spans segments (`apps/**` matches all
 * below apps, `**` everything); any other character matches itself.
 */
export function matchesGlob(pattern: string, path: string): boolean {
  return globRegExp(pattern).test(path);
}

const cache = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (regexp) return regexp;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      // `**/` also matches no directory at all.
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  regexp = new RegExp(`^${source}$`);
  cache.set(pattern, regexp);
  return regexp;
}
