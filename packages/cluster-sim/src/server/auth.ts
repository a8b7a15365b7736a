import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../store/ApiError';
import { ResourceType, qualifiedResource } from '../store/resourceTypes';

/** A bearer token the stand-in accepts; `namespaces` limits it to those namespaces. */
export interface TokenGrant {
  token: string;
  /** Shown in 403 messages; defaults to `cluster-sim`. */
  user?: string;
  /** When set, the token may only read and write objects in these namespaces. */
  namespaces?: string[];
}

export const DEFAULT_TOKEN = 'cluster-sim-token';

export class TokenAuthenticator {
  constructor(private readonly grants: TokenGrant[]) {}

  /** The grant for the request's bearer token; 401 when it is missing or unknown. */
  authenticate(req: IncomingMessage): TokenGrant {
    const header = req.headers.authorization ?? '';
    const m = header.match(/^Bearer\s+(.+)$/i);
    const presented = m?.[1]?.trim();
    const grant = presented
      ? this.grants.find(g => safeEqual(g.token, presented))
      : undefined;
    if (!grant)
      throw new ApiError({
        code: 401,
        reason: 'Unauthorized',
        message: 'Unauthorized',
      });
    return grant;
  }

  /** Throws 403 when a namespace-limited token reaches outside its namespaces. */
  authorize(
    grant: TokenGrant,
    verb: string,
    type: ResourceType,
    namespace?: string,
    name?: string,
  ) {
    if (!grant.namespaces) return;
    const target = type.kind === 'Namespace' ? name : namespace;
    if (target && grant.namespaces.includes(target)) return;
    const user = grant.user ?? 'cluster-sim';
    const where = namespace
      ? `in the namespace "${namespace}"`
      : 'at the cluster scope';
    const subject = name
      ? `${qualifiedResource(type)} "${name}"`
      : qualifiedResource(type);
    throw new ApiError({
      code: 403,
      reason: 'Forbidden',
      message: `${subject} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}" ${where}`,
      details: {
        ...(name ? { name } : {}),
        group: type.group,
        kind: type.plural,
      },
    });
  }
}

function safeEqual(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
