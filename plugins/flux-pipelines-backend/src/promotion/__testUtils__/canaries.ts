import { ClusterSim, KubeObject } from '@internal/cluster-sim';

/** A Flagger Canary following podinfo in `namespace`, analysing in fast steps. */
export function fastCanary(namespace: string): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name: 'podinfo',
      namespace,
      labels: { 'helm.toolkit.fluxcd.io/name': 'podinfo' },
    },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      analysis: {
        interval: '100ms',
        threshold: 2,
        maxWeight: 20,
        stepWeight: 10,
      },
    },
  };
}

/** Decides how the stand-in's canary analysis of `version` in `namespace` ends. */
export async function planCanary(
  sim: ClusterSim,
  namespace: string,
  version: string,
  outcome: 'fail' | 'success',
): Promise<void> {
  const res = await fetch(`${sim.url}/_sim/canaries/outcome`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespace, name: 'podinfo', version, outcome }),
  });
  if (res.status !== 200)
    throw new Error(`planCanary: ${res.status} ${await res.text()}`);
}
