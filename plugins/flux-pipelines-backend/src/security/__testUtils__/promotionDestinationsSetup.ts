import { wgePipeline } from '../../__testUtils__/wgePipeline';

/** A HelmRelease file of the fleet, its version marked for `marker`, with values a Pipeline should never touch. */
export const fleetRelease = (
  namespace: string,
  version: string,
  marker: string,
) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: ${namespace}
spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "${marker}"}
  values:
    replicaCount: 1
`;

/**
 * A Pipeline object in flux-system for podinfo (dev, then test) whose
 * promotion into test uses `strategy` (the Weave GitOps shape, plus
 * `commit`), as someone who may create Pipelines would write it.
 */
export const pipelineObject = (name: string, strategy: object) =>
  wgePipeline(name, { strategy });
