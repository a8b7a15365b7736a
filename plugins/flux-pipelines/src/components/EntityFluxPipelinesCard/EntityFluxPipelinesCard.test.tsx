import { UnifiedThemeProvider, themes } from '@backstage/theme';
import { screen, within } from '@testing-library/react';
import {
  environment,
  mockFluxApi,
  pipeline,
  podinfoEntity,
  renderWithApis,
  target,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesCard } from './EntityFluxPipelinesCard';

const podinfo = pipeline([
  environment('dev', [
    target(
      'main',
      'dev',
      { chartVersion: '6.6.0', status: 'failed' },
      { chartVersion: '6.5.0' },
    ),
  ]),
  environment('test', [target('main', 'test', { chartVersion: '6.5.0' })]),
  environment('prod', [target('eu', 'prod', { chartVersion: '6.4.0' })]),
]);

describe('EntityFluxPipelinesCard', () => {
  it('shows the version and status of each environment', async () => {
    await renderWithApis(<EntityFluxPipelinesCard />, {
      api: mockFluxApi([podinfo], {
        getHealth: jest.fn(async () => ({
          status: 'ok' as const,
          clusters: [{ name: 'eu', connected: false }],
        })),
      }),
    });
    const table = await screen.findByRole('table', {
      name: 'flux-system/podinfo',
    });
    const rows = within(table).getAllByRole('row');
    expect(
      within(rows[0]).getByRole('img', { name: 'Failed' }),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('img', { name: 'Succeeded' }),
    ).toBeInTheDocument();
    expect(
      await within(rows[2]).findByRole('img', { name: 'Cluster unreachable' }),
    ).toBeInTheDocument();
    const cells = rows.map(r =>
      within(r)
        .getAllByRole('cell')
        .map(c => c.textContent?.trim()),
    );
    expect(cells.map(c => c[0])).toEqual(['dev', 'test', 'prod']);
    expect(cells.map(c => c[1])).toEqual([
      '6.6.0 failed, 6.5.0 still runs',
      '6.5.0',
      '6.4.0',
    ]);
    expect(cells.map(c => c[2])).toEqual([
      'Failed 5 minutes ago',
      'Succeeded 5 minutes ago',
      'Cluster unreachable 5 minutes ago',
    ]);
    expect(
      screen.getByRole('link', { name: /Open the Pipelines tab/ }),
    ).toHaveAttribute('href', expect.stringMatching(/flux-pipelines$/));
  });

  it('explains the annotation on an entity without it', async () => {
    await renderWithApis(<EntityFluxPipelinesCard />, {
      api: mockFluxApi([]),
      entity: { ...podinfoEntity, metadata: { name: 'bare' } },
    });
    expect(
      await screen.findByText('No Flux pipeline linked'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend is down', async () => {
    await renderWithApis(<EntityFluxPipelinesCard />, {
      api: mockFluxApi([], {
        getPipelinesForEntity: jest.fn(async () => {
          throw new Error('connect ECONNREFUSED');
        }),
      }),
    });
    expect(
      (await screen.findAllByText(/connect ECONNREFUSED/)).length,
    ).toBeGreaterThan(0);
  });

  it('renders inside the dark theme', async () => {
    await renderWithApis(
      <UnifiedThemeProvider theme={themes.dark}>
        <EntityFluxPipelinesCard />
      </UnifiedThemeProvider>,
      { api: mockFluxApi([podinfo]) },
    );
    expect(await screen.findByText('Flux pipelines')).toBeInTheDocument();
    expect(screen.getByText(/6\.4\.0/)).toBeInTheDocument();
    const card = screen
      .getByText('Flux pipelines')
      .closest('[class*="MuiCard-root"]')!;
    // the card takes its colours from the dark palette, not a light default
    expect(getComputedStyle(card).backgroundColor).toBe('rgb(66, 66, 66)');
  });
});
