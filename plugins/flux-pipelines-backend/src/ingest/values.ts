/** Lenient readers for untrusted JSON; none of them throws. */

/** Messages longer than this are cut, keeping the start. */
export const MAX_MESSAGE_CHARS = 16 * 1024;
/** Kubernetes names and namespaces are at most 253 characters. */
export const MAX_NAME_CHARS = 253;
/**
 * Versions, digests, reasons: anything longer is not one (and would not fit
 * the database columns, which hold at most 255 characters).
 */
export const MAX_SHORT_CHARS = 255;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v[key]` when `v` is an object, else undefined. Own properties only. */
export function field(v: unknown, key: string): unknown {
  if (!isObj(v) || !Object.prototype.hasOwnProperty.call(v, key)) {
    return undefined;
  }
  return v[key];
}

/**
 * A non-empty string no longer than `max`, else undefined. A string with a NUL
 * character is no name, version or reason (and PostgreSQL cannot store it).
 */
export function str(v: unknown, max = MAX_SHORT_CHARS): string | undefined {
  return typeof v === 'string' &&
    v.length > 0 &&
    v.length <= max &&
    !v.includes('\u0000')
    ? v
    : undefined;
}

/** A finite non-negative integer (numbers or numeric strings). */
export function int(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
    ? n
    : undefined;
}

/** A Kubernetes object name or namespace, else undefined. */
export function k8sName(v: unknown): string | undefined {
  const s = str(v, MAX_NAME_CHARS);
  return s && /^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(s) ? s : undefined;
}

/** The first of `keys` that holds a short string in `v`. */
export function firstStr(v: unknown, keys: string[]): string | undefined {
  for (const k of keys) {
    const s = str(field(v, k));
    if (s) return s;
  }
  return undefined;
}

/**
 * Cuts a message to {@link MAX_MESSAGE_CHARS}, keeping the start and never
 * splitting a surrogate pair. NUL characters (which PostgreSQL cannot store in
 * text) become U+FFFD. Non-strings become ''.
 */
export function truncateMessage(input: unknown): string {
  if (typeof input !== 'string') return '';
  const v = input.includes('\u0000')
    ? input.split('\u0000').join('\ufffd')
    : input;
  if (v.length <= MAX_MESSAGE_CHARS) return v;
  let end = MAX_MESSAGE_CHARS;
  const code = v.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${v.slice(0, end)}\n…[truncated ${v.length - end} characters]`;
}

/** An RFC 3339 / ISO 8601 time as a canonical ISO string, else undefined. */
export function isoTime(v: unknown): string | undefined {
  const s = str(v, 64);
  const m = s && /^(\d{4})-(\d{2})-(\d{2})T/.exec(s);
  if (!s || !m) return undefined;
  // Date.parse rolls 2024-02-30 over to March: reject impossible days.
  const daysInMonth = new Date(
    Date.UTC(Number(m[1]), Number(m[2]), 0),
  ).getUTCDate();
  if (Number(m[3]) < 1 || Number(m[3]) > daysInMonth) return undefined;
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The first of the candidates that is a valid time. */
export function firstTime(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    const t = isoTime(c);
    if (t) return t;
  }
  return undefined;
}

const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go `time.Duration` string (`1m30.5s`, `250ms`, `5m0s`) to
 * milliseconds; a number is taken as nanoseconds (metav1.Duration in some
 * encoders). Returns undefined for anything else.
 */
export function goDurationMs(v: unknown): number | undefined {
  if (typeof v === 'number') {
    return Number.isFinite(v) && v >= 0 ? Math.round(v / 1e6) : undefined;
  }
  const s = str(v, 64);
  if (!s) return undefined;
  if (s === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(m[1]) * GO_UNITS[m[2]];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
