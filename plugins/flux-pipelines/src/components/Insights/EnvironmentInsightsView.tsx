import { EnvironmentInsights } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Figure } from './Figure';
import { FrequencyChart } from './FrequencyChart';
import { formatCount, formatMs, formatRate } from './insightsFormat';
import { SlowestTargets } from './SlowestTargets';

const p90 = (ms: number | null) => `p90 ${formatMs(ms)}`;

/** Every figure of one environment, its per-day chart and slowest targets. */
export const EnvironmentInsightsView = ({
  insights,
}: {
  insights: EnvironmentInsights;
}) => {
  const {
    environment,
    deploymentFrequency: frequency,
    leadTime,
    hopTime,
    promotionTime,
    changeFailureRate: failures,
    timeToRestore,
    deploymentDuration: duration,
  } = insights;
  return (
    <Box component="section" aria-label={`Insights of ${environment}`} mb={3}>
      <Typography variant="subtitle1" component="h4" gutterBottom>
        {environment}
      </Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 24 }} mb={1}>
        <Figure
          label="Deployment frequency"
          value={`${formatCount(frequency.perDay)} / day`}
          detail={`${formatCount(frequency.perWeek)} / week`}
          figure={frequency}
        />
        <Figure
          label="Lead time"
          value={formatMs(leadTime.medianMs)}
          detail={
            leadTime.skippedFirstEnvironment
              ? `${p90(leadTime.p90Ms)}; ${
                  leadTime.skippedFirstEnvironment
                } left out (skipped the first environment)`
              : p90(leadTime.p90Ms)
          }
          figure={leadTime}
          unit="versions"
        />
        {hopTime.fromEnvironment && (
          <Figure
            label={`Hop ${hopTime.fromEnvironment} → ${environment}`}
            value={formatMs(hopTime.medianMs)}
            detail={
              <>
                {p90(hopTime.p90Ms)}
                <br />
                waiting {formatMs(hopTime.waiting.medianMs)}, deploying{' '}
                {formatMs(hopTime.deploying.medianMs)} (medians)
              </>
            }
            figure={hopTime}
            unit="versions"
          />
        )}
        <Figure
          label="Promotion to arrival"
          value={formatMs(promotionTime.medianMs)}
          detail={`${p90(promotionTime.p90Ms)}; approval, gates, deploying`}
          figure={promotionTime}
          unit="versions"
        />
        <Figure
          label="Change failure rate"
          value={formatRate(failures.rate)}
          detail={`${failures.failed} failed or rolled back`}
          figure={failures}
        />
        <Figure
          label="Time to restore"
          value={formatMs(timeToRestore.medianMs)}
          detail="median"
          figure={timeToRestore}
          unit="failures"
        />
        <Figure
          label="Deployment duration"
          value={formatMs(duration.medianMs)}
          detail={p90(duration.p90Ms)}
          figure={duration}
        />
      </Box>
      {insights.unconfirmed > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          {insights.unconfirmed} successes only events report (not confirmed by
          status) are not counted.
        </Typography>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <FrequencyChart series={frequency.series} environment={environment} />
        </Grid>
        <Grid item xs={12} md={6}>
          {duration.slowestTargets.length > 0 && (
            <SlowestTargets
              targets={duration.slowestTargets}
              environment={environment}
            />
          )}
        </Grid>
      </Grid>
    </Box>
  );
};
