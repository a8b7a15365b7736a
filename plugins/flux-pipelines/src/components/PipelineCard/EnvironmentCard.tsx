import { TargetStatus } from '@internal/plugin-flux-pipelines-common';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import { TargetSummary } from './TargetSummary';

/** One environment of a pipeline with the deployment status of its targets. */
export const EnvironmentCard = ({
  environment,
}: {
  environment: { name: string; targets: TargetStatus[] };
}) => (
  <Card
    variant="outlined"
    role="listitem"
    aria-label={`Environment ${environment.name}`}
    style={{ minWidth: 220, flex: 1 }}
  >
    <CardContent>
      <Typography variant="h6" component="h3">
        {environment.name}
      </Typography>
      {environment.targets.map(target => (
        <TargetSummary
          key={`${target.cluster}/${target.namespace}`}
          target={target}
        />
      ))}
    </CardContent>
  </Card>
);
