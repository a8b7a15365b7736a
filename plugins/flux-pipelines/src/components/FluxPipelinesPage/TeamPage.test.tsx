import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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

  it('lists the owners and systems of the entities with pipelines to pick from', async () => {
    const entity = (
      name: string,
      relations: Array<[string, string]>,
      annotated = true,
    ): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: annotated
          ? { 'flux-pipelines.io/pipelines': `flux-system/${name}` }
          : {},
      },
      relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
    });
    const catalogApi = catalogApiMock({
      entities: [
        entity('podinfo', [
          ['ownedBy', 'group:default/platform'],
          ['partOf', 'system:default/shop'],
        ]),
        entity('checkout', [['ownedBy', 'group:default/payments']]),
        // No pipeline: its owner is not offered.
        entity('billing', [['ownedBy', 'group:default/finance']], false),
      ],
    });
    const api = teamApi();
    await renderWithApis(<FluxPipelinesPage />, { api, catalogApi });
    await waitFor(async () => expect(await matrixRows()).toHaveLength(3));

    await userEvent.click(
      screen.getByRole('button', { name: /Team or system/ }),
    );
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual([
      'All pipelines',
      'Owners',
      'payments',
      'platform',
      'Systems',
      'shop',
    ]);
    await userEvent.click(listbox.getByRole('option', { name: 'payments' }));
    await waitFor(() =>
      expect(api.getInsights).toHaveBeenCalledWith(
        expect.objectContaining({ owner: 'payments' }),
      ),
    );
    expect(
      await screen.findByText('Flux pipelines of owner payments'),
    ).toBeInTheDocument();
  });
});
