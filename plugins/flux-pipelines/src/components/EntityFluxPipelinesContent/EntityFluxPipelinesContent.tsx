import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FLUX_PIPELINES_ANNOTATION } from '@internal/plugin-flux-pipelines-common';
import Grid from '@material-ui/core/Grid';
import { useLivePipelines } from '../../hooks/useLivePipelines';
import { isFluxPipelinesAvailable } from '../../isFluxPipelinesAvailable';
import { PipelineCard } from '../PipelineCard';

const MissingAnnotation = () => (
  <EmptyState
    missing="field"
    title="No Flux pipeline linked"
    description={`Add the annotation ${FLUX_PIPELINES_ANNOTATION}: <namespace>/<pipeline name> to this entity's catalog-info.yaml to see its pipeline here.`}
  />
);

/** The entity page's Pipelines tab: one card per linked pipeline. */
export const EntityFluxPipelinesContent = () => {
  const { entity } = useEntity();
  const available = isFluxPipelinesAvailable(entity);
  const { value, loading, error } = useLivePipelines(
    stringifyEntityRef(entity),
    available,
  );

  if (!available) {
    return <MissingAnnotation />;
  }
  if (loading && !value) {
    return <Progress />;
  }
  if (error && !value) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value?.length) {
    return (
      <EmptyState
        missing="data"
        title="No pipeline found"
        description={`This entity links to ${entity.metadata.annotations?.[FLUX_PIPELINES_ANNOTATION]}, but the backend knows no such pipeline.`}
      />
    );
  }
  return (
    <Content noPadding>
      <Grid container spacing={3}>
        {error && (
          <Grid item xs={12}>
            <WarningPanel
              title="Could not refresh the pipelines; showing the last known state"
              message={error.message}
            />
          </Grid>
        )}
        {value.map(pipeline => (
          <Grid item xs={12} key={`${pipeline.namespace}/${pipeline.name}`}>
            <PipelineCard pipeline={pipeline} />
          </Grid>
        ))}
      </Grid>
    </Content>
  );
};
