import { ResponseError } from '@backstage/errors';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ago,
  environment,
  mockFluxApi,
  pipeline,
  podinfoEntity,
  renderWithApis,
  target,
  testSignals,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesContent } from './EntityFluxPipelinesContent';

const helmFailure =
  'Helm upgrade failed: timed out waiting for the condition\n\nLast Helm logs:\n\nwaiting for 1 pods to be ready';

const everyStatus = pipeline([
  environment('dev', [
    target(
      'main',
      'dev',
      {
        chartVersion: '6.6.0',
        appVersion: '6.6.0',
        status: 'failed',
        message: helmFailure,
      },
      { chartVersion: '6.5.0' },
    ),
    target('main', 'dev-b', { chartVersion: '6.6.0', status: 'progressing' }),
  ]),
  environment('test', [
    target('main', 'test', { chartVersion: '6.5.0', appVersion: '6.5.0' }),
    target('main', 'test-b', {
      chartVersion: '6.4.0',
      status: 'rolled-back',
      message: 'Helm rollback to 6.4.0 succeeded',
    }),
  ]),
  environment('prod', [
    target('prod-eu', 'prod'),
    target('main', 'prod', { chartVersion: '6.3.0', status: 'superseded' }),
    target('main', 'prod-b', { chartVersion: '6.3.0', status: 'unknown' }),
  ]),
]);

async function renderContent(
  api = mockFluxApi([everyStatus]),
  entity = podinfoEntity,
) {
  await renderWithApis(<EntityFluxPipelinesContent />, { api, entity });
  return api;
}

describe('EntityFluxPipelinesContent', () => {
  it('shows each environment of the linked pipeline in order, joined by arrows, with its targets', async () => {
    const api = await renderContent();
    expect(await screen.findByText('flux-system/podinfo')).toBeInTheDocument();
    const environments = screen.getAllByRole('listitem');
    expect(environments.map(e => e.getAttribute('aria-label'))).toEqual([
      'Environment dev',
      'Environment test',
      'Environment prod',
    ]);
    expect(
      within(environments[2]).getByText('prod-eu / prod'),
    ).toBeInTheDocument();
    expect(api.getPipelinesForEntity).toHaveBeenCalledWith(
      'component:default/podinfo',
    );
  });

  it('labels every status in words next to its icon', async () => {
    await renderContent();
    await screen.findByText('flux-system/podinfo');
    expect(screen.getByText('Failed 6.6.0')).toBeInTheDocument();
    expect(screen.getByText('Progressing 6.6.0')).toBeInTheDocument();
    expect(screen.getByText('Succeeded 6.5.0')).toBeInTheDocument();
    expect(screen.getByText('Rolled back 6.4.0')).toBeInTheDocument();
    expect(screen.getByText('Superseded 6.3.0')).toBeInTheDocument();
    expect(screen.getByText('Unknown 6.3.0')).toBeInTheDocument();
    expect(
      screen.getByText('Unknown No deployment observed yet'),
    ).toBeInTheDocument();
    expect(screen.getByTitle('Failed')).toBeInTheDocument();
  });

  it('shows chart and app version, what still runs, when and how long', async () => {
    await renderContent();
    await screen.findByText('flux-system/podinfo');
    const dev = screen.getByRole('listitem', { name: 'Environment dev' });
    expect(within(dev).getByText('App version 6.6.0')).toBeInTheDocument();
    expect(within(dev).getByText('Running 6.5.0')).toBeInTheDocument();
    const test = screen.getByRole('listitem', { name: 'Environment test' });
    const deployed = within(test).getByText('deployed 5 minutes ago');
    expect(deployed.tagName).toBe('TIME');
    expect(deployed).toHaveAttribute('title');
    expect(deployed.getAttribute('title')).not.toBe('');
    expect(within(test).getAllByText(/took 5m 0s/)).toHaveLength(2);
  });

  it('leads a failure with its cause, and expands it to the full message with the Helm log lines kept', async () => {
    await renderContent();
    expect(
      await screen.findByText('timed out waiting for the condition'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(
        'Helm upgrade failed: timed out waiting for the condition',
      ),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/waiting for 1 pods/)).not.toBeInTheDocument();

    const dev = screen.getByRole('listitem', { name: 'Environment dev' });
    const toggle = within(dev).getByRole('button', { name: 'Show details' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    const log = screen.getByText(/waiting for 1 pods/);
    expect(log.tagName).toBe('PRE');
    expect(log.textContent).toBe(helmFailure);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });

  it('marks targets on a disconnected cluster as unreachable', async () => {
    await renderContent(
      mockFluxApi([everyStatus], {
        getHealth: jest.fn(async () => ({
          status: 'ok' as const,
          clusters: [
            { name: 'main', connected: true },
            {
              name: 'prod-eu',
              connected: false,
              lastError: 'connect ECONNREFUSED',
              lastEventAt: ago(30),
            },
          ],
        })),
      }),
    );
    const prod = await screen.findByRole('listitem', {
      name: 'Environment prod',
    });
    expect(
      await within(prod).findByText(
        'Cluster unreachable (connect ECONNREFUSED)',
      ),
    ).toBeInTheDocument();
    expect(
      within(prod).getByText('last heard from 30 minutes ago'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster unreachable: prod-eu/),
    ).toBeInTheDocument();
    const dev = screen.getByRole('listitem', { name: 'Environment dev' });
    expect(within(dev).queryByText(/Cluster unreachable/)).toBeNull();
  });

  it('explains how to link an entity that has no annotation, with a snippet', async () => {
    const api = await renderContent(mockFluxApi([]), {
      ...podinfoEntity,
      metadata: { name: 'bare' },
    });
    expect(
      await screen.findByText('No Flux pipeline linked'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/flux-pipelines\.io\/pipelines/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('# <namespace>/<name>, comma-separated for several'),
    ).toBeInTheDocument();
    expect(api.getPipelinesForEntity).not.toHaveBeenCalled();
  });

  it('says so when the backend knows none of the linked pipelines', async () => {
    await renderContent(mockFluxApi([]));
    expect(await screen.findByText('No pipeline found')).toBeInTheDocument();
    expect(
      screen.getByText(/links to flux-system\/podinfo/),
    ).toBeInTheDocument();
  });

  it('shows the backend error when the backend is down', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'Error', message: 'database is down' },
          response: { statusCode: 500 },
        }),
        {
          status: 500,
          statusText: 'Internal Server Error',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await renderContent(
      mockFluxApi([], {
        getPipelinesForEntity: jest.fn(async () => {
          throw error;
        }),
      }),
    );
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
  });

  it('refetches on deployment and promotion signals, keeping the cards on screen', async () => {
    const { signalApi, send } = testSignals();
    let version = '6.6.0';
    const api = mockFluxApi([], {
      getPipelinesForEntity: jest.fn(async () => [
        pipeline([
          environment('dev', [
            target('main', 'dev', { chartVersion: version }),
          ]),
        ]),
      ]),
    });
    await renderWithApis(<EntityFluxPipelinesContent />, { api, signalApi });
    expect(await screen.findByText('Succeeded 6.6.0')).toBeInTheDocument();

    let resolve: () => void = () => {};
    api.getPipelinesForEntity.mockImplementationOnce(
      () =>
        new Promise(r => {
          resolve = () =>
            r([
              pipeline([
                environment('dev', [
                  target('main', 'dev', { chartVersion: '6.7.0' }),
                ]),
              ]),
            ]);
        }),
    );
    await act(async () => send({ type: 'deployments-changed', targets: [] }));
    await waitFor(() =>
      expect(api.getPipelinesForEntity).toHaveBeenCalledTimes(2),
    );
    // while the refetch runs, the old card stays
    expect(screen.getByText('Succeeded 6.6.0')).toBeInTheDocument();
    expect(screen.queryByTestId('progress')).toBeNull();
    await act(async () => resolve());
    expect(await screen.findByText('Succeeded 6.7.0')).toBeInTheDocument();

    version = '6.8.0';
    await act(async () => send({ type: 'promotion-changed', promotion: {} }));
    expect(await screen.findByText('Succeeded 6.8.0')).toBeInTheDocument();
    expect(api.getPipelinesForEntity).toHaveBeenCalledTimes(3);
  });

  it('replaces "No pipeline found" with the pipeline once the backend announces it', async () => {
    const { signalApi, send } = testSignals();
    const api = mockFluxApi([], {
      getPipelinesForEntity: jest.fn(async () => []),
    });
    await renderWithApis(<EntityFluxPipelinesContent />, { api, signalApi });
    expect(await screen.findByText('No pipeline found')).toBeInTheDocument();

    api.getPipelinesForEntity.mockImplementation(async () => [
      pipeline([
        environment('dev', [target('main', 'dev', { chartVersion: '6.6.0' })]),
      ]),
    ]);
    await act(async () =>
      send({
        type: 'pipelines-changed',
        pipelines: [{ namespace: 'flux-system', name: 'podinfo' }],
      }),
    );
    expect(await screen.findByText('Succeeded 6.6.0')).toBeInTheDocument();
    expect(screen.queryByText('No pipeline found')).toBeNull();
  });

  it('reloads after a signal that arrives while a load is still running', async () => {
    const { signalApi, send } = testSignals();
    const api = mockFluxApi([], {
      getPipelinesForEntity: jest.fn(async () => [
        pipeline([
          environment('dev', [
            target('main', 'dev', { chartVersion: '6.6.0' }),
          ]),
        ]),
      ]),
    });
    await renderWithApis(<EntityFluxPipelinesContent />, { api, signalApi });
    expect(await screen.findByText('Succeeded 6.6.0')).toBeInTheDocument();

    let resolve: () => void = () => {};
    api.getPipelinesForEntity.mockImplementationOnce(
      () =>
        new Promise(r => {
          resolve = () =>
            r([
              pipeline([
                environment('dev', [
                  target('main', 'dev', { chartVersion: '6.7.0' }),
                ]),
              ]),
            ]);
        }),
    );
    await act(async () => send({ type: 'deployments-changed', targets: [] }));
    await waitFor(() =>
      expect(api.getPipelinesForEntity).toHaveBeenCalledTimes(2),
    );
    api.getPipelinesForEntity.mockImplementation(async () => [
      pipeline([
        environment('dev', [target('main', 'dev', { chartVersion: '6.8.0' })]),
      ]),
    ]);
    // a second change while the first reload is still running
    await act(async () => send({ type: 'promotion-changed', promotion: {} }));
    await act(async () => new Promise(r => setTimeout(r, 400)));
    await act(async () => resolve());
    expect(await screen.findByText('Succeeded 6.8.0')).toBeInTheDocument();
    expect(api.getPipelinesForEntity).toHaveBeenCalledTimes(3);
  });
});
