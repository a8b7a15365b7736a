/**
 * Catalog annotation linking an entity to one or more pipelines, as a
 * comma-separated list of `<namespace>/<name>` references.
 */
export const FLUX_PIPELINES_ANNOTATION = 'flux-pipelines.io/pipelines';

/** The Backstage Kubernetes plugin's annotation, also used to find pipelines. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/** Parses the value of {@link FLUX_PIPELINES_ANNOTATION} into pipeline references. */
export function parsePipelineRefs(
  value: string | undefined,
): Array<{ namespace: string; name: string }> {
  if (!value) {
    return [];
  }
  return value
    .split(',')
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
      const [namespace, name] = part.includes('/')
        ? part.split('/', 2)
        : ['default', part];
      return { namespace, name };
    });
}
