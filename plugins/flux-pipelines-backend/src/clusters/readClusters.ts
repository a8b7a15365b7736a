import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterAuth,
  ClusterDefinition,
  ClusterSource,
  EventApi,
  Secret,
} from './ClusterDefinition';

const EVENT_APIS: EventApi[] = ['core', 'events.k8s.io'];

/** Receives configuration problems that do not stop the backend. */
export interface ClusterConfigWarnings {
  warn(message: string, meta?: Record<string, unknown>): void;
}

type PartialCluster = Partial<Omit<ClusterDefinition, 'name'>> & {
  name: string;
};

/**
 * Reads the clusters to watch, in this order (later entries of the same name
 * override earlier ones field by field):
 *
 * 1. `kubernetes.clusterLocatorMethods[]` of `type: config` (the Backstage
 *    Kubernetes plugin's own configuration; clusters with an auth provider other
 *    than `serviceAccount` are skipped with a warning),
 * 2. every context of the kubeconfig file at `fluxPipelines.kubeconfig`,
 * 3. `fluxPipelines.clusters[]`.
 *
 * Throws an `InputError` naming the entry when a cluster is incomplete.
 */
export function readClusters(
  config: Config,
  options: { warnings?: ClusterConfigWarnings } = {},
): ClusterDefinition[] {
  const merged = new Map<string, PartialCluster>();
  const add = (entry: PartialCluster) => {
    const previous = merged.get(entry.name);
    merged.set(entry.name, {
      ...previous,
      ...dropUndefined(entry),
      name: entry.name,
    });
  };

  const locators =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  locators.forEach((locator, i) => {
    if (locator.getOptionalString('type') !== 'config') return;
    (locator.getOptionalConfigArray('clusters') ?? []).forEach((c, j) => {
      const where = `kubernetes.clusterLocatorMethods[${i}].clusters[${j}]`;
      const provider = c.getOptionalString('authProvider') ?? 'serviceAccount';
      if (provider !== 'serviceAccount') {
        options.warnings?.warn(
          `Skipping cluster at ${where}: authProvider '${provider}' is not supported, only serviceAccount`,
          { cluster: c.getOptionalString('name') },
        );
        return;
      }
      add(readEntry(c, where, 'kubernetes'));
    });
  });

  const kubeconfigPath = config.getOptionalString('fluxPipelines.kubeconfig');
  if (kubeconfigPath) readKubeconfig(kubeconfigPath).forEach(add);

  (config.getOptionalConfigArray('fluxPipelines.clusters') ?? []).forEach(
    (c, i) => {
      const entry = readEntry(
        c,
        `fluxPipelines.clusters[${i}]`,
        'fluxPipelines',
      );
      const hmac = c.getOptionalString('webhookHmacKey');
      if (!entry.url && !entry.auth && hmac && !merged.has(entry.name)) {
        return; // a webhook-only cluster: nothing to watch
      }
      add({ ...entry, webhookHmacKey: hmac ? new Secret(hmac) : undefined });
    },
  );

  return [...merged.values()].map(complete);
}

/**
 * The notification-controller webhook key of each cluster that has one in
 * `fluxPipelines.clusters`, including webhook-only clusters (a name and a key,
 * no url), which {@link readClusters} leaves out.
 */
export function readWebhookKeys(config: Config): Map<string, Secret> {
  const keys = new Map<string, Secret>();
  for (const c of config.getOptionalConfigArray('fluxPipelines.clusters') ??
    []) {
    const key = c.getOptionalString('webhookHmacKey');
    if (key) keys.set(c.getString('name'), new Secret(key));
  }
  return keys;
}

function readEntry(
  c: Config,
  where: string,
  source: ClusterSource,
): PartialCluster {
  const name = c.getOptionalString('name');
  if (!name) throw new InputError(`Cluster at ${where} has no name`);
  const label = `Cluster '${name}' (${where})`;
  const provider = c.getOptionalString('authProvider');
  if (provider && provider !== 'serviceAccount') {
    throw new InputError(
      `${label}: authProvider must be serviceAccount, got '${provider}'`,
    );
  }
  const url = c.getOptionalString('url');
  if (url !== undefined && !isHttpUrl(url)) {
    throw new InputError(`${label}: url must be an http(s) URL`);
  }
  const token = c.getOptionalString('serviceAccountToken');
  const eventApis = c.getOptionalStringArray('eventApis');
  const unknown = eventApis?.find(api => !EVENT_APIS.includes(api as EventApi));
  if (unknown) {
    throw new InputError(
      `${label}: eventApis may contain ${EVENT_APIS.join(
        ', ',
      )}, got '${unknown}'`,
    );
  }
  return {
    name,
    url,
    auth: token
      ? { type: 'serviceAccount', token: new Secret(token) }
      : undefined,
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
    eventApis: eventApis as EventApi[] | undefined,
    source,
  };
}

function readKubeconfig(path: string): PartialCluster[] {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (e) {
    throw new InputError(
      `fluxPipelines.kubeconfig: cannot read kubeconfig '${path}': ${
        (e as Error).message
      }`,
    );
  }
  return kc.getContexts().map(context => {
    const cluster = kc.getCluster(context.cluster);
    if (!cluster) {
      throw new InputError(
        `fluxPipelines.kubeconfig '${path}': context '${context.name}' names an unknown cluster '${context.cluster}'`,
      );
    }
    const auth: ClusterAuth = {
      type: 'kubeconfig',
      path,
      context: context.name,
    };
    return {
      name: context.name,
      url: cluster.server,
      auth,
      caData: cluster.caData,
      caFile: cluster.caFile,
      skipTLSVerify: cluster.skipTLSVerify,
      source: 'kubeconfig' as const,
    };
  });
}

function complete(c: PartialCluster): ClusterDefinition {
  if (!c.url) {
    throw new InputError(`Cluster '${c.name}' (${c.source}) has no url`);
  }
  if (!c.auth) {
    throw new InputError(
      `Cluster '${c.name}' (${c.source}) has no serviceAccountToken`,
    );
  }
  return {
    name: c.name,
    url: c.url,
    auth: c.auth,
    caData: c.caData,
    caFile: c.caFile,
    skipTLSVerify: c.skipTLSVerify ?? false,
    eventApis: c.eventApis?.length ? c.eventApis : ['core'],
    webhookHmacKey: c.webhookHmacKey,
    source: c.source ?? 'fluxPipelines',
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
