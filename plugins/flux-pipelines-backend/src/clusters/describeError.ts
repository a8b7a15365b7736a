import { ApiException } from '@kubernetes/client-node';

/** What the watch loop needs to know about a failed request. */
export interface RequestFailure {
  /** A short message without credentials, for health and logs. */
  message: string;
  /** HTTP status, when the server answered. */
  status?: number;
  /** From a Retry-After header or a Status' retryAfterSeconds. */
  retryAfterMs?: number;
}

/**
 * Turns errors from client-node API calls, `Watch` and fetch into a short
 * message. Never includes request headers; `secrets` are masked if they appear.
 */
export function describeError(
  error: unknown,
  secrets: string[] = [],
): RequestFailure {
  const failure = toFailure(error);
  let message = failure.message;
  for (const secret of secrets) {
    if (secret) message = message.split(secret).join('<redacted>');
  }
  return { ...failure, message };
}

function toFailure(error: unknown): RequestFailure {
  if (error instanceof ApiException) {
    const body = parseBody(error.body);
    const reason = body?.reason ?? statusText(error.code);
    const detail = body?.message ? `: ${body.message}` : '';
    return {
      status: error.code,
      message: `HTTP ${error.code} ${reason}${detail}`,
      retryAfterMs: retryAfter(error.headers, body),
    };
  }
  const err = error as { statusCode?: number; code?: string; message?: string };
  if (typeof err?.statusCode === 'number') {
    return {
      status: err.statusCode,
      message: `HTTP ${err.statusCode} ${err.message ?? ''}`.trim(),
    };
  }
  const message = err?.message ?? String(error);
  return { message: err?.code ? `${err.code}: ${message}` : message };
}

function parseBody(body: unknown): any {
  if (typeof body !== 'string') return body ?? undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function retryAfter(
  headers: Record<string, string> | undefined,
  body: any,
): number | undefined {
  const header = Object.entries(headers ?? {}).find(
    ([key]) => key.toLowerCase() === 'retry-after',
  )?.[1];
  const seconds = Number(header ?? body?.details?.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function statusText(code: number): string {
  const texts: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    410: 'Expired',
    429: 'TooManyRequests',
    500: 'InternalError',
  };
  return texts[code] ?? 'Error';
}
