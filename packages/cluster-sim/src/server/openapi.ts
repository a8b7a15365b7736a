import { ApiError } from '../store/ApiError';
import { RESOURCE_TYPES, ResourceType } from '../store/resourceTypes';

/**
 * A minimal OpenAPI v3 surface: enough for kubectl to see that every resource accepts
 * `fieldValidation`, so `kubectl create -f` validates on the server instead of needing schemas.
 */
export function openApiDocument(pathname: string): unknown {
  const groupVersions = new Map<string, ResourceType[]>();
  for (const t of RESOURCE_TYPES) {
    for (const v of t.versions) {
      const gv = t.group ? `apis/${t.group}/${v}` : `api/${v}`;
      groupVersions.set(gv, [...(groupVersions.get(gv) ?? []), t]);
    }
  }
  if (pathname === '/openapi/v3') {
    return {
      paths: Object.fromEntries(
        [...groupVersions.keys()].map(gv => [
          gv,
          { serverRelativeURL: `/openapi/v3/${gv}?hash=cluster-sim` },
        ]),
      ),
    };
  }
  const gv = pathname.slice('/openapi/v3/'.length);
  const types = groupVersions.get(gv);
  if (!types) throw ApiError.notFound('openapi', gv);
  const version = gv.split('/').pop()!;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const base = t.namespaced
      ? `/${gv}/namespaces/{namespace}/${t.plural}`
      : `/${gv}/${t.plural}`;
    const gvk = { group: t.group, version, kind: t.kind };
    const op = (verb: string) => ({
      'x-kubernetes-group-version-kind': gvk,
      'x-kubernetes-action': verb,
      parameters: [
        {
          name: 'fieldValidation',
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        },
        {
          name: 'fieldManager',
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        },
        {
          name: 'dryRun',
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        },
      ],
      responses: { '200': { description: 'OK' } },
    });
    paths[base] = { post: op('post'), get: op('list') };
    paths[`${base}/{name}`] = {
      get: op('get'),
      put: op('put'),
      patch: op('patch'),
      delete: op('delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}
