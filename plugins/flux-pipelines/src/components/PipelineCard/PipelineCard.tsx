import { InfoCard } from '@backstage/core-components';
import { PipelineWithStatus } from '@internal/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { Fragment } from 'react';
import { EnvironmentCard } from './EnvironmentCard';

/** One pipeline: its environments in order, joined by arrows. */
export const PipelineCard = ({
  pipeline,
}: {
  pipeline: PipelineWithStatus;
}) => (
  <InfoCard
    title={`${pipeline.namespace}/${pipeline.name}`}
    subheader={`${pipeline.appRef.kind} ${pipeline.appRef.name}`}
  >
    <Box display="flex" alignItems="stretch" flexWrap="wrap" role="list">
      {pipeline.environments.map((environment, index) => (
        <Fragment key={environment.name}>
          {index > 0 && (
            <Box display="flex" alignItems="center" px={1} aria-hidden>
              <ArrowForwardIcon color="action" />
            </Box>
          )}
          <EnvironmentCard environment={environment} />
        </Fragment>
      ))}
    </Box>
  </InfoCard>
);
