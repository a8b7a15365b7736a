import { screen, waitFor, within } from '@testing-library/react';
import {
  environment,
  mockFluxApi,
  pipeline,
  renderWithApis,
  target,
} from '../../__testUtils__/fixtures';
import {
  environmentInsights,
  insightsResponse,
} from '../../__testUtils__/insightsFixtures';
import { FluxPipelinesPage } from './FluxPipelinesPage';

const names = ['podinfo', 'checkout', 'billing'];
const pipelines = names.map(name =>
  pipeline(
    [
      environment('dev', [target('main', 'dev', { chartVersion: '1.0.0' })]),
      environment('prod', [target('eu', 'prod', { chartVersion: '0.9.0' })]),
    ],
    name,
  ),
);

/** The platform team owns podinfo and checkout, not billing. */
function teamApi() {
  return mockFluxApi(pipelines, {
    getInsights: jest.fn(async query =>
      insightsResponse(
        ['podinfo', 'checkout'].map(name => ({
          namespace: 'flux-system',
          name,
          environments: [
            environmentInsights('dev'),
            environmentInsights('prod', {
              changeFailureRate: {
                ...environmentInsights('prod').changeFailureRate,
                rate: name === 'checkout' ? 0.5 : 0.2,
              },
            }),
          ],
        })),
        query,
      ),
    ),
  });
}

async function matrixRows() {
  const table = await screen.findByRole('table', {
    name: 'Pipelines by environment',
  });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent?.split('HelmRelease')[0]);
}

describe('FluxPipelinesPage of a team or system', () => {
  it("shows only the owner's pipelines, with their figures beside the matrix", async () => {
    const api = teamApi();
    await renderWithApis(<FluxPipelinesPage />, {
      api,
      route: '/?owner=group:default/platform',
    });
    await waitFor(async () =>
      expect(await matrixRows()).toEqual([
        'flux-system/podinfo',
        'flux-system/checkout',
      ]),
    );
    expect(
      screen.getByText('Flux pipelines of owner group:default/platform'),
    ).toBeInTheDocument();
    expect(api.getInsights).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/platform' }),
    );
    const checkoutProd = screen.getByRole('row', {
      name: /^flux-system\/checkout prod/,
    });
    expect(within(checkoutProd).getByText('50%')).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        'Change failure rate: Failed or rolled back over all (definition of dev)',
      ),
    ).toBeInTheDocument();
  });

  it('filters by system the same way', async () => {
    const api = teamApi();
    await renderWithApis(<FluxPipelinesPage />, {
      api,
      route: '/?system=shop',
    });
    await waitFor(async () => expect(await matrixRows()).toHaveLength(2));
    expect(api.getInsights).toHaveBeenCalledWith(
      expect.objectContaining({ system: 'shop' }),
    );
    expect(
      screen.getByText('Flux pipelines of system shop'),
    ).toBeInTheDocument();
  });

  it('keeps the whole overview, without figures, when no team is asked for', async () => {
    const api = teamApi();
    await renderWithApis(<FluxPipelinesPage />, { api });
    await waitFor(async () => expect(await matrixRows()).toHaveLength(3));
    expect(api.getInsights).not.toHaveBeenCalled();
    expect(screen.queryByText('Insights')).toBeNull();
  });
});
