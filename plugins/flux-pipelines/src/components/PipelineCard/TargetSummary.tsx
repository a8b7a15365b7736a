import { TargetStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { formatDuration } from '../shared/formatTime';
import { StatusLabel, TARGET_STATUS } from '../shared/status';
import { Timestamp } from '../shared/Timestamp';
import { ChangeSource } from './ChangeSource';
import { FailureMessage } from './FailureMessage';
import { usePipelineContext } from './PipelineContext';

const VERB: Record<string, string> = {
  succeeded: 'deployed',
  failed: 'failed',
  progressing: 'started',
  'rolled-back': 'rolled back',
};

/** One target's last deployment: status, versions, when, how long, message. */
export const TargetSummary = ({
  environment,
  target,
}: {
  environment: string;
  target: TargetStatus;
}) => {
  const { unreachable, openEvents } = usePipelineContext();
  const { latest, deployed } = target;
  const cluster = unreachable.get(target.cluster);
  const label = `${target.cluster} / ${target.namespace}`;
  return (
    <Box mt={1.5}>
      <Typography variant="body2" color="textSecondary">
        <Link
          component="button"
          variant="body2"
          color="inherit"
          underline="always"
          aria-label={`Events of ${label}`}
          onClick={() =>
            openEvents(environment, {
              cluster: target.cluster,
              namespace: target.namespace,
            })
          }
        >
          {label}
        </Link>
      </Typography>
      {cluster && (
        <Typography variant="body2" component="div">
          <StatusLabel status={TARGET_STATUS.unreachable}>
            {cluster.lastError ? `(${cluster.lastError})` : undefined}
          </StatusLabel>
          {cluster.lastEventAt && (
            <Typography variant="caption" component="div" color="textSecondary">
              <Timestamp iso={cluster.lastEventAt} prefix="last heard from" />;
              showing the last known state
            </Typography>
          )}
        </Typography>
      )}
      {!latest ? (
        <Typography variant="body2" component="div">
          <StatusLabel status={TARGET_STATUS.unknown}>
            No deployment observed yet
          </StatusLabel>
        </Typography>
      ) : (
        <>
          <Typography variant="body2" component="div">
            <StatusLabel status={TARGET_STATUS[latest.status]}>
              {latest.chartVersion}
            </StatusLabel>
          </Typography>
          {latest.appVersion && (
            <Typography variant="body2">
              App version {latest.appVersion}
            </Typography>
          )}
          {deployed && deployed.chartVersion !== latest.chartVersion && (
            <Typography variant="body2">
              Running {deployed.chartVersion}
            </Typography>
          )}
          <Typography variant="body2" color="textSecondary">
            <Timestamp
              iso={latest.finishedAt ?? latest.startedAt ?? latest.updatedAt}
              prefix={VERB[latest.status] ?? 'updated'}
            />
            {latest.durationMs !== undefined &&
              ` · took ${formatDuration(latest.durationMs)}`}
          </Typography>
          <ChangeSource deployment={latest} />
          {(latest.status === 'failed' || latest.status === 'rolled-back') &&
            latest.message && <FailureMessage message={latest.message} />}
        </>
      )}
    </Box>
  );
};
