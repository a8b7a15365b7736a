import { createHash } from 'node:crypto';

const PREFIX = 'flux-pipelines/promote';

/**
 * The one branch a pipeline's promotions into an environment are pushed to:
 * `flux-pipelines/promote/<namespace>/<pipeline>/<environment>`.
 *
 * Each part is made safe for `git check-ref-format` (and GitHub/GitLab branch
 * names): characters other than letters, digits, `.`, `_` and `-` become `-`,
 * and leading dots or dashes, `..`, a trailing `.` and a `.lock` ending are
 * removed. A part that had to change gets a short hash of its original
 * spelling (an empty part becomes just the hash), so that two different
 * environments never share a branch.
 */
export function promotionBranch(
  pipelineNamespace: string,
  pipelineName: string,
  environment: string,
): string {
  return [PREFIX, pipelineNamespace, pipelineName, environment]
    .map((part, index) => (index === 0 ? part : safeRefPart(part)))
    .join('/');
}

function safeRefPart(part: string): string {
  let safe = part
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/\.+$/, '')
    .replace(/\.lock$/i, '-lock');
  if (safe !== part || !safe) {
    const hash = createHash('sha256').update(part).digest('hex').slice(0, 8);
    safe = safe ? `${safe}-${hash}` : hash;
  }
  return safe;
}
