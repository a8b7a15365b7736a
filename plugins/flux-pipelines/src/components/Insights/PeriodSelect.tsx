import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { INSIGHTS_PERIODS, InsightsPeriod } from '../../hooks/useInsights';

/** Picks the period of the figures: the last 7, 30 or 90 days. */
export const PeriodSelect = ({
  id,
  value,
  onChange,
}: {
  id: string;
  value: InsightsPeriod;
  onChange: (days: InsightsPeriod) => void;
}) => (
  <TextField
    select
    id={id}
    label="Period"
    variant="outlined"
    size="small"
    value={value}
    style={{ minWidth: 160 }}
    onChange={e => onChange(Number(e.target.value) as InsightsPeriod)}
  >
    {INSIGHTS_PERIODS.map(days => (
      <MenuItem key={days} value={days}>
        Last {days} days
      </MenuItem>
    ))}
  </TextField>
);
