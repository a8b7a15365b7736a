import { CronTime } from 'cron';

/** Enough to find the windows around a moment; more overlaps are unusual. */
const MAX_OVERLAPS = 100;

/** A window's state at a moment: open (until when), or when it opens next. */
export type WindowState =
  | { open: true; closesAt: number }
  | { open: false; opensAt?: number };

/**
 * Whether a window that opens at every match of `start` (cron, in
 * `timeZone`) and stays open `durationMs` is open at `now`; windows are
 * [start, start + duration). Overlapping windows join.
 */
export function windowAt(
  start: string,
  timeZone: string,
  durationMs: number,
  now: number,
): WindowState {
  const cron = new CronTime(start, timeZone);
  const next = (from: number): number | undefined => {
    try {
      return cron.getNextDateFrom(new Date(from), timeZone).toMillis();
    } catch {
      return undefined; // never matches again
    }
  };
  let fire = next(now - durationMs);
  if (fire === undefined || fire > now) return { open: false, opensAt: fire };
  let closesAt = fire + durationMs;
  for (let i = 0; i < MAX_OVERLAPS; i++) {
    fire = next(fire);
    if (fire === undefined || fire > closesAt) break;
    closesAt = Math.max(closesAt, fire + durationMs);
  }
  return { open: true, closesAt };
}

/** Whether a cron expression and time zone can be used; the error if not. */
export function cronError(start: string, timeZone: string): string | undefined {
  if (start.trim().split(/\s+/).length !== 5) {
    return `'${start}' must have 5 fields (minute hour day-of-month month day-of-week)`;
  }
  try {
    new CronTime(start, timeZone); // eslint-disable-line no-new
    return undefined;
  } catch (error) {
    return `'${start}' in ${timeZone}: ${(error as Error).message}`;
  }
}

/** "Mon 09:00" in the time zone, with the date when more than 6 days away. */
export function formatMoment(ms: number, timeZone: string, now: number) {
  const far = ms - now > 6 * 24 * 3_600_000;
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    ...(far ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${text.replace(',', '')} ${timeZone}`;
}
