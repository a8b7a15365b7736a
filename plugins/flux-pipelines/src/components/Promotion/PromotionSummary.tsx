import { Link } from '@backstage/core-components';
import { Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { PROMOTION_STATUS, StatusLabel } from '../shared/status';
import { Timestamp } from '../shared/Timestamp';

/**
 * "user:default/jane" → "jane"; `pipeline` (what the backend records for
 * automatic promotions, rollbacks and holds) → "the pipeline (automatic)".
 */
export function shortRef(ref: string): string {
  if (ref === 'pipeline') return 'the pipeline (automatic)';
  return ref.replace(/^[^:]+:/, '').replace(/^default\//, '');
}

/** The newest promotion into an environment: its state, who asked, the PR. */
export const PromotionSummary = ({ promotion }: { promotion: Promotion }) => (
  <Box mt={1.5} aria-label="Promotion" role="group">
    <Typography variant="body2" component="div">
      <StatusLabel status={PROMOTION_STATUS[promotion.state]}>
        {promotion.trigger === 'rollback'
          ? `(rollback to ${promotion.version})`
          : promotion.version}
      </StatusLabel>
    </Typography>
    {promotion.pullRequestUrl && (
      <Typography variant="body2">
        <Link to={promotion.pullRequestUrl}>Pull request</Link>
      </Typography>
    )}
    <Typography variant="caption" color="textSecondary" component="div">
      Requested by {shortRef(promotion.requestedBy)}{' '}
      <Timestamp iso={promotion.requestedAt} />
      {promotion.approvedBy &&
        `, approved by ${shortRef(promotion.approvedBy)}`}
    </Typography>
    {promotion.reason && (
      <Typography variant="caption" component="div">
        {promotion.reason}
      </Typography>
    )}
    {promotion.overriddenGates?.length ? (
      <Typography variant="caption" color="error" component="div">
        Passed by override through{' '}
        {promotion.overriddenGates
          .map(g => `gate ${g.gate} (${g.reason})`)
          .join(', ')}
      </Typography>
    ) : null}
    {promotion.error && (
      <Typography
        variant="body2"
        color="error"
        style={{ whiteSpace: 'pre-wrap' }}
      >
        {promotion.error}
      </Typography>
    )}
  </Box>
);
