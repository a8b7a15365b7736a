/** A Flagger Canary of podinfo 6.5.1 in prod, analysing (labels and status as `over` says). */
export const flaggerCanary = (
  over: { labels?: object; status?: unknown } = {},
) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: {
    name: 'podinfo',
    namespace: 'prod',
    labels: {
      'helm.toolkit.fluxcd.io/name': 'podinfo',
      'helm.toolkit.fluxcd.io/namespace': 'prod',
      'helm.sh/chart': 'podinfo-6.5.1',
      ...over.labels,
    },
  },
  status:
    'status' in over
      ? over.status
      : {
          phase: 'Progressing',
          lastAppliedSpec: '5f7b8d9c4',
          lastTransitionTime: '2026-01-01T00:01:00Z',
          canaryWeight: 10,
        },
});
