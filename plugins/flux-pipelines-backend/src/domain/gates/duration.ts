import { z } from 'zod';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * A Go / Flux duration (`30m`, `1h30m`, `90s`) in milliseconds; undefined
 * for text that is not one (days are not Go units: write `24h`).
 */
export function parseDuration(text: string): number | undefined {
  if (!/^((\d+(\.\d+)?)(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNITS[unit];
  }
  return total;
}

/** A positive Go duration, kept as written (config and Pipeline objects). */
export const durationSchema = z
  .string()
  .refine(text => (parseDuration(text) ?? 0) > 0, {
    message: 'must be a positive Go duration such as 30m, 1h30m or 90s',
  });

/** Milliseconds as whole minutes for people ("22 min"), seconds below one. */
export function formatMinutes(ms: number): string {
  return ms < 60_000
    ? `${Math.max(0, Math.floor(ms / 1000))} s`
    : `${Math.floor(ms / 60_000)} min`;
}
