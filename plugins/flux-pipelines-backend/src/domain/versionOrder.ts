import semver from 'semver';

/**
 * The order of two versions of one app, where both are SemVer chart versions
 * (a `+build` suffix, as OCI charts carry, and an `@sha256:` digest suffix are
 * ignored for the order, as SemVer says): negative when `a` is older, 0 when
 * they are the same release, positive when newer. Undefined when either does
 * not parse (source revisions such as `main@sha1:...`), where only the
 * deploy order can tell.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return undefined;
  return semver.compare(left, right);
}

/**
 * Whether moving an environment from `current` to `next` goes back to an
 * older release: then it is a rollback, never an ordinary promotion.
 */
export function isDowngrade(current: string | undefined, next: string) {
  if (current === undefined) return false;
  return (compareVersions(next, current) ?? 0) < 0;
}

function parse(version: string): semver.SemVer | null {
  const withoutDigest = version.split('@')[0];
  return semver.parse(withoutDigest, { loose: false });
}
