import { StatusPending } from '@backstage/core-components';
import { PipelineEnvironment } from '@internal/plugin-flux-pipelines-common';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';

/** One environment of a pipeline with its targets. */
export const EnvironmentCard = ({
  environment,
}: {
  environment: PipelineEnvironment;
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
        <Typography
          key={`${target.cluster}/${target.namespace}`}
          variant="body2"
          color="textSecondary"
        >
          {target.cluster} / {target.namespace}
        </Typography>
      ))}
      <Typography variant="body2" component="div">
        <StatusPending>No deployment observed yet</StatusPending>
      </Typography>
    </CardContent>
  </Card>
);
