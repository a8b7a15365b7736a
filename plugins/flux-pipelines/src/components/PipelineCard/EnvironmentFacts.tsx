import { EnvironmentStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import { describeRelation, describeSkipped } from '../shared/environmentWords';

/**
 * What the backend says of an environment against the previous one: ahead or
 * behind by how many versions, a running version that skipped environments,
 * and a newer upstream version not confirmed yet. Nothing is computed here.
 */
export const EnvironmentFacts = ({
  environment,
  upstream,
}: {
  environment: EnvironmentStatus;
  /** The previous environment's name. */
  upstream?: string;
}) => {
  const { relation, activity } = environment;
  const skipped = describeSkipped(environment);
  if (!skipped && !relation && activity?.kind !== 'confirming') return null;
  return (
    <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {relation && relation.position !== 'same' && (
        <Chip
          size="small"
          variant="outlined"
          label={describeRelation(relation)}
        />
      )}
      {skipped && (
        <Chip
          size="small"
          variant="outlined"
          color="secondary"
          icon={<WarningIcon fontSize="small" />}
          label={skipped}
        />
      )}
      {activity?.kind === 'confirming' && (
        <Typography variant="caption" color="textSecondary" component="div">
          {upstream} has not confirmed {activity.version} yet
        </Typography>
      )}
    </Box>
  );
};
