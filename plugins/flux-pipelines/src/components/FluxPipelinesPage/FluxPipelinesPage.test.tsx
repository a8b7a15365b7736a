import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ago,
  environment,
  mockFluxApi,
  pipeline,
  renderWithApis,
  target,
} from '../../__testUtils__/fixtures';
import { FluxPipelinesPage } from './FluxPipelinesPage';

const podinfo = pipeline(
  [
    environment('dev', [target('main', 'dev', { chartVersion: '6.4.0' })]),
    // A hand commit of 6.9.9 to test, past dev.
    environment('test', [target('main', 'test', { chartVersion: '6.9.9' })], {
      running: '6.9.9',
      relation: { upstream: 'dev', position: 'ahead', versions: 1 },
      skipped: ['dev'],
    }),
    environment('prod', [target('eu', 'prod', { chartVersion: '6.1.0' })], {
      running: '6.1.0',
      relation: { upstream: 'test', position: 'behind', versions: 3 },
    }),
  ],
  'podinfo',
);
const checkout = pipeline(
  [
    environment('dev', [target('main', 'dev', { chartVersion: '2.0.0' })]),
    environment(
      'test',
      [
        target(
          'main',
          'test',
          { chartVersion: '2.0.0', status: 'failed', finishedAt: ago(60) },
          { chartVersion: '1.9.0' },
        ),
      ],
      // (the backend's: 1.9.5 failed there two days ago, 2.0.0 an hour ago)
      { failingSince: ago(60 * 48) },
    ),
  ],
  'checkout',
);
const billing = pipeline(
  [environment('dev', [target('main', 'dev', { chartVersion: '0.3.0' })])],
  'billing',
);

async function renderPage(api = mockFluxApi([podinfo, checkout, billing])) {
  await renderWithApis(<FluxPipelinesPage />, { api });
  return api;
}

function rowOf(name: string) {
  return screen.getByRole('row', { name: new RegExp(`^${name} `) });
}

describe('FluxPipelinesPage', () => {
  it('shows every pipeline × environment with version and status', async () => {
    await renderPage();
    const table = await screen.findByRole('table', {
      name: 'Pipelines by environment',
    });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual(['Pipeline', 'dev', 'test', 'prod', 'Attention']);

    const checkoutRow = rowOf('flux-system/checkout');
    expect(
      within(checkoutRow).getByRole('img', { name: 'Failed' }),
    ).toBeInTheDocument();
    // Which version failed, and what runs instead.
    expect(
      within(checkoutRow).getByText('2.0.0 failed, 1.9.0 still runs'),
    ).toBeInTheDocument();
    const billingRow = rowOf('flux-system/billing');
    expect(within(billingRow).getAllByText('—')).toHaveLength(2);
  });

  it('flags what the backend says: ahead, skipped, behind, and long failures', async () => {
    const api = await renderPage();
    await screen.findByRole('table', { name: 'Pipelines by environment' });
    const podinfoRow = within(rowOf('flux-system/podinfo'));
    expect(
      podinfoRow.getByText('test is 1 version ahead of dev'),
    ).toBeInTheDocument();
    expect(podinfoRow.getByText('6.9.9 skipped dev')).toBeInTheDocument();
    expect(
      podinfoRow.getByText('prod is 3 versions behind test'),
    ).toBeInTheDocument();
    expect(podinfoRow.queryByText(/behind dev/)).toBeNull();
    expect(
      within(rowOf('flux-system/checkout')).getByText(
        'test failing for 2 days',
      ),
    ).toBeInTheDocument();
    // One request for the whole overview, however many pipelines.
    expect(api.listPipelines).toHaveBeenCalledTimes(1);
    expect(api.getExecutions).not.toHaveBeenCalled();
  });

  it('searches by pipeline or app name', async () => {
    await renderPage();
    await screen.findByRole('table', { name: 'Pipelines by environment' });
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search pipelines' }),
      'CHECK',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('row', { name: /^flux-system\/podinfo/ }),
      ).toBeNull(),
    );
    expect(rowOf('flux-system/checkout')).toBeInTheDocument();
  });

  it('filters to failing or skewed pipelines', async () => {
    await renderPage();
    await screen.findByRole('table', { name: 'Pipelines by environment' });
    const names = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map(r => r.textContent?.split('HelmRelease')[0]);

    await userEvent.click(screen.getByRole('button', { name: /Show/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Only failing' }),
    );
    await waitFor(() => expect(names()).toEqual(['flux-system/checkout']));

    await userEvent.click(screen.getByRole('button', { name: /Show/ }));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'Only ahead, behind or skipped',
      }),
    );
    await waitFor(() => expect(names()).toEqual(['flux-system/podinfo']));
  });

  it('shows the error when the backend is down', async () => {
    await renderPage(
      mockFluxApi([], {
        listPipelines: jest.fn(async () => {
          throw new Error('backend unavailable');
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/backend unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('says when there are no pipelines', async () => {
    await renderPage(mockFluxApi([]));
    expect(await screen.findByText('No pipelines yet')).toBeInTheDocument();
  });

  it('warns about unreachable clusters', async () => {
    await renderPage(
      mockFluxApi([podinfo], {
        getHealth: jest.fn(async () => ({
          status: 'ok' as const,
          clusters: [{ name: 'eu', connected: false }],
        })),
      }),
    );
    expect(
      await screen.findByText(/Cluster unreachable: eu/),
    ).toBeInTheDocument();
    expect(
      within(rowOf('flux-system/podinfo')).getByRole('img', {
        name: 'Cluster unreachable',
      }),
    ).toBeInTheDocument();
  });
});
