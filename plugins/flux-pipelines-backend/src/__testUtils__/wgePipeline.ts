/**
 * A Weave GitOps Pipeline object for podinfo (dev, test, and prod on the
 * `prodClusterRef` GitopsCluster when given) that promotes automatically by
 * GitHub pull request to `url` when given, with the `secretRef` Secret's token.
 */
export function wgePipeline(
  name: string,
  options: {
    url?: string;
    secretRef?: string;
    prodClusterRef?: string;
    /** The whole `spec.promotion.strategy` (the WGE shape, plus `commit`), instead of `url`. */
    strategy?: object;
  },
) {
  return {
    apiVersion: 'pipelines.weave.works/v1alpha1',
    kind: 'Pipeline',
    metadata: { name, namespace: 'flux-system' },
    spec: {
      appRef: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        name: 'podinfo',
      },
      environments: [
        { name: 'dev', targets: [{ namespace: 'dev' }] },
        { name: 'test', targets: [{ namespace: 'test' }] },
        ...(options.prodClusterRef
          ? [
              {
                name: 'prod',
                targets: [
                  {
                    namespace: 'prod',
                    clusterRef: {
                      kind: 'GitopsCluster',
                      name: options.prodClusterRef,
                      namespace: 'flux-system',
                    },
                  },
                ],
              },
            ]
          : []),
      ],
      ...(options.strategy
        ? { promotion: { strategy: options.strategy } }
        : {}),
      ...(options.url
        ? {
            promotion: {
              manual: false,
              strategy: {
                'pull-request': {
                  type: 'github',
                  url: options.url,
                  baseBranch: 'main',
                  ...(options.secretRef
                    ? { secretRef: { name: options.secretRef } }
                    : {}),
                },
              },
            },
          }
        : {}),
    },
  };
}
