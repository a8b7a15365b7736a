import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FLUX_PIPELINES_ANNOTATION } from '@internal/plugin-flux-pipelines-common';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { fluxPipelinesApiRef } from '../../api/FluxPipelinesApi';
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
  const api = useApi(fluxPipelinesApiRef);
  const available = isFluxPipelinesAvailable(entity);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    async () => (available ? api.getPipelinesForEntity(entityRef) : []),
    [api, entityRef, available],
  );

  if (!available) {
    return <MissingAnnotation />;
  }
  if (loading) {
    return <Progress />;
  }
  if (error) {
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
        {value.map(pipeline => (
          <Grid item xs={12} key={`${pipeline.namespace}/${pipeline.name}`}>
            <PipelineCard pipeline={pipeline} />
          </Grid>
        ))}
      </Grid>
    </Content>
  );
};
