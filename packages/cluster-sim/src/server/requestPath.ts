import { ResourceType, findResourceType } from '../store/resourceTypes';
import { ApiError } from '../store/ApiError';

/** What an API URL addresses. */
export type ApiPath =
  | { kind: 'discovery'; path: string }
  | {
      kind: 'resource';
      type: ResourceType;
      version: string;
      namespace?: string;
      name?: string;
      subresource?: 'status';
    };

/** Parses `/api/v1/...` and `/apis/<group>/<version>/...`; undefined for unknown paths. */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length <= 2) return { kind: 'discovery', path: pathname };
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis') {
    if (parts.length <= 3) return { kind: 'discovery', path: pathname };
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  // namespaces/<ns>/<plural>/... addresses namespaced resources; namespaces/<name>[/status] is a Namespace
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status') {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const type = findResourceType(group, version, plural);
  if (!type) {
    throw new ApiError({
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
      details: {},
    });
  }
  if (
    extra.length ||
    (subresource && subresource !== 'status') ||
    (subresource && !type.hasStatus)
  ) {
    throw new ApiError({
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
  }
  if (namespace && !type.namespaced) {
    throw new ApiError({
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
  }
  return {
    kind: 'resource',
    type,
    version,
    namespace,
    name,
    subresource: subresource as 'status' | undefined,
  };
}
