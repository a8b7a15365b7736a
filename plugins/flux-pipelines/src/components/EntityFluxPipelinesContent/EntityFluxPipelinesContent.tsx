import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Content,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FLUX_PIPELINES_ANNOTATION } from '@flux-pipelines/plugin-flux-pipelines-common';
import Grid from '@material-ui/core/Grid';
import { useUnreachableClusters } from '../../hooks/useClusterHealth';
import { useLivePipelines } from '../../hooks/useLivePipelines';
import { isFluxPipelinesAvailable } from '../../isFluxPipelinesAvailable';
import { EntityInsights } from '../Insights';
import { PipelineCard } from '../PipelineCard';
import { MissingAnnotation } from '../shared/MissingAnnotation';
import { PipelinesNotFound } from '../shared/PipelinesNotFound';

/** The entity page's Pipelines tab: one card per linked pipeline, then their delivery insights. */
export const EntityFluxPipelinesContent = () => {
  const { entity } = useEntity();
  const available = isFluxPipelinesAvailable(entity);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useLivePipelines(
    entityRef,
    available,
  );
  const unreachable = useUnreachableClusters(available);

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
      <PipelinesNotFound
        refs={entity.metadata.annotations?.[FLUX_PIPELINES_ANNOTATION]}
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
        {unreachable.size > 0 && (
          <Grid item xs={12}>
            <WarningPanel
              title={`Cluster unreachable: ${[...unreachable.keys()].join(
                ', ',
              )}`}
              message={[...unreachable.values()]
                .map(c => `${c.name}: ${c.lastError ?? 'not connected'}`)
                .join('\n')}
            />
          </Grid>
        )}
        {value.map(pipeline => (
          <Grid item xs={12} key={`${pipeline.namespace}/${pipeline.name}`}>
            <PipelineCard
              pipeline={pipeline}
              entityRef={entityRef}
              unreachable={unreachable}
              refresh={retry}
            />
          </Grid>
        ))}
        <Grid item xs={12}>
          <EntityInsights entityRef={entityRef} />
        </Grid>
      </Grid>
    </Content>
  );
};
