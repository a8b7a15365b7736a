import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
import { FluxPipelinesClient } from './api/FluxPipelinesClient';
import { rootRouteRef } from './routes';

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
  routes: { root: rootRouteRef },
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

/** The entity overview's card: the version per environment. */
export const EntityFluxPipelinesCard = fluxPipelinesPlugin.provide(
  createComponentExtension({
    name: 'EntityFluxPipelinesCard',
    component: {
      lazy: () =>
        import('./components/EntityFluxPipelinesCard').then(
          m => m.EntityFluxPipelinesCard,
        ),
    },
  }),
);

/** The pipelines overview page, usually at `/flux-pipelines`. */
export const FluxPipelinesPage = fluxPipelinesPlugin.provide(
  createRoutableExtension({
    name: 'FluxPipelinesPage',
    component: () =>
      import('./components/FluxPipelinesPage').then(m => m.FluxPipelinesPage),
    mountPoint: rootRouteRef,
  }),
);
