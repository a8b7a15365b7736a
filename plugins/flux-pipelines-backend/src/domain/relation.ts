import { EnvironmentRelation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { hasSucceeded } from '../correlate/confirmedSuccess';
import { deployOrder } from './deployOrder';
import { EnvironmentDeployments } from './skipped';

/**
 * Whether an environment is ahead of, behind or level with the previous one,
 * by the versions they run, and by how many versions: those that ran (now
 * or before) in either environment, newer than the older running version, up
 * to the newer one. The one rule for "ahead" and "behind": a hand commit of
 * 6.9.9 into test while dev runs 6.5.3 puts test 1 version ahead of dev,
 * never behind it.
 */
export function relationTo(options: {
  upstream: EnvironmentDeployments;
  here: EnvironmentDeployments;
  upstreamVersion?: string;
  version?: string;
}): EnvironmentRelation | undefined {
  const { upstream, here, upstreamVersion, version } = options;
  if (!upstreamVersion || !version) return undefined;
  const all = [...upstream.perTarget.flat(), ...here.perTarget.flat()];
  const order = deployOrder(all);
  const sign = Math.sign(order(version, upstreamVersion));
  if (sign === 0) {
    return { upstream: upstream.name, position: 'same', versions: 0 };
  }
  const [older, newer] =
    sign > 0 ? [upstreamVersion, version] : [version, upstreamVersion];
  const between = new Set(
    all
      .filter(d => hasSucceeded(d) || d.chartVersion === newer)
      .map(d => d.chartVersion)
      .filter(v => order(v, older) > 0 && order(v, newer) <= 0),
  );
  return {
    upstream: upstream.name,
    position: sign > 0 ? 'ahead' : 'behind',
    versions: Math.max(1, between.size),
  };
}
