import { InsightsDay } from '@flux-pipelines/plugin-flux-pipelines-common';
import { QUARTER_HOUR_MS } from './insightsSql';

const DAY_MS = 86_400_000;

/** The calendar day after `date` (`YYYY-MM-DD`). */
const nextDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/**
 * Days in an IANA time zone (validated by the caller): the local date
 * (`YYYY-MM-DD`) of a time, each quarter of an hour formatted once (every
 * zone's offset is a whole number of quarters, so a quarter never spans two
 * local days).
 */
export class LocalDays {
  private readonly format: Intl.DateTimeFormat;
  private readonly dates = new Map<number, string>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  /** The local date of the time `ms`. */
  dateOf(ms: number): string {
    const parts = Object.fromEntries(
      this.format.formatToParts(ms).map(p => [p.type, p.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day}`;
  }

  /** The local date of a quarter of an hour since the epoch. */
  dateOfQuarter(quarter: number): string {
    let date = this.dates.get(quarter);
    if (date === undefined) {
      date = this.dateOf(quarter * QUARTER_HOUR_MS);
      this.dates.set(quarter, date);
    }
    return date;
  }

  /** Every local day the period touches, with the counts of its quarters (zero for none). */
  series(
    period: { from: Date; to: Date },
    perQuarterHour: Array<{ quarter: number; count: number }>,
  ): InsightsDay[] {
    const counts = new Map<string, number>();
    for (const { quarter, count } of perQuarterHour) {
      const date = this.dateOfQuarter(quarter);
      counts.set(date, (counts.get(date) ?? 0) + count);
    }
    const last = this.dateOf(period.to.getTime() - 1);
    const days: InsightsDay[] = [];
    for (let date = this.dateOf(period.from.getTime()); date <= last; ) {
      days.push({ date, count: counts.get(date) ?? 0 });
      date = nextDate(date);
    }
    return days;
  }
}
