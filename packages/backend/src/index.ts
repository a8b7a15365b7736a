/*
 * The demo Backstage backend: catalog, guest sign-in, permissions with our
 * policy, events and signals (live updates), notifications (the bell), and
 * the flux-pipelines plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionPolicyModule } from './permissionPolicy';
import { rootLoggerServiceFactory } from './rootLogger';

const backend = createBackend();

backend.add(rootLoggerServiceFactory);
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);
// The events bus that signals publish and subscribe through.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// Approvals waiting, failed promotions and deployments, in the bell.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@flux-pipelines/plugin-flux-pipelines-backend'));

backend.start();
