/** A column and its PostgreSQL type, e.g. `['observed_at', 'timestamptz']`. */
export type TypedColumn = readonly [name: string, type: string];

/**
 * PostgreSQL: a `SELECT` of `columns` from rows sent as ONE JSON parameter
 * (bind {@link jsonRowsParameter}; dates become ISO strings). One parameter
 * however many rows, like `unnest` of one array per column, but cheaper to
 * build: `JSON.stringify` runs natively, where node-postgres escapes every
 * element of an array parameter in JavaScript (measured: that escaping was
 * about a tenth of the ingest path's JavaScript time).
 */
export function selectJsonRows(columns: readonly TypedColumn[]): string {
  const names = columns.map(([name]) => name).join(', ');
  const types = columns.map(([name, type]) => `${name} ${type}`).join(', ');
  return `SELECT ${names} FROM json_to_recordset(?::json) AS r(${types})`;
}

/**
 * A lone UTF-16 surrogate, as `JSON.stringify` escapes it (it writes proper
 * pairs as they are), after an even number of backslashes: an escape, not
 * the text `\ud800`.
 */
const LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;

/**
 * The JSON parameter for {@link selectJsonRows}. PostgreSQL refuses a lone
 * surrogate escape in JSON; it becomes U+FFFD, as the UTF-8 encoding of a
 * plain text parameter makes it.
 */
export function jsonRowsParameter(rows: unknown[]): string {
  const json = JSON.stringify(rows);
  return /\\ud[89a-f]/i.test(json)
    ? json.replace(LONE_SURROGATE, '$1\\ufffd')
    : json;
}
