import { createRouteRef } from '@backstage/core-plugin-api';

/** The pipelines overview page (legacy frontend system). */
export const rootRouteRef = createRouteRef({ id: 'flux-pipelines' });
