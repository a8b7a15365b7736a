/** A catalog component owned by team-a, linked by annotation to `pipeline` (default `flux-system/<name>`). */
export const linkedEntity = (
  name: string,
  pipeline = `flux-system/${name}`,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'flux-pipelines.io/pipelines': pipeline },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});
