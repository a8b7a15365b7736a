import { field } from './values';

/**
 * The one grammar of the source revisions Flux reports (a Kustomization's
 * `lastAppliedRevision`, the `kustomize.toolkit.fluxcd.io/revision` and
 * `originRevision` annotations, a webhook's `revision`, a chart's OCI
 * digest). Revisions are untrusted text: only what parses here is shown, and
 * only a git sha from here may become a link to a commit.
 */

/** No real source revision is longer. */
export const MAX_REVISION_CHARS = 128;

/**
 * A git reference name as Flux prints it before `@`: a branch, tag or full
 * ref (`main`, `v1.2.3`, `refs/heads/main`). No spaces, no control
 * characters, no `@{` (and no `..`, checked below).
 */
const REF = '[0-9A-Za-z._/+-]{1,100}';
const SHA1 = '[0-9a-f]{40}';
const SHA256 = '[0-9a-f]{64}';

/**
 * `<ref>@sha1:<sha>` or `<ref>@sha256:<digest>` (Git, OCI), a bare
 * `sha1:<sha>` or `sha256:<digest>` (detached commit, Bucket, OCI without a
 * tag), and the legacy forms `<branch>/<sha>` and a bare hex digest.
 */
const FORMS: RegExp[] = [
  new RegExp(`^(?:(?<ref>${REF})@)?sha1:(?<sha>${SHA1})$`),
  new RegExp(`^(?:(?<ref>${REF})@)?(?<digest>sha256:${SHA256})$`),
  new RegExp(`^(?<ref>${REF})/(?<sha>${SHA1})$`),
  new RegExp(`^(?<sha>${SHA1})$`),
  new RegExp(`^(?<digest>${SHA256})$`),
];

/** A source revision that parsed: a git commit or a content digest. */
export type SourceRevision =
  | { kind: 'git'; revision: string; ref?: string; sha: string }
  | { kind: 'digest'; revision: string; ref?: string; digest: string };

/** Reads a revision, or says it is none (anything else, too long, with `..`). */
export function parseSourceRevision(
  value: unknown,
): SourceRevision | undefined {
  if (
    typeof value !== 'string' ||
    value.length > MAX_REVISION_CHARS ||
    value.includes('..')
  ) {
    return undefined;
  }
  for (const form of FORMS) {
    const groups = form.exec(value)?.groups;
    if (!groups) continue;
    const ref = groups.ref ? { ref: groups.ref } : {};
    if (groups.sha) {
      return { kind: 'git', revision: value, ...ref, sha: groups.sha };
    }
    const digest = groups.digest.startsWith('sha256:')
      ? groups.digest
      : `sha256:${groups.digest}`;
    return { kind: 'digest', revision: value, ...ref, digest };
  }
  return undefined;
}

/** The git commit a revision names, if it names one. */
export function gitShaOf(value: unknown): string | undefined {
  const parsed = parseSourceRevision(value);
  return parsed?.kind === 'git' ? parsed.sha : undefined;
}

/**
 * What an event's metadata says of where a change came from, apart from its
 * version: a Kustomization's `originRevision` (the commit an OCI artifact
 * was built from), a HelmRelease chart's `oci-digest`. Both key styles
 * (FLUX.md §4); what does not parse is left out.
 */
export function changeSource(
  kind: 'HelmRelease' | 'Kustomization',
  metadata: unknown,
): string | undefined {
  const [group, key] =
    kind === 'HelmRelease'
      ? ['helm.toolkit.fluxcd.io', 'oci-digest']
      : ['kustomize.toolkit.fluxcd.io', 'originRevision'];
  for (const name of [`${group}/${key}`, key]) {
    const parsed = parseSourceRevision(field(metadata, name));
    if (parsed) return parsed.revision;
  }
  return undefined;
}
