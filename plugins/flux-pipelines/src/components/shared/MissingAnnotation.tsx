import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { FLUX_PIPELINES_ANNOTATION } from '@flux-pipelines/plugin-flux-pipelines-common';
import Typography from '@material-ui/core/Typography';

const SNIPPET = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: podinfo
  annotations:
    ${FLUX_PIPELINES_ANNOTATION}: flux-system/podinfo # <namespace>/<name>, comma-separated for several
`;

/** How to link an entity to its pipelines, for an entity without the annotation. */
export const MissingAnnotation = () => (
  <EmptyState
    missing="field"
    title="No Flux pipeline linked"
    description={`Add the annotation ${FLUX_PIPELINES_ANNOTATION}: <namespace>/<name> to this entity's catalog-info.yaml to see its pipelines here.`}
    action={
      <>
        <Typography variant="body1">
          For example, for the pipeline <code>podinfo</code> in the namespace{' '}
          <code>flux-system</code>:
        </Typography>
        <CodeSnippet
          text={SNIPPET}
          language="yaml"
          showLineNumbers
          highlightedNumbers={[5, 6]}
          customStyle={{ background: 'inherit', fontSize: '115%' }}
        />
      </>
    }
  />
);
