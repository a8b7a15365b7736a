import { KubeConfig } from '@kubernetes/client-node';

/** A client-node KubeConfig for a stand-in cluster (test helper). */
export function kubeConfigFor(
  sim: { url: string; token: string },
  token = sim.token,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: sim.url, skipTLSVerify: true }],
    users: [{ name: 'sim', token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'sim' }],
    currentContext: 'sim',
  });
  return kc;
}

/** A raw HTTP request to the stand-in, returning status, headers and parsed JSON (test helper). */
export async function call(
  sim: { url: string; token: string },
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? sim.token : options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined)
    headers['Content-Type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body:
      typeof options.body === 'string' || options.body === undefined
        ? options.body
        : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
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
    if (Date.now() > end)
      throw new Error(
        `condition not met in ${timeoutMs}ms${last ? `: ${last}` : ''}`,
      );
    await new Promise(r => setTimeout(r, 25));
  }
}

export const podinfoRelease = (
  namespace: string,
  version = '6.5.0',
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'podinfo', namespace, labels: { app: 'podinfo' } },
  spec: {
    interval: '5m',
    chart: {
      spec: {
        chart: 'podinfo',
        version,
        sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
      },
    },
    values: { replicaCount: 1 },
    ...extra,
  },
});
