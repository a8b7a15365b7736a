import { Link } from '@backstage/core-components';
import { Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import Typography from '@material-ui/core/Typography';
import { shortRef } from '../Promotion/PromotionSummary';
import { PROMOTION_STATUS } from '../shared/status';
import { Timestamp } from '../shared/Timestamp';

/** The promotions of one version: where to, state, who, when, the pull request. */
export const PromotionList = ({ promotions }: { promotions: Promotion[] }) => {
  if (!promotions.length) return <>—</>;
  return (
    <>
      {promotions.map(promotion => (
        <Typography variant="body2" key={promotion.id} component="div">
          → {promotion.environment}: {PROMOTION_STATUS[promotion.state].label}{' '}
          by {shortRef(promotion.requestedBy)}{' '}
          <Timestamp iso={promotion.requestedAt} />
          {promotion.approvedBy &&
            `, approved by ${shortRef(promotion.approvedBy)}`}
          {promotion.pullRequestUrl && (
            <>
              {' '}
              (<Link to={promotion.pullRequestUrl}>pull request</Link>)
            </>
          )}
        </Typography>
      ))}
    </>
  );
};
