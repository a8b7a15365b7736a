import { IncomingHttpHeaders } from 'node:http';

/** A request as the fake services see it. */
export interface FakeRequest {
  method: string;
  /** The raw (still percent-encoded) path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, `undefined` when there is none. */
  body: unknown;
}

/** What a fake service answers. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The request breaks the real API's contract: answered 400 and recorded. */
export class ApiViolation extends Error {}

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
  for (const key of Object.keys(record)) {
    if (!(key in fields)) {
      throw new ApiViolation(`${what}: unknown field "${key}"`);
    }
  }
  for (const [key, spec] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const type = spec.replace('?', '');
    const value = record[key];
    if (value === undefined) {
      if (!optional) {
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

export const oneOf =
  (...values: string[]) =>
  (value: string) =>
    values.includes(value);
export const anyText = (value: string) => value.length > 0;
export const pageNumber = (value: string) => /^[1-9]\d*$/.test(value);
export const pageSize = (value: string) =>
  pageNumber(value) && Number(value) <= 100;

/** Checks that a request with a body declares it as JSON. */
export function checkJsonContentType(what: string, request: FakeRequest) {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/.test(type)) {
    throw new ApiViolation(
      `${what}: Content-Type must be application/json, got "${type}"`,
    );
  }
}

/** One page of `items` and the page numbers around it. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  defaultSize: number,
): { page: T[]; current: number; size: number; last: number } {
  const size = Number(query.get('per_page') ?? defaultSize);
  const current = Number(query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / size));
  return {
    page: items.slice((current - 1) * size, current * size),
    current,
    size,
    last,
  };
}
