import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { hasSucceeded } from '../correlate/confirmedSuccess';
import { HELM_TESTS_LABEL } from '../database/AppLabelStore';
import { TargetLike, objectKey, targetRef } from '../domain/objectKey';
import { PromotionServiceOptions } from './promotionOptions';

type Sources = Pick<
  PromotionServiceOptions,
  'observations' | 'deployments' | 'appLabels'
>;

/**
 * A target of the list where the app runs Helm tests (its HelmRelease
 * enables them, or a test result was seen for it) but `version` has no
 * successful test yet; as `cluster/namespace`.
 */
export async function untestedTarget(
  sources: Sources,
  pipeline: Pipeline,
  targets: TargetLike[],
  version: string,
  tested?: Set<string>,
): Promise<string | undefined> {
  const { observations, deployments } = sources;
  if (!observations) return undefined;
  const enabled = tested ?? (await testedApps(sources));
  const untested = await Promise.all(
    targets.map(async target => {
      const ref = targetRef(pipeline, target);
      const tests = await observations.listForObject(ref, {
        limit: 200,
        action: 'test',
      });
      // Test results count as "this app runs tests" only for versions its
      // status confirms: forged test events must not block honest promotions.
      const confirmed = new Set(
        (await deployments.listForObject(ref))
          .filter(hasSucceeded)
          .map(d => d.chartVersion),
      );
      const seen = tests.some(
        o => o.chartVersion !== undefined && confirmed.has(o.chartVersion),
      );
      return (
        (enabled.has(objectKey(ref)) || seen) &&
        !tests.some(
          o => o.chartVersion === version && o.outcome === 'succeeded',
        )
      );
    }),
  );
  const first = targets.find((_, i) => untested[i]);
  return first ? `${first.cluster}/${first.namespace}` : undefined;
}

/** The apps whose HelmRelease enables Helm tests, by their object key. */
export async function testedApps(sources: Sources): Promise<Set<string>> {
  const refs =
    (await sources.appLabels?.findByLabel(HELM_TESTS_LABEL, 'enabled')) ?? [];
  return new Set(refs.map(r => objectKey(r)));
}
