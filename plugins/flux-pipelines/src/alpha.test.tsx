import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen, waitFor } from '@testing-library/react';
import fluxPipelinesPlugin, {
  fluxPipelinesEntityCard,
  fluxPipelinesEntityContent,
  fluxPipelinesPage,
} from './alpha';
import { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
import {
  devTestPipeline,
  mockFluxApi,
  podinfoEntity,
} from './__testUtils__/fixtures';

const apis = () =>
  [
    [fluxPipelinesApiRef, mockFluxApi([devTestPipeline()])],
    mockApis.permission(),
  ] as const;

describe('flux-pipelines in the new frontend system', () => {
  it('is one plugin with the API, the entity tab and card, and the page', () => {
    expect(fluxPipelinesPlugin.id).toBe('flux-pipelines');
  });

  it('renders the entity Pipelines tab', async () => {
    const tester = createExtensionTester(fluxPipelinesEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/flux-pipelines');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Pipelines');
    renderInTestApp(
      <EntityProvider entity={podinfoEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: apis() },
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Promote 6.6.0 to test' }),
      ).toBeInTheDocument(),
    );
    expect(screen.getByText('Execution history')).toBeInTheDocument();
  });

  it('renders the entity overview card', async () => {
    const tester = createExtensionTester(fluxPipelinesEntityCard);
    renderInTestApp(
      <EntityProvider entity={podinfoEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: apis() },
    );
    expect(await screen.findByText('Flux pipelines')).toBeInTheDocument();
    expect(await screen.findByText(/6\.5\.0/)).toBeInTheDocument();
  });

  it('renders the overview page at /flux-pipelines', async () => {
    const tester = createExtensionTester(fluxPipelinesPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/flux-pipelines');
    expect(tester.get(coreExtensionData.title)).toBe('Pipelines');
    renderInTestApp(tester.reactElement(), { apis: apis() });
    expect(
      await screen.findByRole('table', { name: 'Pipelines by environment' }),
    ).toBeInTheDocument();
  });
});
