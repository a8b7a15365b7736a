import { InfoCard } from '@backstage/core-components';
import {
  ClusterHealth,
  PipelineWithStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { Fragment, memo, useMemo, useState } from 'react';
import { EventsDrawer } from '../EventsDrawer';
import { ExecutionHistory } from '../ExecutionHistory';
import { EnvironmentCard } from './EnvironmentCard';
import { PipelineContextProvider, TargetKey } from './PipelineContext';

/**
 * One pipeline: its environments in order, joined by arrows, its execution
 * history below, and the event timeline of an environment in a drawer.
 * Memoised: the page drawing again for another reason (the clusters' health
 * reloaded unchanged) does not draw the pipeline again.
 */
export const PipelineCard = memo(function PipelineCardView({
  pipeline,
  entityRef,
  unreachable,
  refresh,
}: {
  pipeline: PipelineWithStatus;
  entityRef: string;
  unreachable: Map<string, ClusterHealth>;
  refresh: () => void;
}) {
  const [events, setEvents] = useState<
    { environment: string; target?: TargetKey } | undefined
  >();
  const { namespace, name } = pipeline;
  const context = useMemo(
    () => ({
      pipeline: { namespace, name },
      entityRef,
      unreachable,
      refresh,
      openEvents: (environment: string, target?: TargetKey) =>
        setEvents({ environment, target }),
    }),
    [namespace, name, entityRef, unreachable, refresh],
  );
  return (
    <PipelineContextProvider value={context}>
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
              <EnvironmentCard
                environment={environment}
                previousEnvironment={pipeline.environments[index - 1]?.name}
              />
            </Fragment>
          ))}
        </Box>
        <Box mt={3}>
          <ExecutionHistory pipeline={context.pipeline} />
        </Box>
      </InfoCard>
      <EventsDrawer
        pipeline={context.pipeline}
        environment={events?.environment}
        target={events?.target}
        onClose={() => setEvents(undefined)}
      />
    </PipelineContextProvider>
  );
});
