/**
 * The part of a Flux failure message a person needs first: its cause.
 *
 * helm-controller and kustomize-controller wrap the real error in context
 * (`Helm test failed for release dev/podinfo.v3 with chart podinfo@6.5.3: `),
 * put several errors in a Go multi-error list (`2 errors occurred:\n\t* a\n\t* b`)
 * and append Helm's logs (`\n\nLast Helm logs:\n\n...`). This drops the
 * context and the logs and lists the innermost errors, joined with "; ".
 * The whole message stays available to show as details.
 */
export function rootCause(message: string): string {
  const withoutLogs = message.split(/\n\s*Last Helm logs:/)[0];
  const bullets = [...withoutLogs.matchAll(/^\s*\* (.+)$/gm)].map(m =>
    m[1].trim(),
  );
  if (bullets.length) return bullets.map(stripContext).join('; ');
  const lines = withoutLogs
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean);
  if (!lines.length) return message.trim();
  return lines.map(stripContext).join('; ');
}

/** What Flux puts before the error, in the formats it has used. */
const CONTEXT = [
  // helm-controller v1: "Helm upgrade failed for release ns/name.v3 with chart c@1.2.3: <err>"
  /^Helm [a-z ]+ failed for release \S+ with chart \S+?: /i,
  // "Helm rollback to previous release ns/name.v2 with chart c@1.2.3 failed: <err>"
  /^Helm rollback to previous release \S+ with chart \S+ failed: /i,
  // legacy helm-controller: "Helm upgrade failed: <err>", "reconciliation failed: <err>"
  /^Helm [a-z ]+ failed: /i,
  /^reconciliation failed: /i,
  // kustomize-controller: "health check failed after 5m0s: <err>"
  /^health check failed after \S+: /i,
];

function stripContext(error: string): string {
  for (const context of CONTEXT) {
    const stripped = error.replace(context, '');
    if (stripped !== error && stripped.trim()) {
      return stripContext(stripped.trim());
    }
  }
  // "N error(s) occurred:" with its list on other lines says nothing itself.
  return error.replace(/^\d+ errors? occurred:\s*$/, '').trim() || error;
}
