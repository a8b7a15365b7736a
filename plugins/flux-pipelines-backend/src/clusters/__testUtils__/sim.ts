import { createServer } from 'node:net';
import { ClusterDefinition, Secret } from '../ClusterDefinition';

/** A cluster definition pointing at a stand-in cluster (test helper). */
export function clusterFor(
  sim: { url: string; token: string },
  overrides: Partial<ClusterDefinition> & { token?: string } = {},
): ClusterDefinition {
  const { token, ...rest } = overrides;
  return {
    name: 'sim',
    url: sim.url,
    auth: { type: 'serviceAccount', token: new Secret(token ?? sim.token) },
    skipTLSVerify: true,
    eventApis: ['core'],
    source: 'fluxPipelines',
    ...rest,
  };
}

/** A URL on 127.0.0.1 where nothing listens (test helper). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/** Waits until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 4000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(
        `condition not met in ${timeoutMs}ms${last ? `: ${last}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

export const helmRelease = (
  namespace: string,
  name: string,
  version = '1.0.0',
) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace },
  spec: {
    interval: '5m',
    chart: {
      spec: {
        chart: name,
        version,
        sourceRef: { kind: 'HelmRepository', name: 'charts' },
      },
    },
  },
});

export const fluxEvent = (
  namespace: string,
  name: string,
  message: string,
) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace },
  involvedObject: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
    namespace,
  },
  reason: 'InstallSucceeded',
  message,
  type: 'Normal',
  source: { component: 'helm-controller' },
  reportingComponent: 'helm-controller',
});

/** The HelmRelease resource, to watch in tests. */
export const HELM_RELEASES = {
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
};

/** Fast reconnects for tests. */
export const FAST_BACKOFF = { initialMs: 20, maxMs: 200 };
