import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { fluxPipelinesPlugin } from '../../plugins/flux-pipelines-backend/src/plugin';

export type SignalListener = (message: any, at: number) => void;

/**
 * The real plugin (and optionally @backstage/plugin-kubernetes-backend) in a
 * Backstage test backend, on the given database, with a signals service that
 * hands each published message and its time to `onSignal`.
 */
export async function startBenchBackend(options: {
  knex: Knex;
  config: JsonObject;
  entities?: Entity[];
  onSignal?: SignalListener;
  kubernetesBackend?: boolean;
}) {
  const signals = createServiceFactory({
    service: signalsServiceRef,
    deps: {},
    factory: () => ({
      publish: async (signal: any) => {
        options.onSignal?.(signal.message, performance.now());
      },
    }),
  });
  const backend = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      signals,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({ data: options.config }),
      ...(options.kubernetesBackend
        ? [import('@backstage/plugin-kubernetes-backend')]
        : []),
    ],
  });
  const address = backend.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const auth = mockCredentials.user.header();
  return {
    backend,
    base,
    get: (path: string) =>
      fetch(`${base}${path}`, { headers: { authorization: auth } }),
    post: (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    stop: () => backend.stop(),
  };
}

export type BenchBackend = Awaited<ReturnType<typeof startBenchBackend>>;

/** Waits until /health says every cluster is connected. */
export async function untilHealthy(b: BenchBackend, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const res = await b.get('/api/flux-pipelines/health');
    last = await res.json();
    const clusters = (last as any)?.clusters ?? last;
    if (
      Array.isArray(clusters) &&
      clusters.length &&
      clusters.every((c: any) => c.connected)
    )
      return;
    if (Date.now() > end)
      throw new Error(
        `clusters not connected: ${JSON.stringify(last).slice(0, 500)}`,
      );
    await new Promise(r => setTimeout(r, 50));
  }
}
