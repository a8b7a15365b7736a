import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
import { FluxPipelinesClient } from './api/FluxPipelinesClient';

/** The flux-pipelines frontend plugin (legacy frontend system). */
export const fluxPipelinesPlugin = createPlugin({
  id: 'flux-pipelines',
  apis: [
    createApiFactory({
      api: fluxPipelinesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new FluxPipelinesClient(deps),
    }),
  ],
});

/** The entity page's Pipelines tab content. */
export const EntityFluxPipelinesContent = fluxPipelinesPlugin.provide(
  createComponentExtension({
    name: 'EntityFluxPipelinesContent',
    component: {
      lazy: () =>
        import('./components/EntityFluxPipelinesContent').then(
          m => m.EntityFluxPipelinesContent,
        ),
    },
  }),
);
