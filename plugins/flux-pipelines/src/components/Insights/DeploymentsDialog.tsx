import { InsightsDeploymentsQuery } from '@flux-pipelines/plugin-flux-pipelines-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { ExecutionHistory } from '../ExecutionHistory';
import { formatExact } from '../shared/formatTime';

/**
 * The deployments behind a figure: the pipeline's execution history, with
 * the environment, period and statuses the figure counts.
 */
export const DeploymentsDialog = ({
  title,
  deployments,
  onClose,
}: {
  title: string;
  deployments: InsightsDeploymentsQuery;
  onClose: () => void;
}) => (
  <Dialog open onClose={onClose} maxWidth="lg" fullWidth>
    <DialogTitle>
      {title}: deployments in {deployments.environment}
    </DialogTitle>
    <DialogContent>
      <Typography variant="body2" color="textSecondary" paragraph>
        Counted: deployments of {deployments.pipeline.namespace}/
        {deployments.pipeline.name} in {deployments.environment} with status{' '}
        {deployments.statuses.join(' or ')}, finished between{' '}
        {formatExact(deployments.from)} and {formatExact(deployments.to)}.
      </Typography>
      <ExecutionHistory
        pipeline={deployments.pipeline}
        deployments={deployments}
      />
    </DialogContent>
    <DialogActions>
      <Button onClick={onClose}>Close</Button>
    </DialogActions>
  </Dialog>
);
