export { EntityInsights } from './EntityInsights';
export { InsightsCard } from './InsightsCard';
