/**
 * An RFC 3339 time as milliseconds, for ordering: a missing time sorts
 * before every known one. The one time helper of the deployment rules.
 */
export function at(time: string | undefined): number {
  return time ? Date.parse(time) : -Infinity;
}
