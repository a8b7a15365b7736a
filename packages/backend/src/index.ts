/*
 * The demo Backstage backend: catalog, guest sign-in, permissions with our
 * policy, signals, and the flux-pipelines plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@internal/plugin-flux-pipelines-backend'));

backend.start();
