import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { useEffect, useState } from 'react';
import { PipelineRef } from '../../api/FluxPipelinesApi';
import { useEnvironmentEvents } from '../../hooks/useEnvironmentEvents';
import { TargetKey } from '../PipelineCard/PipelineContext';
import { EventTimeline } from './EventTimeline';

/**
 * The event timeline of an environment (or of one of its targets) in a side
 * drawer; closes with its close button, a click outside or Escape.
 */
export const EventsDrawer = ({
  pipeline,
  environment,
  target,
  onClose,
}: {
  pipeline: PipelineRef;
  /** The drawer is open while an environment is set. */
  environment?: string;
  /** Show only this target's events (the user can widen to all targets). */
  target?: TargetKey;
  onClose: () => void;
}) => {
  const { value, loading, error } = useEnvironmentEvents(pipeline, environment);
  const [onlyTarget, setOnlyTarget] = useState(target);
  useEffect(() => setOnlyTarget(target), [target, environment]);

  const events = (value ?? []).filter(
    o =>
      !onlyTarget ||
      (o.cluster === onlyTarget.cluster &&
        o.namespace === onlyTarget.namespace),
  );
  const titleId = 'flux-pipelines-events-title';

  return (
    <Drawer
      anchor="right"
      open={Boolean(environment)}
      onClose={onClose}
      PaperProps={{
        role: 'dialog',
        'aria-labelledby': titleId,
        style: { width: 'min(560px, 100vw)' },
      }}
    >
      <Box p={2}>
        <Box display="flex" alignItems="center">
          <Typography variant="h5" component="h2" id={titleId}>
            Events of {environment}
            {onlyTarget && ` (${onlyTarget.cluster} / ${onlyTarget.namespace})`}
          </Typography>
          <Box flex={1} />
          <IconButton aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        {onlyTarget && (
          <Button size="small" onClick={() => setOnlyTarget(undefined)}>
            Show all targets of {environment}
          </Button>
        )}
        {loading && !value && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && <EventTimeline events={events} />}
      </Box>
    </Drawer>
  );
};
