/**
 * The message to show for a failed request: the backend's own reason (the
 * `error.message` of Backstage's error JSON, e.g. "6.1.0 has not succeeded in
 * dev") rather than "Request failed with 409 Conflict".
 */
export function describeError(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    statusCode?: number;
    cause?: { message?: string };
  };
  const reason =
    (e?.name === 'ResponseError' && e.cause?.message) ||
    e?.message ||
    String(error);
  if (e?.statusCode === 403) {
    return `You are not allowed to do this: ${reason}`;
  }
  if (e?.statusCode === 401) {
    return `Please sign in again: ${reason}`;
  }
  return reason;
}
