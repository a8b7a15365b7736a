import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { Knex } from 'knex';
import request from 'supertest';
import { startPromotionBackend } from '../../promotion/__testUtils__/promotionScenario';

export const GRACE = 'user:default/grace';
export const LINUS = 'user:default/linus';

/** team-a, which owns podinfo, with grace; linus, an approver outside it. */
export const PEOPLE: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: GRACE }],
  },
  ...['grace', 'linus'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
  })),
];

/**
 * Each plugin its own database, as a backend gives them: the same two for
 * every replica started with the same map.
 */
export function pluginDatabases(byPlugin: Record<string, Knex>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => ({
      getClient: async () => {
        const knex = byPlugin[plugin.getId()];
        if (!knex) throw new Error(`No test database for ${plugin.getId()}`);
        return knex;
      },
    }),
  });
}

/**
 * The promotion backend with the real notifications backend: the plugin and
 * the notifications plugin on their databases, team-a's people in the
 * catalog, and `approvers` as fluxPipelines.notifications.approvers.
 */
export async function startNotifyingBackend(
  sim: Parameters<typeof startPromotionBackend>[0],
  fleetUrl: string,
  dbs: { plugin: Knex; notifications: Knex },
  approvers: string[] = [LINUS],
  /** Merged into `fluxPipelines.promotion` (e.g. gates). */
  promotion?: Record<string, unknown>,
) {
  const b = await startPromotionBackend(sim, fleetUrl, {
    ...(promotion ? { promotion } : {}),
    entities: PEOPLE,
    notifications: { approvers },
    features: [
      notificationsPlugin,
      pluginDatabases({
        'flux-pipelines': dbs.plugin,
        notifications: dbs.notifications,
      }),
    ],
  });
  /** A user's notifications, newest first, as the bell and the page read them. */
  const inbox = async (user: string) => {
    const res = await request(b.server)
      .get('/api/notifications/notifications')
      .set('Authorization', mockCredentials.user.header(user));
    if (res.status !== 200) throw new Error(`inbox: ${res.status}`);
    return res.body.notifications as Array<{
      id: string;
      read?: string | null;
      updated?: string | null;
      payload: Record<string, any>;
    }>;
  };
  const markRead = async (user: string, ids: string[]) => {
    const res = await request(b.server)
      .post('/api/notifications/notifications/update')
      .set('Authorization', mockCredentials.user.header(user))
      .send({ ids, read: true });
    if (res.status !== 200) throw new Error(`mark read: ${res.status}`);
  };
  return { ...b, inbox, markRead };
}
