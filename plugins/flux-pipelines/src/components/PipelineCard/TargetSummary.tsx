import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  DeploymentStatus,
  TargetStatus,
} from '@internal/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatDuration, formatRelative } from './formatTime';

const STATUS: Record<
  DeploymentStatus,
  { Icon: typeof StatusOK; label: string }
> = {
  succeeded: { Icon: StatusOK, label: 'Succeeded' },
  failed: { Icon: StatusError, label: 'Failed' },
  progressing: { Icon: StatusRunning, label: 'Progressing' },
  'rolled-back': { Icon: StatusWarning, label: 'Rolled back' },
  superseded: { Icon: StatusPending, label: 'Superseded' },
  unknown: { Icon: StatusPending, label: 'Unknown' },
};

/** One target's last deployment: status, versions, when, how long, message. */
export const TargetSummary = ({ target }: { target: TargetStatus }) => {
  const { latest, deployed } = target;
  const { Icon, label } = STATUS[latest?.status ?? 'unknown'];
  return (
    <Box mt={1}>
      <Typography variant="body2" color="textSecondary">
        {target.cluster} / {target.namespace}
      </Typography>
      {!latest ? (
        <Typography variant="body2" component="div">
          <StatusPending>No deployment observed yet</StatusPending>
        </Typography>
      ) : (
        <>
          <Typography variant="body2" component="div">
            <Icon>
              {label} {latest.chartVersion}
            </Icon>
          </Typography>
          {latest.appVersion && (
            <Typography variant="body2">
              App version {latest.appVersion}
            </Typography>
          )}
          {deployed &&
            deployed !== latest &&
            deployed.chartVersion !== latest.chartVersion && (
              <Typography variant="body2">
                Running {deployed.chartVersion}
              </Typography>
            )}
          <Typography variant="body2" color="textSecondary">
            <span
              title={latest.finishedAt ?? latest.startedAt ?? latest.updatedAt}
            >
              {formatRelative(
                latest.finishedAt ?? latest.startedAt ?? latest.updatedAt,
              )}
            </span>
            {latest.durationMs !== undefined &&
              ` · took ${formatDuration(latest.durationMs)}`}
          </Typography>
          {latest.status === 'failed' && latest.message && (
            <Typography
              variant="body2"
              component="pre"
              style={{
                whiteSpace: 'pre-wrap',
                maxHeight: 160,
                overflow: 'auto',
              }}
            >
              {latest.message}
            </Typography>
          )}
        </>
      )}
    </Box>
  );
};
