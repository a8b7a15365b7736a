import { EnvironmentStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { EnvironmentActions } from '../Promotion/EnvironmentActions';
import { EnvironmentFacts } from './EnvironmentFacts';
import { usePipelineContext } from './PipelineContext';
import { TargetSummary } from './TargetSummary';

/**
 * One environment of a pipeline: the deployment status of its targets, its
 * promotion and the actions on it.
 */
export const EnvironmentCard = ({
  environment,
  previousEnvironment,
}: {
  environment: EnvironmentStatus;
  previousEnvironment?: string;
}) => {
  const { openEvents } = usePipelineContext();
  return (
    <Card
      variant="outlined"
      role="listitem"
      aria-label={`Environment ${environment.name}`}
      style={{ minWidth: 240, flex: 1 }}
    >
      <CardContent>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="h6" component="h3">
            {environment.name}
          </Typography>
          {environment.manual && (
            <Chip size="small" variant="outlined" label="Approval required" />
          )}
          <Box flex={1} />
          <Button
            size="small"
            aria-label={`Events of ${environment.name}`}
            onClick={() => openEvents(environment.name)}
          >
            Events
          </Button>
        </Box>
        {environment.targets.map(target => (
          <TargetSummary
            key={`${target.cluster}/${target.namespace}`}
            environment={environment.name}
            target={target}
          />
        ))}
        <EnvironmentFacts
          environment={environment}
          upstream={previousEnvironment}
        />
        <EnvironmentActions
          environment={environment}
          previousEnvironment={previousEnvironment}
        />
      </CardContent>
    </Card>
  );
};
