import { ListPageGate } from './ListPageGate';
import {
  CoreV1Api,
  CustomObjectsApi,
  ConfigurationOptions,
  KubeConfig,
  Observable,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';

/** A resource type, watched across all namespaces. */
export interface ResourceRef {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  plural: string;
}

/** A Kubernetes object as plain JSON, as the watch stream delivers it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Objects per list request, unless the caller asks for another size. */
export const LIST_PAGE_SIZE = 500;

export function resourcePath(ref: ResourceRef): string {
  return ref.group
    ? `/apis/${ref.group}/${ref.version}/${ref.plural}`
    : `/api/${ref.version}/${ref.plural}`;
}

/**
 * Lists every object of a resource across namespaces with client-node's API
 * clients, page by page (`limit`/`continue`), handing each page to `onPage`
 * while the next one is fetched: no more than two pages are held at once.
 * Items come back as plain JSON, like watch events. Resolves with the list's
 * resourceVersion; an expired `continue` token rejects (410 Gone) and the
 * caller lists again from the start.
 */
export async function listResource(options: {
  kubeConfig: KubeConfig;
  resource: ResourceRef;
  signal: AbortSignal;
  onPage(items: KubeObject[]): void | Promise<void>;
  pageSize?: number;
  /** Shared by the clusters' lists: how many pages may be held at once. */
  gate?: ListPageGate;
}): Promise<string> {
  const request = abortable(options.signal);
  const limit = options.pageSize ?? LIST_PAGE_SIZE;
  const fetchPage = async (continueToken?: string) => {
    const give = await options.gate?.take(options.signal);
    try {
      const page = await listPage(
        options.kubeConfig,
        options.resource,
        { limit, continueToken },
        request,
      );
      return { page, give };
    } catch (error) {
      give?.();
      throw error;
    }
  };
  let next = fetchPage();
  let resourceVersion: string | undefined;
  for (;;) {
    const { page, give } = await next;
    // The list's version is the first page's: later pages are of that snapshot.
    resourceVersion ??= page.metadata?.resourceVersion ?? '';
    const continueToken = page.metadata?._continue ?? page.metadata?.continue;
    const more = Boolean(continueToken) && !options.signal.aborted;
    // The next page is on its way while this one is handled.
    if (more) {
      next = fetchPage(continueToken);
      next.catch(() => {}); // marked handled: it is awaited after this page
    }
    try {
      await options.onPage((page.items ?? []) as KubeObject[]);
    } catch (error) {
      // The page on its way will not be handled: its slot goes back.
      if (more)
        next.then(
          n => n.give?.(),
          () => {},
        );
      throw error;
    } finally {
      give?.();
    }
    if (!more) return resourceVersion!;
  }
}

async function listPage(
  kc: KubeConfig,
  ref: ResourceRef,
  { limit, continueToken }: { limit: number; continueToken?: string },
  options: ConfigurationOptions,
): Promise<any> {
  if (ref.group === '') {
    if (ref.version !== 'v1' || ref.plural !== 'events') {
      throw new Error(`Cannot list core resource ${ref.plural}`);
    }
    const list = await kc
      .makeApiClient(CoreV1Api)
      .listEventForAllNamespaces({ limit, _continue: continueToken }, options);
    // The typed client turns timestamps into Dates; give consumers plain JSON.
    return JSON.parse(JSON.stringify(list));
  }
  return kc.makeApiClient(CustomObjectsApi).listClusterCustomObject(
    {
      group: ref.group,
      version: ref.version,
      plural: ref.plural,
      limit,
      _continue: continueToken,
    },
    options,
  );
}

/** Request options that cancel the request when `signal` aborts. */
export function abortable(signal: AbortSignal): ConfigurationOptions {
  return {
    middlewareMergeStrategy: 'append',
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(signal);
          return new Observable(Promise.resolve(ctx));
        },
        post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
      },
    ],
  };
}
