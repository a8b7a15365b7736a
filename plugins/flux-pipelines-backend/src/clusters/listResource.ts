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

export interface ResourceList {
  items: KubeObject[];
  resourceVersion: string;
}

const PAGE_SIZE = 500;

export function resourcePath(ref: ResourceRef): string {
  return ref.group
    ? `/apis/${ref.group}/${ref.version}/${ref.plural}`
    : `/api/${ref.version}/${ref.plural}`;
}

/**
 * Lists every object of a resource across namespaces with client-node's API
 * clients, page by page. Items come back as plain JSON, like watch events.
 */
export async function listResource(
  kc: KubeConfig,
  ref: ResourceRef,
  signal: AbortSignal,
): Promise<ResourceList> {
  const options = abortable(signal);
  const items: KubeObject[] = [];
  let continueToken: string | undefined;
  for (;;) {
    const page = await listPage(kc, ref, continueToken, options);
    items.push(...((page.items ?? []) as KubeObject[]));
    continueToken = page.metadata?._continue ?? page.metadata?.continue;
    if (!continueToken) {
      return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
    }
  }
}

async function listPage(
  kc: KubeConfig,
  ref: ResourceRef,
  continueToken: string | undefined,
  options: ConfigurationOptions,
): Promise<any> {
  if (ref.group === '') {
    if (ref.version !== 'v1' || ref.plural !== 'events') {
      throw new Error(`Cannot list core resource ${ref.plural}`);
    }
    const list = await kc
      .makeApiClient(CoreV1Api)
      .listEventForAllNamespaces(
        { limit: PAGE_SIZE, _continue: continueToken },
        options,
      );
    // The typed client turns timestamps into Dates; give consumers plain JSON.
    return JSON.parse(JSON.stringify(list));
  }
  return kc.makeApiClient(CustomObjectsApi).listClusterCustomObject(
    {
      group: ref.group,
      version: ref.version,
      plural: ref.plural,
      limit: PAGE_SIZE,
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
