import {
  EnvironmentActivity,
  EnvironmentStatus,
  FINAL_PROMOTION_STATES,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { isDeployedNow } from '../correlate/confirmedSuccess';

/**
 * What an environment is doing now (see {@link EnvironmentActivity}), from
 * everything else the page knows of it and of the previous environment: its
 * current promotion, its targets, its promotable version and its relation to
 * the previous one. The one rule behind the card's state, its promote
 * button and the button's reason, so they never contradict each other.
 */
export function environmentActivity(
  environment: EnvironmentStatus,
  previous?: EnvironmentStatus,
): EnvironmentActivity {
  const { promotion } = environment;
  if (promotion && !FINAL_PROMOTION_STATES.includes(promotion.state)) {
    return {
      kind:
        promotion.state === 'waiting-approval'
          ? 'awaiting-approval'
          : 'deploying',
      version: promotion.version,
    };
  }
  const { promotable } = environment;
  const deploying = environment.targets
    .map(t => t.latest)
    .find(d => d?.status === 'progressing')?.chartVersion;
  // A target deploying another version than the promotable one (perhaps
  // stuck) does not hide what could be promoted.
  if (deploying && (!promotable || promotable.version === deploying)) {
    return { kind: 'deploying', version: deploying };
  }
  if (promotable) return { kind: 'promotable', version: promotable.version };
  const coming = previous && unconfirmedUpstream(environment, previous);
  if (coming) return { kind: 'confirming', version: coming };
  if (environment.relation?.position === 'ahead') {
    return { kind: 'ahead', version: environment.running };
  }
  return {
    kind: 'up-to-date',
    ...(environment.running ? { version: environment.running } : {}),
  };
}

/**
 * A version the previous environment deploys or runs that this one does not,
 * but that is not promotable yet: still progressing upstream, a success only
 * events report, untested, or not on every upstream target.
 */
function unconfirmedUpstream(
  environment: EnvironmentStatus,
  previous: EnvironmentStatus,
): string | undefined {
  if (environment.relation?.position === 'ahead') return undefined;
  const latest = previous.targets
    .map(t => t.latest)
    .find(
      d =>
        d &&
        d.chartVersion !== environment.running &&
        (d.status === 'progressing' ||
          (d.status === 'succeeded' && !isDeployedNow(d))),
    );
  if (latest) return latest.chartVersion;
  return environment.relation?.position === 'behind'
    ? previous.running
    : undefined;
}
