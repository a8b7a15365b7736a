import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration } from '../shared/formatTime';
import { OBSERVATION_OUTCOME, StatusIcon } from '../shared/status';
import { Timestamp } from '../shared/Timestamp';

const useStyles = makeStyles(theme => ({
  message: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    margin: theme.spacing(0.5, 0, 0),
    color: theme.palette.text.primary,
  },
}));

/** Observations as a list, newest first: time, reason, version, message. */
export const EventTimeline = ({ events }: { events: Observation[] }) => {
  const classes = useStyles();
  if (!events.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events recorded yet.
      </Typography>
    );
  }
  return (
    <ol aria-label="Events" style={{ listStyle: 'none', padding: 0 }}>
      {events.map(event => (
        <li key={event.dedupKey}>
          <Box py={1}>
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <StatusIcon status={OBSERVATION_OUTCOME[event.outcome]} />
              <Typography variant="subtitle2" component="span">
                {event.reason}
              </Typography>
              {event.chartVersion && (
                <Typography variant="body2" component="span">
                  {event.chartVersion}
                </Typography>
              )}
              <Box flex={1} />
              <Typography variant="caption" color="textSecondary">
                <Timestamp iso={event.time} />
              </Typography>
            </Box>
            <Typography variant="caption" color="textSecondary" component="div">
              {event.cluster} / {event.namespace} · {event.kind} {event.name}
              {event.durationMs !== undefined &&
                ` · took ${formatDuration(event.durationMs)}`}
            </Typography>
            {event.message && (
              <pre className={classes.message}>{event.message}</pre>
            )}
          </Box>
          <Divider />
        </li>
      ))}
    </ol>
  );
};
