import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FLUX_PIPELINES_ANNOTATION } from '@flux-pipelines/plugin-flux-pipelines-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useUnreachableClusters } from '../../hooks/useClusterHealth';
import { useLivePipelines } from '../../hooks/useLivePipelines';
import { isFluxPipelinesAvailable } from '../../isFluxPipelinesAvailable';
import {
  describeSummary,
  summarizeEnvironment,
} from '../shared/environmentSummary';
import { Timestamp } from '../shared/Timestamp';
import { MissingAnnotation } from '../shared/MissingAnnotation';
import { StatusIcon, TARGET_STATUS } from '../shared/status';

/**
 * A compact card for the entity overview: per linked pipeline, the version
 * each environment runs, its state and when it last changed, and a link to
 * the Pipelines tab.
 */
export const EntityFluxPipelinesCard = () => {
  const { entity } = useEntity();
  const available = isFluxPipelinesAvailable(entity);
  const { value, loading, error } = useLivePipelines(
    stringifyEntityRef(entity),
    available,
  );
  const unreachable = useUnreachableClusters(available);

  let content;
  if (!available) {
    content = <MissingAnnotation />;
  } else if (loading && !value) {
    content = <Progress />;
  } else if (error && !value) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value?.length) {
    content = (
      <Typography variant="body2">
        No pipeline found for{' '}
        {entity.metadata.annotations?.[FLUX_PIPELINES_ANNOTATION]}.
      </Typography>
    );
  } else {
    content = value.map(pipeline => (
      <Table
        key={`${pipeline.namespace}/${pipeline.name}`}
        size="small"
        aria-label={`${pipeline.namespace}/${pipeline.name}`}
      >
        <TableBody>
          {value.length > 1 && (
            <TableRow>
              <TableCell colSpan={3}>
                <Typography variant="subtitle2">
                  {pipeline.namespace}/{pipeline.name}
                </Typography>
              </TableCell>
            </TableRow>
          )}
          {pipeline.environments.map(environment => {
            const summary = summarizeEnvironment(environment, unreachable);
            const latest = summary.deployment;
            const when = latest?.finishedAt ?? latest?.startedAt;
            const status = TARGET_STATUS[summary.state];
            return (
              <TableRow key={environment.name}>
                <TableCell component="th" scope="row">
                  {environment.name}
                </TableCell>
                <TableCell>
                  <StatusIcon status={status} /> {describeSummary(summary)}
                </TableCell>
                <TableCell>
                  <Typography variant="caption" color="textSecondary">
                    {status.label}
                    {when && (
                      <>
                        {' '}
                        <Timestamp iso={when} />
                      </>
                    )}
                  </Typography>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    ));
  }
  return (
    <InfoCard
      title="Flux pipelines"
      deepLink={
        available
          ? { title: 'Open the Pipelines tab', link: 'flux-pipelines' }
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
};
