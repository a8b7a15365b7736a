/** Parses an ISO 8601 time, refusing anything that is not one. */
export function toDate(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`Not a valid time: '${iso}'`);
  }
  return date;
}

/**
 * Reads a timestamp column: PostgreSQL returns a Date, SQLite (better-sqlite3)
 * milliseconds since the epoch, as a number or a string.
 */
export function toIsoString(value: Date | string | number): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    return new Date(Number(value)).toISOString();
  }
  return new Date(value).toISOString();
}
