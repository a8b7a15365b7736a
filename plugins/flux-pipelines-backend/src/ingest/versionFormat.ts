import { parseSourceRevision } from './sourceRevision';

/**
 * The one grammar of the versions a Flux object carries. Every normaliser
 * (core and events.k8s.io Events, webhooks, HelmRelease and Kustomization
 * status) checks a version here before it becomes a deployment fact, so a
 * string that is no version of that kind never reaches the deployments, the
 * page or a promotion.
 */

/** No real chart version or source revision is longer. */
export const MAX_VERSION_CHARS = 128;

const IDENT = '[0-9A-Za-z-]+';
const DOT_IDENTS = `${IDENT}(?:\\.${IDENT})*`;
const NUMBER = '\\d{1,10}';
const SHA256 = '[0-9a-f]{64}';

/**
 * A Helm chart version: SemVer 2 (Helm parses it leniently: an optional `v`,
 * minor and patch may be left out), with pre-release and `+build` (OCI charts
 * carry `+<digest prefix>`, e.g. `6.6.1+0cc9a8446c95`), optionally followed
 * by the `@sha256:<digest>` Flux appends for OCI chart artifacts.
 */
const HELM_CHART_VERSION = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER}){0,2}(?:-${DOT_IDENTS})?(?:\\+${DOT_IDENTS})?(?:@sha256:${SHA256})?$`,
);

export type VersionKind = 'HelmRelease' | 'Kustomization';

/** What a version of each kind is, for messages. */
export const VERSION_FORM: Record<VersionKind, string> = {
  HelmRelease: 'a Helm chart version (SemVer 2)',
  Kustomization: 'a Flux source revision (e.g. main@sha1:<sha>)',
};

/**
 * Whether `version` is what an object of `kind` carries as its version: a
 * Helm chart version for a HelmRelease, a source revision for a
 * Kustomization; at most {@link MAX_VERSION_CHARS} characters.
 */
export function isVersionOf(kind: VersionKind, version: unknown): boolean {
  if (typeof version !== 'string' || version.length > MAX_VERSION_CHARS) {
    return false;
  }
  if (kind === 'HelmRelease') return HELM_CHART_VERSION.test(version);
  return parseSourceRevision(version) !== undefined;
}

/**
 * Checks a version read from an input. Returns undefined when it is fine (or
 * absent), else the reason to refuse the input with, naming the field.
 */
export function versionProblem(
  kind: VersionKind,
  version: unknown,
  where: string,
): string | undefined {
  if (version === undefined) return undefined;
  if (isVersionOf(kind, version)) return undefined;
  const shown =
    typeof version === 'string'
      ? JSON.stringify(version.slice(0, 40)) +
        (version.length > 40 ? `… (${version.length} characters)` : '')
      : typeof version;
  return `${where} ${shown} is not ${VERSION_FORM[kind]} of at most ${MAX_VERSION_CHARS} characters`;
}
