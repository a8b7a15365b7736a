import { formatDuration } from '../shared/formatTime';

/** A duration, or a dash without data. */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDuration(ms);
}

/** "25%", or a dash when nothing finished. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** "1.4", "0.07": deployments per day or week. */
export function formatCount(n: number): string {
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 100) / 100);
}

// Made once: a chart formats every tick on each render, and making a
// formatter costs far more than using one.
const DAY = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** A UTC day (`YYYY-MM-DD`) as the user's locale writes it: "Dec 7". */
export function formatDay(date: string): string {
  return DAY.format(new Date(`${date}T00:00:00Z`));
}

/** The period in the user's time zone: "Nov 7, 2026, 09:00 – Dec 7, 2026, 09:00". */
export function formatPeriod(from: string, to: string): string {
  const format = (iso: string) => TIME.format(new Date(iso));
  return `${format(from)} – ${format(to)}`;
}
