import { InsightsDay } from '@flux-pipelines/plugin-flux-pipelines-common';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDay } from './insightsFormat';

/** Successful deployments per day, as bars. */
export const FrequencyChart = ({
  series,
  environment,
}: {
  series: InsightsDay[];
  environment: string;
}) => {
  const theme = useTheme();
  return (
    <figure
      style={{ margin: 0, width: '100%', height: 160 }}
      aria-label={`Successful deployments per day in ${environment}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={series} margin={{ top: 8, right: 8, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="date"
            tickFormatter={formatDay}
            tick={{ fontSize: 11 }}
            minTickGap={16}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip
            labelFormatter={label => `${formatDay(String(label))} (UTC day)`}
            formatter={value => [value, 'successful deployments']}
          />
          <Bar
            dataKey="count"
            fill={theme.palette.primary.main}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
};
