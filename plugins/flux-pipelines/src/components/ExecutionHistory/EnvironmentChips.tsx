import { ExecutionEnvironment } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { formatDuration, formatExact } from '../shared/formatTime';
import { EXECUTION_ENVIRONMENT_STATUS, StatusIcon } from '../shared/status';

/**
 * One chip per environment: its state ("test: Rolled back to 6.5.0",
 * "dev: Skipped"), when it finished (on hover) and how long it took.
 */
export const EnvironmentChips = ({
  environments,
}: {
  environments: ExecutionEnvironment[];
}) => (
  <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
    {environments.map(environment => {
      const status = EXECUTION_ENVIRONMENT_STATUS[environment.state];
      const when = environment.finishedAt ?? environment.startedAt;
      const duration =
        environment.durationMs !== undefined
          ? ` · ${formatDuration(environment.durationMs)}`
          : '';
      return (
        <Chip
          key={environment.name}
          size="small"
          variant="outlined"
          icon={<StatusIcon status={status} />}
          label={`${environment.name}: ${status.label}${
            environment.rolledBackTo ? ` to ${environment.rolledBackTo}` : ''
          }${duration}`}
          title={when ? `${status.label} ${formatExact(when)}` : status.label}
        />
      );
    })}
  </Box>
);
