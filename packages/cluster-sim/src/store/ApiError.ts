/** An error the apiserver reports as a `Status` object. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(options: {
    code: number;
    reason: string;
    message: string;
    details?: Record<string, unknown>;
    headers?: Record<string, string>;
  }) {
    super(options.message);
    this.code = options.code;
    this.reason = options.reason;
    this.details = options.details;
    this.headers = options.headers;
  }

  toStatus() {
    return statusObject(this.code, this.reason, this.message, this.details);
  }

  static notFound(
    resource: string,
    name: string,
    details?: Record<string, unknown>,
  ) {
    return new ApiError({
      code: 404,
      reason: 'NotFound',
      message: `${resource} "${name}" not found`,
      details: { name, ...details },
    });
  }

  static alreadyExists(resource: string, name: string) {
    return new ApiError({
      code: 409,
      reason: 'AlreadyExists',
      message: `${resource} "${name}" already exists`,
      details: { name },
    });
  }

  static conflict(resource: string, name: string) {
    return new ApiError({
      code: 409,
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      details: { name },
    });
  }

  static invalid(resource: string, name: string, message: string) {
    return new ApiError({
      code: 422,
      reason: 'Invalid',
      message: `${resource} "${name}" is invalid: ${message}`,
      details: { name },
    });
  }

  static badRequest(message: string) {
    return new ApiError({ code: 400, reason: 'BadRequest', message });
  }

  static expired(message: string) {
    return new ApiError({ code: 410, reason: 'Expired', message });
  }
}

export function statusObject(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}
