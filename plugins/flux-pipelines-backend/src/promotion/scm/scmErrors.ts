import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';

/**
 * What a failed call to GitHub, GitLab or Bitbucket Server was about, for its
 * error message.
 */
export interface ScmFailure {
  service: 'GitHub' | 'GitLab' | 'Bitbucket Server';
  status: number;
  /** e.g. `opening a pull request in org/fleet`. */
  action: string;
  /** What a 404 means, e.g. `repository org/fleet` or `pull request #4 of org/fleet`. */
  subject: string;
  /** The service's own message, if any. */
  detail?: string;
  /** Strings that must not appear in the message (the token). */
  secrets: Array<string | undefined>;
}

/**
 * A typed error for a failed call, without the service's raw error (whose
 * request may hold credentials) and with any secret scrubbed from the text.
 */
export function scmError(failure: ScmFailure): Error {
  const { service, status, action, subject } = failure;
  const detail = failure.detail
    ? `: ${redact(failure.detail, failure.secrets)}`
    : '';
  switch (status) {
    case 401:
      return new AuthenticationError(
        `${service} rejected the credentials while ${action}${detail}`,
      );
    case 403:
      return new NotAllowedError(`${service} did not allow ${action}${detail}`);
    case 404:
      return new NotFoundError(
        `${service} ${subject} was not found, or the token cannot see it (${action})`,
      );
    case 409:
      return new ConflictError(`${service} conflict while ${action}${detail}`);
    case 400:
    case 422:
      return new InputError(`${service} refused ${action}${detail}`);
    default:
      return new Error(
        `${service} answered ${status} while ${action}${detail}`,
      );
  }
}

/** `text` with every secret replaced by `***`. */
export function redact(
  text: string,
  secrets: Array<string | undefined>,
): string {
  let result = text;
  for (const secret of secrets) {
    if (secret) {
      result = result.split(secret).join('***');
    }
  }
  return result;
}
