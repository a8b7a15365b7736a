import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  EntityFluxPipelinesCard,
  EntityFluxPipelinesContent,
  FluxPipelinesPage,
  fluxPipelinesPlugin,
  fluxPipelinesRouteRef,
  isFluxPipelinesAvailable,
} from './index';
import {
  devTestPipeline,
  mockFluxApi,
  renderWithApis,
} from './__testUtils__/fixtures';

describe('flux-pipelines in the legacy frontend system', () => {
  it('exports the plugin, its extensions and the entity filter', () => {
    expect(fluxPipelinesPlugin.getId()).toBe('flux-pipelines');
    expect(fluxPipelinesPlugin.routes.root).toBe(fluxPipelinesRouteRef);
    expect(EntityFluxPipelinesContent).toBeDefined();
    expect(EntityFluxPipelinesCard).toBeDefined();
    expect(
      isFluxPipelinesAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'x',
          annotations: { 'flux-pipelines.io/pipelines': 'ns/x' },
        },
      }),
    ).toBe(true);
  });

  it('renders the routable overview page', async () => {
    await renderWithApis(
      <Routes>
        <Route path="/*" element={<FluxPipelinesPage />} />
      </Routes>,
      {
        api: mockFluxApi([devTestPipeline()]),
      },
    );
    expect(
      await screen.findByRole('table', { name: 'Pipelines by environment' }),
    ).toBeInTheDocument();
  });
});
