import { memo, useState } from 'react';
import { InsightsPeriod, useInsights } from '../../hooks/useInsights';
import { InsightsCard } from './InsightsCard';

/**
 * The entity page's Insights section: its pipelines' figures per environment.
 * Memoised: the cards' reloads above it do not draw its charts again.
 */
export const EntityInsights = memo(function EntityInsightsView({
  entityRef,
}: {
  entityRef: string;
}) {
  const [days, setDays] = useState<InsightsPeriod>(30);
  const { value, loading, error } = useInsights({ entityRef }, days);
  return (
    <InsightsCard
      id="flux-pipelines-insights-period"
      days={days}
      onDaysChange={setDays}
      value={value}
      loading={loading}
      error={error}
      variant="environments"
    />
  );
});
