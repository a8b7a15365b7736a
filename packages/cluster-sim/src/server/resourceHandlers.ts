import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../store/ApiError';
import { applyJsonPatch, applyMergePatch } from '../store/patch';
import { ResourceStore } from '../store/ResourceStore';
import {
  RESOURCE_TYPES,
  ResourceType,
  qualifiedResource,
} from '../store/resourceTypes';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors';
import { KubeObject } from '../store/types';
import { parseJsonBody, readBody, readRawBody, sendJson } from './http';
import { decodeProtobufBody } from './protobuf';
import { accept, fieldAliasesFor, present } from './representation';
import { wantsTable, toTable } from './table';
import { WatchHub } from './watch';
import { listResources } from './listResources';

export interface ResourceTarget {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

const NAMESPACE_TYPE = RESOURCE_TYPES.find(t => t.kind === 'Namespace')!;

/** The verbs on one resource URL: thin parsing around the store. */
export class ResourceHandlers {
  constructor(
    private readonly store: ResourceStore,
    private readonly watches: WatchHub,
  ) {}

  /** The RBAC-style verb a request needs. */
  static verbOf(
    method: string,
    target: ResourceTarget,
    query: URLSearchParams,
  ): string {
    const watching = ['1', 'true'].includes(query.get('watch') ?? '');
    switch (method) {
      case 'GET':
        if (target.name) return 'get';
        return watching ? 'watch' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return 'delete';
      default:
        throw new ApiError({
          code: 405,
          reason: 'MethodNotAllowed',
          message: `the server does not allow this method on the requested resource`,
        });
    }
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    t: ResourceTarget,
    query: URLSearchParams,
  ) {
    const verb = ResourceHandlers.verbOf(req.method ?? 'GET', t, query);
    if (!t.name && !['list', 'watch', 'create'].includes(verb)) {
      throw new ApiError({
        code: 405,
        reason: 'MethodNotAllowed',
        message:
          'the server does not allow this method on the requested resource',
      });
    }
    const out = (code: number, obj: KubeObject) =>
      sendJson(res, code, present(t.type, t.version, obj));
    switch (verb) {
      case 'watch':
        return this.watches.serve(
          {
            type: t.type,
            version: t.version,
            namespace: t.namespace,
            matches: this.selector(t.type, query),
            resourceVersion: query.get('resourceVersion') ?? undefined,
            allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
            timeoutSeconds: query.has('timeoutSeconds')
              ? Number(query.get('timeoutSeconds'))
              : undefined,
            table: wantsTable(req.headers.accept)
              ? { now: () => this.store.clock.now() }
              : undefined,
          },
          res,
        );
      case 'list':
        return sendJson(
          res,
          200,
          listResources(
            this.store,
            t,
            query,
            req.headers.accept ?? '',
            this.selector(t.type, query),
          ),
        );
      case 'get': {
        const obj = this.store.get(t.type, t.namespace, t.name!);
        if (wantsTable(req.headers.accept))
          return sendJson(
            res,
            200,
            toTable(
              t.type,
              [obj],
              String(obj.metadata.resourceVersion),
              this.store.clock.now(),
            ),
          );
        return out(200, obj);
      }
      case 'create': {
        const obj = accept(
          t.type,
          t.version,
          await requestBody(req, t.type),
          t,
        );
        this.requireNamespace(t);
        return out(201, this.store.create(t.type, obj));
      }
      case 'update': {
        const obj = accept(
          t.type,
          t.version,
          await requestBody(req, t.type),
          t,
        );
        return out(
          200,
          this.store.update(t.type, obj, { subresource: t.subresource }),
        );
      }
      case 'patch':
        return this.patch(req, res, t);
      default: {
        const gone = this.store.delete(t.type, t.namespace, t.name!);
        if (t.type.kind === 'Namespace') this.deleteContents(t.name!);
        return sendJson(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: {
            name: t.name,
            group: t.type.group,
            kind: t.type.plural,
            uid: gone.metadata.uid,
          },
        });
      }
    }
  }

  private async patch(
    req: IncomingMessage,
    res: ServerResponse,
    t: ResourceTarget,
  ) {
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const text = await readBody(req);
    const existing = this.store.tryGet(t.type, t.namespace, t.name!);
    let patched: any;
    if (contentType === 'application/apply-patch+yaml') {
      const body = parseYaml(text);
      if (!existing) {
        this.requireNamespace(t);
        const created = this.store.create(
          t.type,
          accept(t.type, t.version, body, t),
        );
        return sendJson(res, 201, present(t.type, t.version, created));
      }
      patched = applyMergePatch(present(t.type, t.version, existing), body);
    } else {
      if (!existing)
        throw ApiError.notFound(qualifiedResource(t.type), t.name!);
      const current = present(t.type, t.version, existing);
      if (contentType === 'application/merge-patch+json')
        patched = applyMergePatch(current, parseJsonBody(text));
      else if (contentType === 'application/json-patch+json')
        patched = applyJsonPatch(current, parseJsonBody(text));
      else if (
        contentType === 'application/strategic-merge-patch+json' &&
        !t.type.custom
      ) {
        patched = applyMergePatch(current, parseJsonBody(text));
      } else {
        throw new ApiError({
          code: 415,
          reason: 'UnsupportedMediaType',
          message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        });
      }
    }
    const obj = accept(t.type, t.version, patched, t);
    // a patch without its own resourceVersion applies to whatever is current
    const precondition = patched?.metadata?.resourceVersion;
    obj.metadata.resourceVersion =
      precondition ?? existing!.metadata.resourceVersion;
    const updated = this.store.update(t.type, obj, {
      subresource: t.subresource,
    });
    return sendJson(res, 200, present(t.type, t.version, updated));
  }

  private selector(type: ResourceType, query: URLSearchParams) {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(
      query.get('fieldSelector'),
      fieldAliasesFor(type),
    );
    return (o: KubeObject) => labels(o) && fields(o);
  }

  private requireNamespace(t: ResourceTarget) {
    if (
      t.type.namespaced &&
      t.namespace &&
      !this.store.tryGet(NAMESPACE_TYPE, undefined, t.namespace)
    ) {
      throw ApiError.notFound('namespaces', t.namespace);
    }
  }

  private deleteContents(namespace: string) {
    const seen = new Set<string>();
    for (const type of RESOURCE_TYPES) {
      if (!type.namespaced || seen.has(type.storage)) continue;
      seen.add(type.storage);
      for (const o of this.store.list(type, namespace))
        this.store.delete(type, namespace, o.metadata.name);
    }
  }
}

/**
 * A create or update body: JSON, or protobuf where kubectl's typed clients
 * send it (see decodeProtobufBody).
 */
async function requestBody(
  req: IncomingMessage,
  type: ResourceType,
): Promise<any> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (contentType === 'application/vnd.kubernetes.protobuf') {
    return decodeProtobufBody(type, await readRawBody(req));
  }
  return parseJsonBody(await readBody(req));
}
