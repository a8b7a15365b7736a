import { compatWrapper } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
import { FluxPipelinesClient } from './api/FluxPipelinesClient';
import { isFluxPipelinesAvailable } from './isFluxPipelinesAvailable';

/** The flux-pipelines API client, for the new frontend system. */
export const fluxPipelinesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: fluxPipelinesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new FluxPipelinesClient(deps),
    }),
});

/** The entity page's Pipelines tab, for the new frontend system. */
export const fluxPipelinesEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/flux-pipelines',
    title: 'Pipelines',
    filter: isFluxPipelinesAvailable,
    loader: () =>
      import('./components/EntityFluxPipelinesContent').then(m =>
        compatWrapper(<m.EntityFluxPipelinesContent />),
      ),
  },
});

/** The flux-pipelines frontend plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'flux-pipelines',
  extensions: [fluxPipelinesApi, fluxPipelinesEntityContent],
});
