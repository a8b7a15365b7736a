import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { InsightsResponse } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InsightsPeriod } from '../../hooks/useInsights';
import { EnvironmentInsightsView } from './EnvironmentInsightsView';
import { InsightsTable } from './InsightsTable';
import { formatPeriod } from './insightsFormat';
import { PeriodSelect } from './PeriodSelect';

/** Whether anything finished in the period anywhere. */
function hasDeployments(insights: InsightsResponse): boolean {
  return insights.pipelines.some(p =>
    p.environments.some(
      e => e.changeFailureRate.n > 0 || e.deploymentFrequency.n > 0,
    ),
  );
}

/**
 * The delivery figures with their period picker: per environment with charts
 * (`environments`, the entity page) or one sortable table (`table`, a team page).
 */
export const InsightsCard = ({
  id,
  days,
  onDaysChange,
  value,
  loading,
  error,
  variant,
}: {
  id: string;
  days: InsightsPeriod;
  onDaysChange: (days: InsightsPeriod) => void;
  value?: InsightsResponse;
  loading: boolean;
  error?: Error;
  variant: 'environments' | 'table';
}) => {
  let body;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value || !hasDeployments(value)) {
    body = (
      <EmptyState
        missing="data"
        title={`No deployments finished in the last ${days} days`}
        description="Figures appear once a version has been deployed to an environment of these pipelines."
      />
    );
  } else if (variant === 'table') {
    body = <InsightsTable insights={value} />;
  } else {
    const many = value.pipelines.length > 1;
    body = value.pipelines.map(p => (
      <Box key={`${p.namespace}/${p.name}`}>
        {many && (
          <Typography variant="h6" component="h3" gutterBottom>
            {p.namespace}/{p.name}
          </Typography>
        )}
        {p.environments.map(e => (
          <EnvironmentInsightsView key={e.environment} insights={e} />
        ))}
      </Box>
    ));
  }
  return (
    <section aria-label="Delivery insights">
      <InfoCard
        title="Insights"
        subheader={
          value
            ? `Delivery figures, ${formatPeriod(value.from, value.to)}`
            : 'Delivery figures'
        }
        action={
          <Box pt={1} pr={1}>
            <PeriodSelect id={id} value={days} onChange={onDaysChange} />
          </Box>
        }
      >
        {body}
      </InfoCard>
    </section>
  );
};
