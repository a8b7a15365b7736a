import { compatWrapper } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { fluxPipelinesApiRef } from './api/FluxPipelinesApi';
import { FluxPipelinesClient } from './api/FluxPipelinesClient';
import { isFluxPipelinesAvailable } from './isFluxPipelinesAvailable';

/** The pipelines overview page's route, for the new frontend system. */
export const fluxPipelinesRouteRef = createRouteRef();

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

/** The entity overview's card, for the new frontend system. */
export const fluxPipelinesEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isFluxPipelinesAvailable,
    loader: () =>
      import('./components/EntityFluxPipelinesCard').then(m =>
        compatWrapper(<m.EntityFluxPipelinesCard />),
      ),
  },
});

/**
 * The pipelines overview page at `/flux-pipelines`. Its title and icon make
 * the app's navigation list it (this version of the new frontend system has
 * no separate NavItemBlueprint).
 */
export const fluxPipelinesPage = PageBlueprint.make({
  params: {
    path: '/flux-pipelines',
    title: 'Pipelines',
    icon: <AccountTreeIcon />,
    routeRef: fluxPipelinesRouteRef,
    loader: () =>
      import('./components/FluxPipelinesPage').then(m =>
        compatWrapper(<m.FluxPipelinesPage />),
      ),
  },
});

/** The flux-pipelines frontend plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'flux-pipelines',
  routes: { root: fluxPipelinesRouteRef },
  extensions: [
    fluxPipelinesApi,
    fluxPipelinesEntityContent,
    fluxPipelinesEntityCard,
    fluxPipelinesPage,
  ],
});
