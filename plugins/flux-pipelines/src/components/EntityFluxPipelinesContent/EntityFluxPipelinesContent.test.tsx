import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { PipelineWithStatus } from '@internal/plugin-flux-pipelines-common';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import { act, screen } from '@testing-library/react';
import {
  FluxPipelinesApi,
  fluxPipelinesApiRef,
} from '../../api/FluxPipelinesApi';
import { EntityFluxPipelinesContent } from './EntityFluxPipelinesContent';

const podinfo: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'podinfo',
    annotations: { 'flux-pipelines.io/pipelines': 'flux-system/podinfo' },
  },
  spec: {},
};

const pipeline: PipelineWithStatus = {
  namespace: 'flux-system',
  name: 'podinfo',
  source: 'config',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: [
    {
      name: 'dev',
      targets: [
        {
          cluster: 'local',
          namespace: 'dev',
          latest: {
            cluster: 'local',
            namespace: 'dev',
            kind: 'HelmRelease',
            name: 'podinfo',
            chartVersion: '6.6.0',
            appVersion: '6.6.0',
            status: 'failed',
            message:
              'Helm upgrade failed: timed out\n\nLast Helm logs:\n\nwaiting for pods',
            startedAt: '2026-11-26T09:00:00Z',
            finishedAt: '2026-11-26T09:05:00Z',
            durationMs: 300_000,
            updatedAt: '2026-11-26T09:05:00Z',
          },
          deployed: {
            cluster: 'local',
            namespace: 'dev',
            kind: 'HelmRelease',
            name: 'podinfo',
            chartVersion: '6.5.0',
            status: 'succeeded',
            updatedAt: '2026-11-25T09:05:00Z',
          },
        },
      ],
    },
    { name: 'prod', targets: [{ cluster: 'eu-1', namespace: 'prod' }] },
  ],
};

function api(overrides: Partial<FluxPipelinesApi>): FluxPipelinesApi {
  return {
    getPipelinesForEntity: jest.fn(async () => [pipeline]),
    listPipelines: jest.fn(async () => [pipeline]),
    getHealth: jest.fn(async () => ({ status: 'ok' as const, clusters: [] })),
    ...overrides,
  };
}

async function render(
  entity: Entity,
  fluxApi: FluxPipelinesApi,
  signalApi?: SignalApi,
) {
  const content = (
    <EntityProvider entity={entity}>
      <EntityFluxPipelinesContent />
    </EntityProvider>
  );
  await renderInTestApp(
    signalApi ? (
      <TestApiProvider
        apis={[
          [fluxPipelinesApiRef, fluxApi],
          [signalApiRef, signalApi],
        ]}
      >
        {content}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[fluxPipelinesApiRef, fluxApi]]}>
        {content}
      </TestApiProvider>
    ),
  );
}

describe('EntityFluxPipelinesContent', () => {
  it('shows each environment of the linked pipeline in order, with its targets', async () => {
    const fluxApi = api({});
    await render(podinfo, fluxApi);

    expect(await screen.findByText('flux-system/podinfo')).toBeInTheDocument();
    const environments = screen.getAllByRole('listitem');
    expect(environments.map(e => e.getAttribute('aria-label'))).toEqual([
      'Environment dev',
      'Environment prod',
    ]);
    expect(screen.getByText('eu-1 / prod')).toBeInTheDocument();
    expect(screen.getByText('No deployment observed yet')).toBeInTheDocument();
    expect(screen.getByText('Failed 6.6.0')).toBeInTheDocument();
    expect(screen.getByText('Running 6.5.0')).toBeInTheDocument();
    expect(screen.getByText(/took 5m 0s/)).toBeInTheDocument();
    expect(screen.getByText(/Last Helm logs:/)).toBeInTheDocument();
    expect(fluxApi.getPipelinesForEntity).toHaveBeenCalledWith(
      'component:default/podinfo',
    );
  });

  it('explains how to link an entity that has no annotation', async () => {
    const fluxApi = api({});
    await render({ ...podinfo, metadata: { name: 'bare' } }, fluxApi);
    expect(
      await screen.findByText('No Flux pipeline linked'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/flux-pipelines\.io\/pipelines/),
    ).toBeInTheDocument();
    expect(fluxApi.getPipelinesForEntity).not.toHaveBeenCalled();
  });

  it('says so when the backend knows none of the linked pipelines', async () => {
    await render(podinfo, api({ getPipelinesForEntity: async () => [] }));
    expect(await screen.findByText('No pipeline found')).toBeInTheDocument();
  });

  it('shows the backend error when the request fails', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'database is down' },
        response: { statusCode: 500 },
      }),
      {
        status: 500,
        statusText: 'Internal Server Error',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await render(
      podinfo,
      api({
        getPipelinesForEntity: async () => {
          throw error;
        },
      }),
    );
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
  });

  it('refetches when the backend signals a change, keeping the cards on screen', async () => {
    const listeners: Array<(m: any) => void> = [];
    const signalApi: SignalApi = {
      subscribe: (channel, onMessage) => {
        expect(channel).toBe('flux-pipelines');
        listeners.push(onMessage);
        return { unsubscribe: () => {} };
      },
    };
    let version = '6.6.0';
    const fluxApi = api({
      getPipelinesForEntity: jest.fn(async () => [
        {
          ...pipeline,
          environments: [
            {
              name: 'dev',
              targets: [
                {
                  cluster: 'local',
                  namespace: 'dev',
                  latest: {
                    cluster: 'local',
                    namespace: 'dev',
                    kind: 'HelmRelease' as const,
                    name: 'podinfo',
                    chartVersion: version,
                    status: 'succeeded' as const,
                    updatedAt: '2026-11-26T09:05:00Z',
                  },
                },
              ],
            },
          ],
        },
      ]),
    });
    await render(podinfo, fluxApi, signalApi);
    expect(await screen.findByText('Succeeded 6.6.0')).toBeInTheDocument();

    version = '6.7.0';
    await act(async () => {
      listeners.forEach(l => l({ type: 'deployments-changed' }));
    });
    expect(await screen.findByText('Succeeded 6.7.0')).toBeInTheDocument();
    expect(fluxApi.getPipelinesForEntity).toHaveBeenCalledTimes(2);
  });
});
