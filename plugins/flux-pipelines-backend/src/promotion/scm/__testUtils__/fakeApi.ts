import { ApiViolation } from '@internal/cluster-sim';
import type { ScmRequest } from '@internal/cluster-sim';

/**
 * The request checks the fake GitHub, GitLab and Bitbucket Server APIs share. They live in
 * `@internal/cluster-sim`, whose GitHub stand-in (served next to the demo
 * clusters, over the local fleet repository) checks requests the same way.
 */
export {
  ApiViolation,
  anyText,
  checkBody,
  checkJsonContentType,
  checkQuery,
  oneOf,
  pageNumber,
  pageSize,
  paginate,
} from '@internal/cluster-sim';
export type {
  FieldType,
  ScmReply as FakeReply,
  ScmRequest as FakeRequest,
} from '@internal/cluster-sim';

/** A pull request someone else opens on a fake, bypassing the API (`base` defaults to `main`). */
export interface FakePullInput {
  head: string;
  base?: string;
  title: string;
  body: string;
}

/** Checks that the request's `Accept` header allows a JSON answer. */
export function checkAcceptsJson(what: string, request: ScmRequest): void {
  const accept = String(request.headers.accept ?? '*/*');
  if (!/application\/json|\*\/\*/.test(accept)) {
    throw new ApiViolation(`${what}: Accept must allow application/json`);
  }
}

/** Stops a stand-in, then fails (naming `api`) if any request it answered broke that API. */
export async function stopStandIn(
  standIn: { violations: string[]; stop(): Promise<void> },
  api: string,
): Promise<void> {
  const violations = [...standIn.violations];
  await standIn.stop();
  if (violations.length) {
    throw new Error(`Requests broke ${api}:\n${violations.join('\n')}`);
  }
}
