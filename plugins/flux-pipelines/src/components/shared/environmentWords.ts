import {
  EnvironmentRelation,
  EnvironmentStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';

const versions = (n: number) => `${n} version${n === 1 ? '' : 's'}`;

/** "1 version ahead of dev", "2 versions behind test", "level with dev": the backend's relation in words. */
export function describeRelation(relation: EnvironmentRelation): string {
  if (relation.position === 'same') return `level with ${relation.upstream}`;
  return `${versions(relation.versions)} ${relation.position} ${
    relation.position === 'ahead' ? 'of ' : ''
  }${relation.upstream}`;
}

/** "6.9.9 skipped dev": the running version went around earlier environments. */
export function describeSkipped(
  environment: EnvironmentStatus,
): string | undefined {
  if (!environment.skipped?.length || !environment.running) return undefined;
  return `${environment.running} skipped ${environment.skipped.join(', ')}`;
}

/**
 * Why the promote button of an environment is disabled, in words, from what
 * the backend says the environment is doing ({@link EnvironmentStatus.activity});
 * none when a version can be promoted. The card's state, its button and
 * this reason all come from that one fact, so they cannot contradict.
 */
export function promoteBlockedBy(
  environment: EnvironmentStatus,
  upstream: string | undefined,
): string | undefined {
  const { name, activity } = environment;
  const kind = activity?.kind ?? (environment.promotable ? 'promotable' : '');
  const version = activity?.version;
  switch (kind) {
    case 'promotable':
      return undefined;
    case 'awaiting-approval':
      return `A promotion of ${version} to ${name} waits for approval`;
    case 'deploying':
      return `${version} is being deployed to ${name}`;
    case 'confirming':
      return `Not promotable yet: ${upstream} has not confirmed ${version} (its status, Helm tests or every target)`;
    case 'ahead':
      return `Nothing to promote: ${name} runs ${version}, newer than ${upstream} runs`;
    default:
      return environment.running
        ? `Nothing to promote: ${name} runs ${environment.running}, the newest version that succeeded in ${upstream}`
        : `Nothing to promote: no version succeeded in ${upstream} yet`;
  }
}
