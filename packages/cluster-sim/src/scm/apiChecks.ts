import type { IncomingHttpHeaders } from 'node:http';

/** A request as an SCM API stand-in sees it. */
export interface ScmRequest {
  method: string;
  /** The raw (still percent-encoded) path after the API prefix, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, `undefined` when there is none. */
  body: unknown;
}

/** What an SCM API stand-in answers. */
export interface ScmReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The request breaks the real API's documented contract: answered 400 (or `status`) and recorded. */
export class ApiViolation extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

/** `'string'`, `'boolean'`, `'number'`, or one of them with `?` for optional. */
export type FieldType = `${'string' | 'boolean' | 'number'}${'' | '?'}`;

/** Checks a JSON body: required fields, their types, and no unknown fields. */
export function checkBody(
  what: string,
  body: unknown,
  fields: Record<string, FieldType>,
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiViolation(`${what}: the body must be a JSON object`);
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find(key => !(key in fields));
  if (unknown !== undefined) {
    throw new ApiViolation(`${what}: unknown field "${unknown}"`);
  }
  for (const [key, spec] of Object.entries(fields)) {
    const type = spec.replace('?', '');
    const value = record[key];
    if (value === undefined) {
      if (!spec.endsWith('?')) {
        throw new ApiViolation(`${what}: missing required field "${key}"`);
      }
    } else if (typeof value !== type) {
      throw new ApiViolation(
        `${what}: field "${key}" must be a ${type}, got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  return record;
}

/** Checks query parameters: only known ones, each accepted by its test. */
export function checkQuery(
  what: string,
  query: URLSearchParams,
  params: Record<string, (value: string) => boolean>,
): void {
  for (const [key, value] of query) {
    const accepts = params[key];
    if (!accepts) {
      throw new ApiViolation(`${what}: unknown query parameter "${key}"`);
    }
    if (!accepts(value)) {
      throw new ApiViolation(`${what}: bad ${key}=${JSON.stringify(value)}`);
    }
  }
}

/** A query test accepting exactly these values. */
export const oneOf =
  (...values: string[]) =>
  (value: string) =>
    values.includes(value);
/** A query test accepting any non-empty value. */
export const anyText = (value: string) => value.length > 0;
/** A query test accepting 1, 2, 3... */
export const pageNumber = (value: string) => /^[1-9]\d*$/.test(value);
/** A query test accepting a page size of 1 to 100. */
export const pageSize = (value: string) =>
  pageNumber(value) && Number(value) <= 100;

/** Checks that a request with a body declares it as JSON. */
export function checkJsonContentType(what: string, request: ScmRequest) {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/.test(type)) {
    throw new ApiViolation(
      `${what}: Content-Type must be application/json, got "${type}"`,
    );
  }
}

/** One page of `items` (from the `page` and `per_page` query parameters) and the page numbers around it. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  defaultSize: number,
): { page: T[]; current: number; size: number; last: number } {
  const size = Number(query.get('per_page') ?? defaultSize);
  const current = Number(query.get('page') ?? 1);
  return {
    page: items.slice((current - 1) * size, current * size),
    current,
    size,
    last: Math.max(1, Math.ceil(items.length / size)),
  };
}
