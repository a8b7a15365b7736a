import { ApiError } from '../store/ApiError';
import { ResourceStore } from '../store/ResourceStore';
import { apiVersionOf } from '../store/resourceTypes';
import { Selector } from '../store/selectors';
import { KubeObject } from '../store/types';
import { listKind, present } from './representation';
import type { ResourceTarget } from './resourceHandlers';
import { toTable, wantsTable } from './table';

/**
 * A list response: selected objects sorted by namespace/name, paged with `limit` and an opaque
 * `continue` token that expires (410) once its resourceVersion is compacted away.
 */
export function listResources(
  store: ResourceStore,
  t: ResourceTarget,
  query: URLSearchParams,
  acceptHeader: string,
  matches: Selector,
) {
  const rv = store.currentResourceVersion();
  let items = store.list(t.type, t.namespace).filter(matches);
  const limit = Number(query.get('limit') ?? 0);
  const cont = query.get('continue');
  let listRv = rv;
  if (cont) {
    const token = decodeContinue(cont);
    if (token.rv < store.oldestResourceVersion()) {
      throw ApiError.expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    listRv = token.rv;
    items = items.filter(o => keyOf(o) > token.after);
  }
  const metadata: Record<string, unknown> = {
    resourceVersion: String(listRv),
  };
  if (limit > 0 && items.length > limit) {
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    metadata.continue = encodeContinue(listRv, keyOf(items[items.length - 1]));
  }
  if (wantsTable(acceptHeader)) {
    return {
      ...toTable(t.type, items, String(listRv), store.clock.now()),
      metadata,
    };
  }
  return {
    apiVersion: apiVersionOf(t.type, t.version),
    kind: listKind(t.type),
    metadata,
    items: items.map(o => {
      const shown = present(t.type, t.version, o);
      if (t.type.custom) return shown;
      const { apiVersion, kind, ...rest } = shown;
      return rest;
    }),
  };
}

function keyOf(o: KubeObject) {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function encodeContinue(rv: number, after: string) {
  return Buffer.from(JSON.stringify({ rv, after })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; after: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed.rv === 'number' && typeof parsed.after === 'string')
      return parsed;
  } catch {
    // fall through
  }
  throw ApiError.badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
