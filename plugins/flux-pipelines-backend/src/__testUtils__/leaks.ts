import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';

/** GETs `/api/flux-pipelines<path>` from `server` as a user, keeping each response's text in `responses`. */
export function userGet(
  server: Parameters<typeof request>[0],
  responses: string[],
) {
  return async (path: string) => {
    const res = await request(server)
      .get(`/api/flux-pipelines${path}`)
      .set('Authorization', mockCredentials.user.header());
    responses.push(res.text);
    return res;
  };
}

/** Everything a mock logger was given, one line a call (errors with their message and stack). */
export function loggedLines(
  logger: ReturnType<typeof mockServices.logger.mock>,
): string[] {
  return (['debug', 'info', 'warn', 'error'] as const).flatMap(level =>
    logger[level].mock.calls.map(call =>
      call
        .map(arg =>
          arg instanceof Error
            ? `${arg.message} ${arg.stack}`
            : JSON.stringify(arg),
        )
        .join(' '),
    ),
  );
}

/** Fails, naming the start of the secret and where it was, if any of `texts` contains one of `secrets`. */
export function expectNoSecretIn(
  texts: Array<string | undefined>,
  secrets: string[],
): void {
  for (const secret of secrets) {
    for (const text of texts) {
      if (text?.includes(secret)) {
        throw new Error(
          `secret ${secret.slice(0, 8)}… leaked in: ${text.slice(0, 300)}`,
        );
      }
    }
  }
}
