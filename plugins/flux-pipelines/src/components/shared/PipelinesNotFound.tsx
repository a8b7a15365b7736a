import { EmptyState } from '@backstage/core-components';
import { FLUX_PIPELINES_ANNOTATION } from '@flux-pipelines/plugin-flux-pipelines-common';

/** The entity links to pipelines the backend does not know. */
export const PipelinesNotFound = ({ refs }: { refs?: string }) => (
  <EmptyState
    missing="data"
    title="No pipeline found"
    description={`This entity links to ${refs} (annotation ${FLUX_PIPELINES_ANNOTATION}), but the backend knows no such pipeline. Check the namespace and name against the Pipeline objects in your clusters or fluxPipelines.pipelines in app-config.`}
  />
);
